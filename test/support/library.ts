// The compiled library and CLI (dist/lib and dist/catalogue, as `npm run build:lib` and the
// `prepare` script of `npm ci` write them), kept as fresh as the sources for the test run: the
// spawned `compliance` processes run it (bin/compliance.mjs falls back to the TypeScript sources
// through tsx, half a second a start, when it is older than them), the package test packs it,
// and the `--jobs` tests load it so that their worker threads run JavaScript, not tsx.

import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT } from "./bundles.ts";

const LAUNCH = join(ROOT, "dist/lib/cli/launch.js");
// What bin/compliance.mjs compares (its TypeScript and JSON sources), and the policies the
// generated validators of dist/catalogue come from.
const SOURCES = ["library", "engine", "rules", "loader", "cli", "deploy", "policies"];

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (/\.(ts|json)$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

export function libraryIsFresh(): boolean {
  if (!existsSync(LAUNCH)) return false;
  const built = statSync(LAUNCH).mtimeMs;
  return SOURCES.every((dir) => !existsSync(join(ROOT, dir)) || newestSource(join(ROOT, dir)) <= built);
}

/** Builds dist/lib as `npm run build:lib` does unless dist/lib is newer than every source. */
export function ensureLibrary(): void {
  if (libraryIsFresh()) return;
  // What `npm run build:lib` runs, without an npm process around it (half a second of CPU).
  execFileSync(process.execPath, [join(ROOT, "build/library.mjs"), "--quiet"], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
  });
}

/**
 * The compiled module of a source file (`cli/commands/evaluate.ts` -> dist/lib/cli/commands/evaluate.js),
 * loaded by Node itself; typed as the source: `compiled<typeof import("../../cli/x.ts")>("cli/x.ts")`.
 */
export async function compiled<T>(source: string): Promise<T> {
  ensureLibrary(); // built by the global setup; again only if a source changed since
  return (await import(pathToFileURL(join(ROOT, "dist/lib", source.replace(/\.ts$/, ".js"))).href)) as T;
}
