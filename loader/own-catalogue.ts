// The package's own catalogue (policies/ of this package), with the control validators that
// `npm run build:lib` generated ahead of time (Ajv standalone code in dist/catalogue/): nothing is
// compiled at start-up. The generated code is used only while it matches what is on disk (a
// digest of the policy texts and, in a checkout, of the rules/ keyword sources); otherwise the
// catalogue is compiled at run time, as for any other policies directory.

import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { PrecompiledValidators } from "../engine/policy-set.ts";
import {
  assembleCatalogue,
  type LoadedPolicies,
  loadPolicies,
  type PolicySources,
  waiversInForce,
} from "../engine/policy-set.ts";
import type { Waiver } from "../engine/waiver-match.ts";
import { DEFAULT_POLICIES_DIR, PACKAGE_ROOT, readPolicyDir } from "./policy-files.ts";

/** Where the build writes the generated validators and the digest they were generated from. */
export const GENERATED_DIR = join(PACKAGE_ROOT, "dist", "catalogue");
const RULES_DIR = join(PACKAGE_ROOT, "rules");

export interface GeneratedManifest {
  /** Digest of the policy and waiver texts the validators were generated from. */
  policies: string;
  /** Digest of the rules/ keyword sources at generation time. */
  rules: string;
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

export interface OwnCatalogue extends LoadedPolicies {
  sources: PolicySources;
  /** `standalone`: validators generated at build time; `runtime`: compiled now (no build, or out of date). */
  validators: "standalone" | "runtime";
}

function generatedValidators(sources: PolicySources, dir: string): PrecompiledValidators | undefined {
  const manifestPath = join(dir, "manifest.json");
  if (!existsSync(manifestPath)) return undefined;
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as GeneratedManifest;
  if (manifest.policies !== policiesDigest(sources)) return undefined;
  const rules = rulesDigest();
  if (rules !== undefined && rules !== manifest.rules) return undefined;
  const code = createRequire(import.meta.url)(join(dir, "validators.cjs")) as Record<
    string,
    PrecompiledValidators[string]["check"]
  >;
  const validators: PrecompiledValidators = {};
  for (const [id, names] of Object.entries(manifest.index)) {
    const check = code[names.check];
    if (!check) return undefined;
    const applies = names.applies ? code[names.applies] : undefined;
    validators[id] = applies ? { check, applies } : { check };
  }
  return validators;
}

/** The package's own policies and waivers, validators generated ahead of time when they are current. */
export function loadOwnCatalogue(
  now: Date,
  options: {
    check?: boolean;
    generatedDir?: string;
    /** The waivers in force, already checked (by the main thread, for a worker thread). */
    waivers?: Waiver[];
  } = {},
): OwnCatalogue {
  const sources = readPolicyDir(DEFAULT_POLICIES_DIR);
  const validators = options.check
    ? undefined
    : generatedValidators(sources, options.generatedDir ?? GENERATED_DIR);
  if (!validators) return { ...loadPolicies(sources, now), sources, validators: "runtime" };
  // The build ran the full check on these very texts: only assembly is left.
  const catalogue = assembleCatalogue(sources.policies, validators);
  const waived = options.waivers
    ? { waivers: options.waivers, problems: [] }
    : waiversInForce(sources.waivers, catalogue, now);
  return {
    catalogue,
    waivers: waived.waivers,
    problems: waived.problems,
    catalogueErrors: [],
    sources,
    validators: "standalone",
  };
}
