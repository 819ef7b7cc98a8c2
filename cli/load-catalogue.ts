// Loads the catalogue and its waivers from a policies directory for the CLI commands.

import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { type Catalogue, checkCatalogue } from "../engine/catalogue.ts";
import { DEFAULT_POLICIES_DIR, readPolicySources, readWaiverSource } from "../engine/catalogue-files.ts";
import { formatProblem, type PolicyProblem } from "../engine/errors.ts";
import { checkWaivers, isExpired, type Waiver } from "../engine/waivers.ts";
import { UsageError } from "./errors.ts";

export interface LoadedCatalogue {
  catalogue: Catalogue;
  /** Waivers that still apply (expired ones are reported in `problems` and dropped). */
  waivers: Waiver[];
  problems: PolicyProblem[];
  /** Errors in the policy files themselves (not the waivers): nothing can be evaluated with them. */
  catalogueErrors: PolicyProblem[];
  dir: string;
  files: { file: string; text: string }[];
}

export function loadCatalogueDir(dir: string | undefined, now: Date): LoadedCatalogue {
  const path = dir ? resolve(dir) : DEFAULT_POLICIES_DIR;
  if (!existsSync(path) || !statSync(path).isDirectory()) {
    throw new UsageError(`${dir ?? path}: not a directory of policy files`);
  }
  const sources = readPolicySources(path);
  if (sources.length === 0) throw new UsageError(`${dir ?? path}: no policy files (*.json) in it`);
  const { catalogue, problems } = checkCatalogue(sources);
  const catalogueErrors = problems.filter((p) => p.level === "error");
  const files = [...sources];
  let waivers: Waiver[] = [];
  const waiverSource = readWaiverSource(path);
  if (waiverSource) {
    files.push(waiverSource);
    const ids = new Set(catalogue.controls.map((c) => c.id));
    const checked = checkWaivers(waiverSource.file, waiverSource.text, now, ids);
    problems.push(...checked.problems);
    waivers = checked.waivers.filter((w) => !isExpired(w, now));
  }
  return { catalogue, waivers, problems, catalogueErrors, dir: path, files };
}

/** Writes the catalogue's errors to stderr, one a line; true when there were any. */
export function reportCatalogueErrors(
  loaded: LoadedCatalogue,
  stderr: { write(text: string): unknown },
): boolean {
  for (const p of loaded.catalogueErrors) stderr.write(`error: ${formatProblem(p)}\n`);
  return loaded.catalogueErrors.length > 0;
}
