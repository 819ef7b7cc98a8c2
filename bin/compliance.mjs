#!/usr/bin/env node
// Launcher for the `compliance` CLI: runs the compiled JavaScript (dist/lib, built by `npm ci` or
// `npm install` through the `prepare` script, or by `npm run build:lib`). In a checkout whose
// TypeScript sources changed after that build, it runs the sources through tsx instead, so an edit
// is never run stale.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const built = join(root, "dist", "lib", "cli", "launch.js");
const SOURCES = ["library", "engine", "rules", "loader", "cli", "deploy"];

/** The newest modification time of the TypeScript sources; 0 in an installed package (none shipped). */
function newestSource() {
  let newest = 0;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".ts") || entry.name.endsWith(".json")) {
        newest = Math.max(newest, statSync(path).mtimeMs);
      }
    }
  };
  for (const dir of SOURCES) if (existsSync(join(root, dir))) walk(join(root, dir));
  return newest;
}

if (existsSync(built) && newestSource() <= statSync(built).mtimeMs) {
  await import("../dist/lib/cli/launch.js");
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("../cli/launch.ts");
}
