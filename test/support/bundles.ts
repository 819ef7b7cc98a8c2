// The handler bundles (dist/handlers, as `npm run build` writes them), built once for the whole
// test run: by the global setup (test/support/build-bundles.ts) before any test file starts, and
// again by `ensureBundle` only if a source changed since. Also a config-rule bundle with a test
// catalogue (`buildWith`).

import { execFileSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { lazyParts } from "../../build/single-file.mjs";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const HANDLERS = join(ROOT, "dist/handlers");
export const BUNDLE = join(HANDLERS, "config-rule.mjs");
const STAMP = join(ROOT, "dist/handlers/.built");
const LOCK = join(ROOT, "dist/.build-lock");
const SOURCES = ["handlers", "engine", "rules", "policies", "build", "package-lock.json"];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((f) => newestMtime(join(path, f))));
}

const isFresh = () =>
  existsSync(STAMP) &&
  existsSync(BUNDLE) &&
  statSync(STAMP).mtimeMs >= Math.max(...SOURCES.map((s) => newestMtime(join(ROOT, s))));

const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Builds the bundles as `npm run build` does unless the bundles are newer than every source. Test files run in
 * parallel processes: a lock directory makes them build once, one after the other.
 */
export function ensureBundle(): void {
  if (isFresh()) return;
  mkdirSync(join(ROOT, "dist"), { recursive: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      const held = statSync(LOCK, { throwIfNoEntry: false });
      if (Date.now() > deadline || (held && Date.now() - held.mtimeMs > 120_000)) {
        rmSync(LOCK, { recursive: true, force: true });
      }
      pause(200);
    }
  }
  try {
    if (isFresh()) return;
    const started = new Date();
    // What `npm run build` runs, without an npm process around it (half a second of CPU).
    execFileSync(process.execPath, [join(ROOT, "build/bundle.mjs"), "--quiet"], {
      cwd: ROOT,
      stdio: ["ignore", "ignore", "inherit"],
    });
    writeFileSync(STAMP, "");
    utimesSync(STAMP, started, started); // a source edited during the build makes it stale again
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/** Builds only the config-rule bundle from another policies directory (for test catalogues). */
export function buildWith(policiesDir: string, outdir: string): string {
  execFileSync(
    process.execPath,
    [
      join(ROOT, "build/bundle.mjs"),
      "--policies",
      policiesDir,
      "--outdir",
      outdir,
      "--entry",
      "config-rule",
      "--quiet",
    ],
    { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] },
  );
  return join(outdir, "config-rule.mjs");
}

/**
 * Everything a bundle can run, as text: the file, and the parts the Config rule's bundle holds
 * deflated (inflated here). What a check of a bundle's contents reads.
 */
export function bundleText(path: string): string {
  const code = readFileSync(path, "utf8");
  return [code, ...lazyParts(code).map((p) => p.text)].join("\n");
}
