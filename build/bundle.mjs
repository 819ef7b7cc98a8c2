#!/usr/bin/env node
// `npm run build`: one self-contained ES module per Lambda handler.
//
// Every `handlers/*.ts` at the top level is an entry; each becomes `dist/handlers/<name>.mjs`
// (esbuild: format esm, platform node, target node22, minified, with a source map). The policy
// catalogue is embedded: the module handlers/shared/embedded-catalogue.ts (which reads policies/
// from disk when run from source) is replaced by a generated one holding every policy file's text
// and the waivers (both checked at build time), plus every control's validator generated ahead of
// time by Ajv's standalone code generation: the cold start compiles no schema. If standalone
// generation is not possible (e.g. a custom keyword without code generation), the bundle embeds
// the texts only and compiles the validators once at cold start; the build says which.
//
// Options: --policies DIR (default policies/), --outdir DIR (default dist/handlers), --entry NAME
// (only these handlers; repeatable), --quiet.
// The catalogue is checked first (as `compliance validate` does): a broken catalogue never ships.

import { mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import * as esbuild from "esbuild";
import { register } from "tsx/esm/api";
import { generateValidators } from "./standalone-validators.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const { values: options } = parseArgs({
  options: {
    policies: { type: "string" },
    outdir: { type: "string" },
    entry: { type: "string", multiple: true },
    quiet: { type: "boolean", default: false },
  },
});
const policiesDir = resolve(options.policies ?? join(ROOT, "policies"));
const outdir = resolve(options.outdir ?? join(ROOT, "dist/handlers"));
const say = (line) => options.quiet || process.stdout.write(`${line}\n`);

// The engine is TypeScript: load it through tsx to check the catalogue and generate validators.
register();
const { createAjv, loadCatalogue } = await import("../engine/catalogue.ts");
const { readPolicyDir } = await import("../loader/policy-files.ts");
const { checkWaivers } = await import("../engine/waivers.ts");
const { waivableIds } = await import("../engine/platform-resources.ts");
const { formatProblem } = await import("../engine/errors.ts");

function fail(message) {
  process.stderr.write(`build: ${message}\n`);
  process.exit(1);
}

/** Policy sources with paths relative to the repository (stable across machines). */
function sourcesFrom(dir) {
  const { policies, waivers } = readPolicyDir(dir, ROOT);
  return { policies, waivers };
}

function generateValidatorsEsm(catalogue) {
  return generateValidators(catalogue, createAjv, { esm: true });
}

/**
 * The waivers as `compliance validate` checks them; problems (an expired waiver, an unknown
 * control id) are printed, and what the check keeps is embedded (each evaluation still checks
 * expiry), so the bundle compiles no waiver schema at cold start.
 */
function checkedWaivers(sources, catalogue) {
  if (!sources.waivers) return undefined;
  const ids = waivableIds(catalogue);
  const { waivers, problems } = checkWaivers(sources.waivers.file, sources.waivers.text, new Date(), ids);
  for (const p of problems) process.stderr.write(`build: warning: ${formatProblem(p)}\n`);
  return waivers;
}

/**
 * A policy file's text as the handlers read it at run time: without the controls' test cases
 * (authoring material no handler shows; `compliance test` and the build read them from policies/).
 */
function runtimeText(text) {
  const policy = JSON.parse(text);
  for (const control of policy.controls ?? []) delete control.cases;
  return JSON.stringify(policy);
}

/**
 * The module that replaces handlers/shared/embedded-catalogue.ts: the sources and
 * `embeddedCatalogue(now)`. With generated validators it assembles them (no compiler in the
 * bundle); without, it embeds the full texts and compiles once at cold start.
 */
