#!/usr/bin/env node
// `npm run build:lib` (also run by `npm ci` / `npm install` / `npm pack` through `prepare`): the
// library and the CLI as JavaScript with type declarations, and the package's own catalogue with
// its validators generated ahead of time.
//
//   dist/lib/        tsc -p tsconfig.build.json: library/, engine/, rules/, loader/, cli/, deploy/
//                    as ES modules (.js) and declarations (.d.ts)
//   dist/catalogue/  validators.cjs (Ajv standalone code of every control), waivers.cjs (of the
//                    waiver file's schema) and manifest.json (digests of the policy texts, the
//                    waiver schema and the rules/ sources they were generated from)
//
// The catalogue is checked first: a catalogue with errors gets no generated validators (the CLI
// then compiles at run time and reports the errors, as `compliance validate` does).

import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { generateValidator, generateValidators } from "./standalone-validators.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const quiet = process.argv.includes("--quiet");
const say = (line) => quiet || process.stdout.write(`${line}\n`);
const started = performance.now();

/** Writes a file so that a concurrent reader sees the old or the new content, never a mix. */
function writeAtomically(path, contents) {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, path);
}

const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
if (!existsSync(tsc)) {
  process.stderr.write("build: typescript is not installed (run npm ci)\n");
  process.exit(1);
}
// Compiled next to the old build, then swapped in: a CLI started meanwhile sees the old build or
// none (and then runs the sources), never half of one.
const fresh = join(ROOT, "dist", `lib-${process.pid}`);
try {
  execFileSync(process.execPath, [tsc, "-p", join(ROOT, "tsconfig.build.json"), "--outDir", fresh], {
    stdio: "inherit",
  });
} catch {
  rmSync(fresh, { recursive: true, force: true });
  process.stderr.write("build: tsc failed\n");
  process.exit(1);
}
rmSync(join(ROOT, "dist", "lib"), { recursive: true, force: true });
renameSync(fresh, join(ROOT, "dist", "lib"));

// From here on the freshly built JavaScript does the work: no TypeScript loader needed.
const lib = (path) => import(pathToFileURL(join(ROOT, "dist", "lib", path)).href);
const { createAjv } = await lib("engine/catalogue.js");
const { loadPolicies } = await lib("engine/policy-set.js");
const { readPolicyDir } = await lib("loader/policy-files.js");
const { policiesDigest, rulesDigest, waiverSchemaDigest, GENERATED_DIR, WAIVER_VALIDATOR_EXPORT } =
  await lib("loader/own-catalogue.js");
const { WAIVER_SCHEMA, WAIVER_SCHEMA_OPTIONS } = await lib("engine/waivers.js");

const sources = readPolicyDir();
const loaded = loadPolicies(sources, new Date());
rmSync(GENERATED_DIR, { recursive: true, force: true });
if (loaded.catalogueErrors.length > 0) {
  say(
    `catalogue has ${loaded.catalogueErrors.length} error(s): no validators generated (compiled at run time)`,
  );
} else {
  const { code, index } = generateValidators(loaded.catalogue, createAjv, { esm: false });
  writeAtomically(join(GENERATED_DIR, "validators.cjs"), code);
  writeAtomically(
    join(GENERATED_DIR, "waivers.cjs"),
    generateValidator(WAIVER_SCHEMA, WAIVER_SCHEMA_OPTIONS, WAIVER_VALIDATOR_EXPORT),
  );
  const manifest = {
    policies: policiesDigest(sources),
    rules: rulesDigest() ?? "",
    waiverSchema: waiverSchemaDigest(),
    index,
  };
  writeAtomically(join(GENERATED_DIR, "manifest.json"), `${JSON.stringify(manifest)}\n`);
}
// The commands' names, summaries and usage, so the launcher answers --help without loading them.
const { COMMANDS } = await lib("cli/commands/index.js");
const summaries = COMMANDS.map(({ name, summary, usage }) => ({ name, summary, usage }));
writeAtomically(join(ROOT, "dist", "lib", "cli", "commands.json"), `${JSON.stringify(summaries, null, 2)}\n`);

say(
  `built dist/lib and dist/catalogue (${sources.policies.length} policy files, ${loaded.catalogue.controls.length} controls) in ${Math.round(performance.now() - started)} ms`,
);
