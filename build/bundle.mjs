#!/usr/bin/env node
// `npm run build`: one self-contained ES module file per Lambda handler.
//
// Every `handlers/*.ts` at the top level is an entry; each becomes `dist/handlers/<name>.mjs`
// (esbuild: format esm, platform node, target node22, minified, with a source map); what the Config
// rule and the hook reach only through import() (each service's validators...) is deflated text
// inside their file, compiled when first used (build/single-file.mjs). Each bundle embeds only the
// policy data its handler reads (NOT_READ below); the notifier, which shows controls and evaluates
// none, gets their texts alone (handlers/shared/embedded-policies.ts is replaced by them), no
// validator. The policy catalogue is embedded: the module handlers/shared/embedded-catalogue.ts
// (which reads policies/ from disk when run from source) is replaced by a generated one holding
// every policy file's text and the waivers (both checked at build time), plus every control's
// validator generated ahead of time by Ajv's standalone code generation: the cold start compiles
// no schema. If standalone generation is not possible (e.g. a custom keyword without code
// generation), the bundle embeds the texts only and compiles the validators once at cold start;
// the build says which.
//
// Options: --policies DIR (default policies/), --outdir DIR (default dist/handlers), --entry NAME
// (only these handlers; repeatable), --quiet.
// The catalogue is checked first (as `compliance validate` does): a broken catalogue never ships.

import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import * as esbuild from "esbuild";
import { register } from "tsx/esm/api";
import { linkSingleFile } from "./single-file.mjs";
import { generateValidatorGroups, generateValidators } from "./standalone-validators.mjs";

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