function embeddedModule(sources, waivers, generated) {
  if (!generated) {
    const data = { policies: sources.policies, ...(sources.waivers ? { waivers: sources.waivers } : {}) };
    return [
      `import { catalogueFrom } from "./handlers/shared/catalogue-load.ts";`,
      `export const embedded = ${JSON.stringify(data)};`,
      "export function embeddedCatalogue(now) { return catalogueFrom(embedded, now); }",
    ].join("\n");
  }
  const policies = sources.policies.map((s) => ({ file: s.file, text: runtimeText(s.text) }));
  const data = { policies, ...(waivers ? { checkedWaivers: waivers } : {}) };
  const entries = Object.entries(generated.index).map(
    ([id, v]) => `${JSON.stringify(id)}:{check:v.${v.check}${v.applies ? `,applies:v.${v.applies}` : ""}}`,
  );
  return [
    `import * as v from "compliance:validators";`,
    `import { precompiledCatalogue } from "./handlers/shared/catalogue.ts";`,
    `const data = ${JSON.stringify(data)};`,
    `export const embedded = { ...data, validators: {${entries.join(",")}} };`,
    "export function embeddedCatalogue(now) { return precompiledCatalogue(embedded, now); }",
  ].join("\n");
}

/** Replaces handlers/shared/embedded-catalogue.ts with the embedded catalogue. */
function embedCatalogue(moduleText, validatorsCode) {
  return {
    name: "embed-catalogue",
    setup(build) {
      build.onResolve({ filter: /[\\/]embedded-catalogue\.ts$/ }, () => ({
        path: "embedded-catalogue",
        namespace: "compliance-embedded",
      }));
      build.onResolve({ filter: /^compliance:validators$/ }, () => ({
        path: "validators",
        namespace: "compliance-embedded",
      }));
      build.onLoad({ filter: /.*/, namespace: "compliance-embedded" }, (args) => ({
        contents: args.path === "validators" ? validatorsCode : moduleText,
        loader: "js",
        resolveDir: ROOT,
      }));
    },
  };
}

/** Writes a file so that a concurrent reader sees the old or the new content, never a mix. */
function writeAtomically(path, contents) {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, path);
}

const started = performance.now();
const handlersDir = join(ROOT, "handlers");
const entries = readdirSync(handlersDir)
  .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts") && statSync(join(handlersDir, f)).isFile())
  .sort()
  .map((f) => ({ name: f.slice(0, -3), path: join(handlersDir, f) }))
  .filter((e) => !options.entry || options.entry.includes(e.name));
if (entries.length === 0)
  fail(`no handlers/*.ts entry points${options.entry ? ` named ${options.entry}` : ""}`);

const sources = sourcesFrom(policiesDir);
if (sources.policies.length === 0) fail(`${relative(ROOT, policiesDir) || policiesDir}: no policy files`);
let catalogue;
try {
  catalogue = loadCatalogue(sources.policies);
} catch (error) {
  fail(`the catalogue has errors, nothing was built:\n${error.message}`);
}

let generated;
let mode = "standalone (Ajv code generated at build time)";
try {
  generated = generateValidatorsEsm(catalogue);
} catch (error) {
  mode = `compiled once at cold start (standalone generation failed: ${error.message.split("\n")[0]})`;
}
const moduleText = embeddedModule(sources, checkedWaivers(sources, catalogue), generated);

const result = await esbuild.build({
  absWorkingDir: ROOT,
  entryPoints: Object.fromEntries(entries.map((e) => [e.name, e.path])),
  outdir,
  outExtension: { ".js": ".mjs" },
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node22",
  mainFields: ["module", "main"],
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  legalComments: "eof",
  // CommonJS dependencies inside an ES module bundle still call require() for Node built-ins.
  banner: {
    js: 'import{createRequire as __cjsRequire}from"node:module";const require=__cjsRequire(import.meta.url);',
  },
  plugins: [embedCatalogue(moduleText, generated?.code ?? "")],
  metafile: true,
  write: false,
  logLevel: "warning",
});

for (const file of result.outputFiles) writeAtomically(file.path, file.contents);

const kb = (bytes) => `${(bytes / 1024).toFixed(0)} KiB`;
say(
  `catalogue: ${sources.policies.length} policy files, ${catalogue.controls.length} controls` +
    `${sources.waivers ? ", waivers.json" : ""}; validators: ${mode}`,
);
for (const file of result.outputFiles) {
  if (file.path.endsWith(".map")) continue;
  say(`  ${relative(ROOT, file.path)}  ${kb(file.contents.byteLength)} (+ source map)`);
}
say(`built ${entries.length} handler bundle(s) in ${Math.round(performance.now() - started)} ms`);
