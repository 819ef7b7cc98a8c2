// Reads a catalogue from a policies directory on disk: its service policies, its waivers and its
// case fixtures. The engine itself reads no files; the CLI, the library's default catalogue, the
// build and the tests read through here.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { PolicySource } from "../engine/catalogue.ts";
import type { PolicySources } from "../engine/policy-set.ts";

/** The package's root: this file is `<root>/loader/policy-files.ts`, or `<root>/dist/lib/loader/policy-files.js` built. */
export const PACKAGE_ROOT = (() => {
  const here = dirname(fileURLToPath(import.meta.url));
  return resolve(here, here.endsWith(join("dist", "lib", "loader")) ? "../../.." : "..");
})();

/** The package's own policies/ directory. */
export const DEFAULT_POLICIES_DIR = join(PACKAGE_ROOT, "policies");

/** Files in a policies directory that are not service policies. */
export const NOT_POLICIES: ReadonlySet<string> = new Set([
  "policy.schema.json",
  "waivers.json",
  "waivers.schema.json",
  "scp.json",
  "definitions.json",
  "platform-resources.schema.json",
  "fsbp.json",
  "fsbp.schema.json",
]);

/**
 * A path as a person would type it: relative inside `base` (default the working directory),
 * absolute outside it.
 */
function shown(path: string, base: string = process.cwd()): string {
  const rel = relative(base, path);
  return rel === "" || rel.startsWith("..") ? path : rel;
}

/** Every `<service>.json` in the directory, sorted, named relative to `base` (default the working directory). */
export function readPolicySources(dir: string = DEFAULT_POLICIES_DIR, base?: string): PolicySource[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json") && !NOT_POLICIES.has(f))
    .sort()
    .map((f) => {
      const path = join(dir, f);
      return { file: shown(path, base), text: readFileSync(path, "utf8") };
    });
}

/** The waiver file of a policies directory, if there is one. */
export function readWaiverSource(
  dir: string = DEFAULT_POLICIES_DIR,
  base?: string,
): PolicySource | undefined {
  const path = join(dir, "waivers.json");
  if (!existsSync(path)) return undefined;
  return { file: shown(path, base), text: readFileSync(path, "utf8") };
}

/** The FSBP coverage table of a policies directory (`fsbp.json`), if there is one. */
export function readFsbpSource(dir: string = DEFAULT_POLICIES_DIR, base?: string): PolicySource | undefined {
  const path = join(dir, "fsbp.json");
  if (!existsSync(path)) return undefined;
  return { file: shown(path, base), text: readFileSync(path, "utf8") };
}

/** A policies directory's policies and waivers, as the engine's `loadPolicies` takes them. */
export function readPolicyDir(dir: string = DEFAULT_POLICIES_DIR, base?: string): PolicySources {
  const waivers = readWaiverSource(dir, base);
  return { policies: readPolicySources(dir, base), ...(waivers ? { waivers } : {}) };
}

/**
 * Reads a case fixture (relative to `<dir>/fixtures/`). A fixture that is missing, unreadable or
 * not JSON is an Error saying so in words, with the path (a person reads it in `test` and `validate`).
 */
export function fixtureReader(dir: string = DEFAULT_POLICIES_DIR): (name: string) => unknown {
  return (name) => {
    const path = join(dir, "fixtures", name);
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const reason =
        code === "ENOENT"
          ? "does not exist"
          : code === "EISDIR"
            ? "is a directory"
            : `cannot be read (${code ?? (error as Error).message})`;
      throw new Error(`fixture "${name}" ${reason}: ${shown(path)}`);
    }
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new Error(`fixture "${name}" is not valid JSON (${(error as Error).message}): ${shown(path)}`);
    }
  };
}