function generateValidatorModules(catalogue) {
  return generateValidatorGroups(catalogue, createAjv);
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
 * What a handler never reads of a policy file, left out of its bundle. Everywhere: the controls'
 * test cases (authoring material: `compliance test` and the build read them from policies/) and
 * their schemas (`check`, `appliesTo`: the generated validators are their compiled form, and carry
 * the parts their error messages quote). The Config rule also shows no rationale, remediation or
 * references (its annotations and PutEvaluations carry the verdict, the control's title and the
 * failure messages); the notifier and the hook do show them.
 */
const NOT_READ = {
  default: { policy: ["$schema"], control: ["cases", "check", "appliesTo"] },
  "config-rule": {
    policy: ["$schema", "description"],
    control: ["cases", "check", "appliesTo", "rationale", "remediation", "references"],
  },
};

/** A policy file's text as the handler `entry` reads it at run time. */
function runtimeText(text, entry) {
  const omit = NOT_READ[entry] ?? NOT_READ.default;
  const policy = JSON.parse(text);
  for (const key of omit.policy) delete policy[key];
  for (const control of policy.controls ?? []) for (const key of omit.control) delete control[key];
  // policies/platform-resources.json: its entries' cases, and its findings' texts as for controls.
  for (const resource of policy.resources ?? []) {
    delete resource.cases;
    if (resource.finding) for (const key of omit.control) delete resource.finding[key];
  }
  return JSON.stringify(policy);
}

/** The policy sources as the handler `entry` reads them at run time. */
const runtimeSources = (sources, entry) =>
  sources.policies.map((s) => ({ file: s.file, text: runtimeText(s.text, entry) }));

/**
 * The module that replaces handlers/shared/embedded-catalogue.ts: the sources and
 * `embeddedCatalogue(now)`. With generated validators it assembles them (no compiler in the
 * bundle); without, it embeds the full texts and compiles once at cold start. With validators
 * generated per service (`groups`), each service's module is imported when a run needs it.
 */
function embeddedModule(sources, waivers, generated, entry, groups) {
  if (!generated && !groups) {
    const data = { policies: sources.policies, ...(sources.waivers ? { waivers: sources.waivers } : {}) };
    return [
      `import { catalogueFrom } from "./handlers/shared/catalogue-load.ts";`,
      `export const embedded = ${JSON.stringify(data)};`,
      "export function embeddedCatalogue(now) { return catalogueFrom(embedded, now); }",
    ].join("\n");
  }
  const data = { policies: runtimeSources(sources, entry), ...(waivers ? { checkedWaivers: waivers } : {}) };
  if (groups) {
    const imports = Object.keys(groups.modules).map(
      (service) =>
        `${JSON.stringify(service)}:()=>import(${JSON.stringify(`compliance:validators/${service}`)})`,
    );
    return [
      `import { lazyPrecompiledCatalogue } from "./handlers/shared/catalogue.ts";`,
      `const data = ${JSON.stringify(data)};`,
      `export const embedded = { ...data, validatorIndex: ${JSON.stringify(groups.index)}, validatorModules: {${imports.join(",")}} };`,
      "export function embeddedCatalogue(now) { return lazyPrecompiledCatalogue(embedded, now); }",
    ].join("\n");
  }
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

/**
 * The module that replaces handlers/shared/embedded-policies.ts (the policy texts of a handler
 * that shows controls and evaluates none, the notifier): the texts only, no validators.
 */
function policiesModule(sources, entry) {
  return `export const embeddedPolicies = ${JSON.stringify(runtimeSources(sources, entry))};`;
}

/**
 * Replaces handlers/shared/embedded-catalogue.ts with the embedded catalogue and
 * handlers/shared/embedded-policies.ts with the policy texts, and serves the generated
 * validators: `compliance:validators` (all) and `compliance:validators/<service>`.
 */
function embedCatalogue(moduleText, policiesText, validatorsCode, groupCode = {}) {
  return {
    name: "embed-catalogue",
    setup(build) {
      build.onResolve({ filter: /[\\/]embedded-catalogue\.ts$/ }, () => ({
        path: "embedded-catalogue",
        namespace: "compliance-embedded",
      }));
      build.onResolve({ filter: /[\\/]embedded-policies\.ts$/ }, () => ({
        path: "embedded-policies",
        namespace: "compliance-embedded",
      }));
      build.onResolve({ filter: /^compliance:validators(\/[^/]+)?$/ }, (args) => ({
        path: args.path.slice("compliance:".length),
        namespace: "compliance-embedded",
      }));
      build.onLoad({ filter: /.*/, namespace: "compliance-embedded" }, (args) => ({
        contents:
          args.path === "embedded-catalogue"
            ? moduleText
            : args.path === "embedded-policies"
              ? policiesText
              : args.path === "validators"
                ? validatorsCode
                : groupCode[args.path.slice("validators/".length)],
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

const firstLine = (error) => error.message.split("\n")[0];
/**
 * The handlers that evaluate one service's resources at a time: the Config rule (scoped to a
 * service) and the hook (one resource per request). Each is linked into one file, with one module
 * of validators per service, loaded when a run needs it.
 */
const PER_SERVICE = new Set(["config-rule", "hook"]);
const perService = (entry) => PER_SERVICE.has(entry.name);
let groups;
let groupsError;
if (entries.some(perService)) {
  try {
    groups = generateValidatorModules(catalogue);
  } catch (error) {
    groupsError = error;
  }
}
// The other bundles (and those two, should per-service generation fail): one module.
let generated;
let mode = "standalone (Ajv code generated at build time)";
if (!groups || entries.some((e) => !perService(e))) {
  try {
    generated = generateValidatorsEsm(catalogue);
  } catch (error) {
    mode = `compiled once at cold start (standalone generation failed: ${firstLine(error)})`;
  }
}
if (groupsError && generated) {
  say(
    `${[...PER_SERVICE].join(", ")}: validators in one module (per-service generation failed: ${firstLine(groupsError)})`,
  );
}
const waivers = checkedWaivers(sources, catalogue);
/** What a handler reads of the policy texts: the Config rule shows no control texts. */
const readsAs = (entry) => (entry.name === "config-rule" ? "config-rule" : "default");
const moduleTextFor = (entry) =>
  embeddedModule(sources, waivers, generated, readsAs(entry), perService(entry) ? groups : undefined);

/**
 * One esbuild build of some entries, each into one file. The Config rule (the Lambda that runs in
 * every account, on every change) and the hook are each built on their own with code splitting,
 * and the entry and its chunks are then linked into one file (build/single-file.mjs): what it
 * imports statically is code, what it reaches only through import() (each service's validators;
 * for the Config rule also the account item reader and its SDK clients) is text in the file,
 * compiled on first use; a cold start does not parse it.
 */
async function buildGroup(group, catalogueText, policiesText) {
  const linked = group.length === 1 && perService(group[0]);
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: Object.fromEntries(group.map((e) => [e.name, e.path])),
    outdir,
    outExtension: { ".js": ".mjs" },
    ...(linked ? { splitting: true, chunkNames: "chunks/[name]-[hash]" } : {}),
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node22",
    mainFields: ["module", "main"],
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    legalComments: "eof",
    // CommonJS dependencies inside an ES module bundle still call require() for Node built-ins
    // (the linked file gives each module a require instead).
    ...(linked
      ? {}
      : {
          banner: {
            js: 'import{createRequire as __cjsRequire}from"node:module";const require=__cjsRequire(import.meta.url);',
          },
        }),
    plugins: [embedCatalogue(catalogueText, policiesText, generated?.code ?? "", groups?.modules)],
    metafile: true,
    write: false,
    logLevel: "warning",
  });
  if (!linked) return { files: result.outputFiles.map((f) => ({ path: f.path, contents: f.contents })) };
  const name = group[0].name;
  const { code, map, lazy } = await linkSingleFile({
    name,
    outdir,
    absWorkingDir: ROOT,
    outputFiles: result.outputFiles,
    metafile: result.metafile,
  });
  const path = join(outdir, `${name}.mjs`);
  return {
    files: [
      { path, contents: Buffer.from(code) },
      { path: `${path}.map`, contents: Buffer.from(JSON.stringify(map)) },
    ],
    lazy,
  };
}

const linkedEntries = entries.filter(perService);
const others = entries.filter((e) => !perService(e));
const results = await Promise.all([
  ...linkedEntries.map((e) =>
    buildGroup([e], moduleTextFor(e), policiesModule(sources, readsAs(e))).then((r) => ({
      ...r,
      name: e.name,
    })),
  ),
  ...(others.length > 0
    ? [
        buildGroup(
          others,
          embeddedModule(sources, waivers, generated, "default", undefined),
          policiesModule(sources, "default"),
        ),
      ]
    : []),
]);
const outputFiles = results.flatMap((r) => r.files);
for (const file of outputFiles) writeAtomically(file.path, file.contents);
// An earlier build wrote the Config rule's lazily imported parts as files in chunks/: no longer used.
if (linkedEntries.length > 0) rmSync(join(outdir, "chunks"), { recursive: true, force: true });

const kb = (bytes) => `${(bytes / 1024).toFixed(0)} KiB`;
say(
  `catalogue: ${sources.policies.length} policy files, ${catalogue.controls.length} controls` +
    `${sources.waivers ? ", waivers.json" : ""}; validators: ${mode}`,
);
const lazyParts = new Map(results.filter((r) => r.lazy).map((r) => [`${r.name}.mjs`, r.lazy]));
for (const file of outputFiles.filter((f) => !f.path.endsWith(".map"))) {
  const lazy = lazyParts.get(relative(outdir, file.path)) ?? [];
  const parts =
    lazy.length > 0
      ? `, ${lazy.length} parts embedded as deflated text, inflated and compiled when first used`
      : "";
  say(`  ${relative(ROOT, file.path)}  ${kb(file.contents.byteLength)} (+ source map)${parts}`);
}
say(`built ${entries.length} handler bundle(s) in ${Math.round(performance.now() - started)} ms`);
