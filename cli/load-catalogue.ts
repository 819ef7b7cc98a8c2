// Loads the catalogue and its waivers for the CLI commands: the directory `--policies` names; else
// ./policies of the working directory when it holds policy files (a project of its own); else the
// package's own catalogue, with the validators generated at build time.

import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import type { Catalogue } from "../engine/catalogue.ts";
import { formatProblem, type PolicyProblem } from "../engine/errors.ts";
import type { Waiver } from "../engine/waiver-match.ts";
import { generatedCatalogue } from "../loader/generated-catalogue.ts";
import { DEFAULT_POLICIES_DIR, NOT_POLICIES, readPolicyDir } from "../loader/policy-files.ts";
import { UsageError } from "./errors.ts";

export interface LoadedCatalogue {
  catalogue: Catalogue;
  /** Waivers that still apply (expired ones are reported in `problems` and dropped). */
  waivers: Waiver[];
  problems: PolicyProblem[];
  /** Errors in the policy files themselves (not the waivers): nothing can be evaluated with them. */
  catalogueErrors: PolicyProblem[];
  /** Errors that leave the waiver file unusable (all its problems but expired waivers). */
  waiverErrors: PolicyProblem[];
  dir: string;
  files: { file: string; text: string }[];
  /** Where the catalogue came from: `--policies`, ./policies of the working directory, or the package. */
  origin: "option" | "working-directory" | "package";
}

export interface LoadOptions {
  /** Compile and check every control now even when validators were generated at build time (`validate`). */
  check?: boolean;
  /** The working directory searched for ./policies (default: the process's). */
  cwd?: string;
  /**
   * The waivers in force, already checked: the package's catalogue then skips checking them again
   * (a worker thread gets them from the main thread; the check compiles a schema).
   */
  waivers?: Waiver[];
}

/** ./policies of the working directory, when it is another catalogue than the package's and holds policy files. */
function workingDirectoryPolicies(cwd: string): string | undefined {
  const dir = join(cwd, "policies");
  if (resolve(dir) === resolve(DEFAULT_POLICIES_DIR)) return undefined;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return undefined;
  return readdirSync(dir).some((f) => f.endsWith(".json") && !NOT_POLICIES.has(f)) ? dir : undefined;
}

/**
 * The catalogue a command uses. The package's own, with the validators generated at build time,
 * loads no schema compiler; any other (or the package's own when out of date, or `check`) is
 * compiled now, and only then is the compiler loaded.
 */
export async function loadCatalogueDir(
  dir: string | undefined,
  now: Date,
  options: LoadOptions = {},
): Promise<LoadedCatalogue> {
  const found = dir === undefined ? workingDirectoryPolicies(options.cwd ?? process.cwd()) : undefined;
  if (dir === undefined && found === undefined) {
    const sources = readPolicyDir(DEFAULT_POLICIES_DIR);
    const checked = options.waivers ? { waivers: options.waivers } : {};
    const own =
      (options.check ? undefined : generatedCatalogue(sources, now, checked)) ??
      (await import("../loader/own-catalogue.ts")).compiledOwnCatalogue(sources, now);
    const files = [...own.sources.policies, ...(own.sources.waivers ? [own.sources.waivers] : [])];
    return { ...own, dir: DEFAULT_POLICIES_DIR, files, origin: "package" };
  }
  const path = resolve(dir ?? found!);
  if (!existsSync(path) || !statSync(path).isDirectory()) {
    throw new UsageError(`${dir ?? path}: not a directory of policy files`);
  }
  const sources = readPolicyDir(path);
  if (sources.policies.length === 0) throw new UsageError(`${dir ?? path}: no policy files (*.json) in it`);
  const { loadPolicies } = await import("../engine/policy-set.ts");
  const loaded = loadPolicies(sources, now);
  const files = [...sources.policies, ...(sources.waivers ? [sources.waivers] : [])];
  return { ...loaded, dir: path, files, origin: dir === undefined ? "working-directory" : "option" };
}

/** One line naming the catalogue when it is not the one a reader would assume (the package's own). */
export function catalogueNote(loaded: LoadedCatalogue): string | undefined {
  if (loaded.origin !== "working-directory") return undefined;
  const shown = relative(process.cwd(), loaded.dir) || loaded.dir;
  return `compliance: using the catalogue in ./${shown} (${loaded.catalogue.policies.length} policy files; --policies DIR to choose another)`;
}

/** Writes the catalogue's note and errors to stderr, one a line; true when there were errors. */
export function reportCatalogueErrors(
  loaded: LoadedCatalogue,
  stderr: { write(text: string): unknown },
): boolean {
  const note = catalogueNote(loaded);
  if (note) stderr.write(`${note}\n`);
  for (const p of loaded.catalogueErrors) stderr.write(`error: ${formatProblem(p)}\n`);
  return loaded.catalogueErrors.length > 0;
}

/**
 * One line naming the waiver file's first error (file, line, the waiver and field), when the file
 * cannot be used: a run without the waivers it means to apply would report waived findings as
 * failures. An expired waiver is no error here: it only stops applying (`validate` says so).
 */
export function waiverFileError(loaded: Pick<LoadedCatalogue, "waiverErrors">): string | undefined {
  const [first, ...more] = loaded.waiverErrors;
  if (!first) return undefined;
  const others = more.length > 0 ? ` (and ${more.length} more)` : "";
  return `the waiver file has errors: ${formatProblem(first)}${others}; run \`compliance validate\``;
}
