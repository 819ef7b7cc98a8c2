#!/usr/bin/env node
// Runs a TypeScript entry point (benchmarks, build scripts) through tsx.
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { register } from "tsx/esm/api";

const entry = process.argv[2];
if (!entry) {
  process.stderr.write("usage: run-ts.mjs FILE.ts [ARGS...]\n");
  process.exit(2);
}
// The entry point becomes argv[1], as if it had been run directly.
process.argv.splice(1, 2, resolve(entry));
register();
await import(pathToFileURL(resolve(entry)).href);
