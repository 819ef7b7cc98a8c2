// Reads the catalogue, its waivers and its case fixtures from a policies directory on disk
// (the CLI and the tests; the Lambda bundles embed the same files at build time).

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { PolicySource } from "./catalogue.ts";

/** The repository's own policies/ directory. */
export const DEFAULT_POLICIES_DIR = fileURLToPath(new URL("../policies/", import.meta.url));

/** Files in a policies directory that are not service policies. */
const NOT_POLICIES = new Set([
  "policy.schema.json",
  "waivers.json",
  "waivers.schema.json",
  "scp.json",
  "definitions.json",
]);

/** A path as a person would type it: relative inside the working directory, absolute outside it. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === "" || rel.startsWith("..") ? path : rel;
}

/** Every `<service>.json` in the directory, sorted, with paths shown relative to the working directory. */
export function readPolicySources(dir: string = DEFAULT_POLICIES_DIR): PolicySource[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json") && !NOT_POLICIES.has(f))
    .sort()
    .map((f) => {
      const path = join(dir, f);
      return { file: shown(path), text: readFileSync(path, "utf8") };
    });
}

/** The waiver file of a policies directory, if there is one. */
export function readWaiverSource(dir: string = DEFAULT_POLICIES_DIR): PolicySource | undefined {
  const path = join(dir, "waivers.json");
  if (!existsSync(path)) return undefined;
  return { file: shown(path), text: readFileSync(path, "utf8") };
}

/** Reads a case fixture (relative to `<dir>/fixtures/`). */
export function fixtureReader(dir: string = DEFAULT_POLICIES_DIR): (name: string) => unknown {
  return (name) => JSON.parse(readFileSync(join(dir, "fixtures", name), "utf8"));
}
