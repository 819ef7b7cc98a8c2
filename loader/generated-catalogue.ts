// The package's own catalogue with the validators `npm run build:lib` generated ahead of time (Ajv
// standalone code in dist/catalogue/): the control validators and the waiver file's. Nothing here
// loads a schema compiler, so a command that uses the package's catalogue starts without one. The
// generated code is used only while it matches what is on disk (a digest of the policy texts, of
// the waiver schema and, in a checkout, of the rules/ keyword sources); otherwise the caller
// compiles the catalogue at run time (loader/own-catalogue.ts).

import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { ValidateFunction } from "ajv";
import { assembleCatalogue, type PrecompiledValidators } from "../engine/catalogue-model.ts";
import type { LoadedPolicies, PolicySources } from "../engine/policy-set.ts";
import { waiversInForceWith } from "../engine/waiver-check.ts";
import type { Waiver } from "../engine/waiver-match.ts";
import waiverSchema from "../policies/waivers.schema.json" with { type: "json" };
import { PACKAGE_ROOT } from "./policy-files.ts";

/** Where the build writes the generated validators and the digest they were generated from. */
export const GENERATED_DIR = join(PACKAGE_ROOT, "dist", "catalogue");
const RULES_DIR = join(PACKAGE_ROOT, "rules");
/** The generated validator of the waiver file's schema (its export name in waivers.cjs). */
export const WAIVER_VALIDATOR_EXPORT = "waivers";

export interface GeneratedManifest {
  /** Digest of the policy and waiver texts the validators were generated from. */
  policies: string;
  /** Digest of the rules/ keyword sources at generation time. */
  rules: string;
  /** Digest of the waiver file's schema the waiver validator was generated from. */
  waiverSchema: string;
  /** Control id -> the names of its exported validators. */
  index: Record<string, { check: string; applies?: string }>;
}

/** Digest of a catalogue's texts (names without directories, so the working directory does not matter). */
export function policiesDigest(sources: PolicySources): string {
  const hash = createHash("sha256");
  const base = (file: string) => file.split(/[\\/]/).pop() ?? file;
  for (const s of [...sources.policies].sort((a, b) => base(a.file).localeCompare(base(b.file)))) {
    hash.update(`${base(s.file)}\0${s.text}\0`);
  }
  if (sources.waivers) hash.update(`waivers\0${sources.waivers.text}`);
  return hash.digest("hex");
}

/** Digest of the rules/ keyword sources; undefined in an installed package (no sources shipped). */
export function rulesDigest(): string | undefined {
  if (!existsSync(RULES_DIR)) return undefined;
  const hash = createHash("sha256");
  for (const f of readdirSync(RULES_DIR)
    .filter((f) => f.endsWith(".ts"))
    .sort()) {
    hash.update(`${f}\0${readFileSync(join(RULES_DIR, f), "utf8")}\0`);
  }
  return hash.digest("hex");
}

/** Digest of the waiver file's schema as this code reads it. */
export function waiverSchemaDigest(): string {
  return createHash("sha256").update(JSON.stringify(waiverSchema)).digest("hex");
}

export interface OwnCatalogue extends LoadedPolicies {
  sources: PolicySources;
  /** `standalone`: validators generated at build time; `runtime`: compiled now (no build, or out of date). */
  validators: "standalone" | "runtime";
}

interface Generated {
  validators: PrecompiledValidators;
  waiverFile: ValidateFunction;
}

/** The generated validators, when they were generated from these very sources. */
function generated(sources: PolicySources, dir: string): Generated | undefined {
  const manifestPath = join(dir, "manifest.json");
  if (!existsSync(manifestPath)) return undefined;
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as GeneratedManifest;
  if (manifest.policies !== policiesDigest(sources)) return undefined;
  if (manifest.waiverSchema !== waiverSchemaDigest()) return undefined;
  const rules = rulesDigest();
  if (rules !== undefined && rules !== manifest.rules) return undefined;
  const load = createRequire(import.meta.url);
  const code = load(join(dir, "validators.cjs")) as Record<string, ValidateFunction>;
  const waiverFile = (load(join(dir, "waivers.cjs")) as Record<string, ValidateFunction>)[
    WAIVER_VALIDATOR_EXPORT
  ];
  if (!waiverFile) return undefined;
  const validators: PrecompiledValidators = {};
  for (const [id, names] of Object.entries(manifest.index)) {
    const check = code[names.check];
    if (!check) return undefined;
    const applies = names.applies ? code[names.applies] : undefined;
    validators[id] = applies ? { check, applies } : { check };
  }
  return { validators, waiverFile };
}

/**
 * The catalogue of `sources` (the package's own policies) from the generated validators, and its
 * waivers in force; undefined when nothing was generated or it was generated from other texts.
 */
export function generatedCatalogue(
  sources: PolicySources,
  now: Date,
  options: {
    generatedDir?: string;
    /** The waivers in force, already checked (by the main thread, for a worker thread). */
    waivers?: Waiver[];
  } = {},
): OwnCatalogue | undefined {
  const found = generated(sources, options.generatedDir ?? GENERATED_DIR);
  if (!found) return undefined;
  // The build ran the full check on these very texts: only assembly is left.
  const catalogue = assembleCatalogue(sources.policies, found.validators);
  const waived = options.waivers
    ? { waivers: options.waivers, problems: [], errors: [] }
    : waiversInForceWith(() => found.waiverFile, sources.waivers, catalogue, now);
  return {
    catalogue,
    waivers: waived.waivers,
    problems: waived.problems,
    catalogueErrors: [],
    waiverErrors: waived.errors,
    sources,
    validators: "standalone",
  };
}
