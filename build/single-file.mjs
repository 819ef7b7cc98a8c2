// Links the output of an esbuild build with code splitting (an entry module and the chunks it
// imports, statically or by dynamic import()) into ONE self-contained ES module file.
//
// Each output module is converted to CommonJS (esbuild's transform: live bindings through getters,
// import() becomes a promise of require()) and becomes an entry of a module table in the file:
//   - the entry and every chunk it imports statically run at load anyway: they are plain functions
//     in the file, parsed with it;
//   - a chunk reached only through import() (each service's validators, the account item reader
//     and its SDK clients, the SDK's credential providers) is data: its text, deflated (zlib, raw)
//     and base64-encoded, in a string constant. A cold start that never loads the chunk does not
//     parse its code, and reads a fifth of its bytes: loading a module costs CPU for every byte of
//     its string literals too (decoding the file, scanning and copying each literal), about 40 ms
//     for the Config rule's 1.8 MB of parts as plain text on Node 20, 11 ms deflated. The first
//     require() of a part inflates it, compiles it with `new Function` and caches the module.
// The file exports what the entry exports. Node built-ins are required through createRequire.
// `lazyParts(code)` gives a linked file's parts back as text (for tests and audits that read it).

import { posix, relative, resolve, sep } from "node:path";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import * as esbuild from "esbuild";

/** The runtime of the linked file: the module table's loader (plain ES2022, minified by hand). */
const LOADER = [
  'import{createRequire as __cjsRequire}from"node:module";',
  "const __nodeRequire=__cjsRequire(import.meta.url),__cache=new Map;",
  // A module id relative to the file, from the id of the requiring module and a relative specifier.
  'function __resolve(from,spec){const p=from.split("/");p.pop();for(const s of spec.split("/"))s===".."?p.pop():s!=="."&&p.push(s);return p.join("/")}',
  "function __load(id){",
  "let m=__cache.get(id);if(m)return m.exports;",
  "let body=__modules[id];",
  'if(body===undefined)throw new Error("this bundle has no embedded module "+id+": rebuild it");',
  // A lazy chunk: inflated and compiled on its first use (the sourceURL names it in stack traces).
  'if(typeof body!=="function")body=new Function("module","exports","require",\'"use strict";\'+__nodeRequire("node:zlib").inflateRawSync(Buffer.from(body.deflated,"base64")).toString()+"\\n//# sourceURL="+__bundleName+"/"+id);',
  "m={exports:{}};__cache.set(id,m);",
  'const require=s=>s.startsWith("./")||s.startsWith("../")?__load(__resolve(id,s)):__nodeRequire(s);',
  "try{body(m,m.exports,require)}catch(e){__cache.delete(id);throw e}",
  "return m.exports}",
].join("");

/** `{ path: { imports: [{ path, kind }] } }` from the metafile, keyed by path relative to outdir. */
function importGraph(metafile, absWorkingDir, outdir) {
  const graph = new Map();
  const rel = (p) => relative(outdir, resolve(absWorkingDir, p)).split(sep).join("/");
  for (const [path, output] of Object.entries(metafile.outputs)) {
    if (!path.endsWith(".mjs")) continue;
    graph.set(
      rel(path),
      output.imports.filter((i) => !i.external).map((i) => ({ path: rel(i.path), kind: i.kind })),
    );
  }
  return graph;
}

/** The names the entry module exports. */
function exportsOf(metafile, absWorkingDir, outdir, file) {
  for (const [path, output] of Object.entries(metafile.outputs)) {
    if (resolve(absWorkingDir, path) === resolve(outdir, file)) return output.exports;
  }
  return [];
}

/** The entry and every module it imports (statically only, or also by import()), transitively. */
function closure(graph, entry, kinds) {
  const seen = new Set();
  const pending = [entry];
  while (pending.length > 0) {
    const id = pending.pop();
    if (seen.has(id)) continue;
    seen.add(id);
    for (const i of graph.get(id) ?? []) if (kinds.includes(i.kind)) pending.push(i.path);
  }
  return seen;
}

/** A module's source map with its sources relative to the linked file (not to its chunk). */
function rebasedMap(id, map) {
  const base = posix.join(posix.dirname(id), map.sourceRoot ?? "");
  // A module of esbuild's plugins (`compliance-embedded:validators/s3`) is named, not a path.
  const sources = (map.sources ?? []).map((source) =>
    /^[a-z-]+:/.test(source) ? source : posix.normalize(posix.join(base, source)),
  );
  return { ...map, sourceRoot: undefined, sources };
}

const lines = (text) => text.split("\n").length - 1;

/** A lazy part as the file holds it: deflated (raw, level 9: the build stays fast) and base64. */
const deflated = (text) => deflateRawSync(Buffer.from(text), { level: 9 }).toString("base64");

/**
 * The lazy parts of a linked file, as text: `[{ id, text }]` in file order. The file's code with
 * these is everything it can run (what a check of the bundle's contents must read).
 */
export function lazyParts(code) {
  const parts = [];
  for (const match of code.matchAll(/^("[^"\n]+"):\{deflated:"([A-Za-z0-9+/=]*)"\}/gm)) {
    parts.push({
      id: JSON.parse(match[1]),
      text: inflateRawSync(Buffer.from(match[2], "base64")).toString(),
    });
  }
  return parts;
}

/**
 * Links `outputFiles` (esbuild, write: false, format esm with splitting, sourcemap, with a metafile)
 * of the entry `name` (e.g. "config-rule") into one file: returns { code, map, lazy } where `lazy`
 * lists the ids of the modules embedded as text. The source map is an index map: a section per
 * module, where it starts in the file. A module that is code maps to its sources (esbuild chains
 * the conversion through the chunk's own map); a text one lists its sources without mappings (the
 * SBOM reads every section's `sources`: the packages the file carries).
 */
export async function linkSingleFile({ name, outdir, absWorkingDir, outputFiles, metafile }) {
  const file = `${name}.mjs`;
  const graph = importGraph(metafile, absWorkingDir, outdir);
  if (!graph.has(file)) throw new Error(`${file}: not among the outputs of the build`);
  const eager = closure(graph, file, ["import-statement"]);
  // A chunk nothing imports (esbuild can emit one for an import() that tree shaking removed) is left out.
  const reachable = closure(graph, file, ["import-statement", "dynamic-import"]);
  const idOf = (path) => relative(outdir, path).split(sep).join("/");
  const maps = new Map(
    outputFiles
      .filter((out) => out.path.endsWith(".map"))
      .map((out) => [idOf(out.path).slice(0, -".map".length), JSON.parse(out.text)]),
  );
  const modules = [];
  for (const out of outputFiles) {
    const id = idOf(out.path);
    if (!reachable.has(id)) continue;
    const map = rebasedMap(id, maps.get(id) ?? { sources: [] });
    const inline = Buffer.from(JSON.stringify(map)).toString("base64");
    const text = out.text.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, "\n");
    const isEager = eager.has(id);
    const converted = await esbuild.transform(
      `${text}\n//# sourceMappingURL=data:application/json;base64,${inline}\n`,
      {
        format: "cjs",
        platform: "node",
        target: "node22",
        minify: true,
        legalComments: "inline",
        // import() of a chunk becomes a promise of require(): the module table, not the file system.
        supported: { "dynamic-import": false },
        sourcemap: isEager,
        sourcefile: id,
        logLevel: "error",
      },
    );
    modules.push({
      id,
      code: converted.code.replace(/\n+$/, ""),
      eager: isEager,
      map: isEager
        ? JSON.parse(converted.map)
        : { version: 3, sources: map.sources, names: [], mappings: "" },
    });
  }
  modules.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const head = [LOADER, `const __bundleName=${JSON.stringify(file)};`, "const __modules={", ""].join("\n");
  let code = head;
  const sections = [];
  modules.forEach(({ id, code: moduleCode, eager: isEager, map }, i) => {
    const separator = i === 0 ? "" : ",\n";
    code += separator;
    if (isEager) {
      // The module's code starts a line, so its map applies from that line's first column.
      code += `${JSON.stringify(id)}:function(module,exports,require){\n`;
      sections.push({ offset: { line: lines(code), column: 0 }, map });
      code += `${moduleCode}\n}`;
    } else {
      sections.push({ offset: { line: lines(code), column: 0 }, map });
      code += `${JSON.stringify(id)}:{deflated:${JSON.stringify(deflated(moduleCode))}}`;
    }
  });
  code += [
    "",
    "};",
    `const __entry=__load(${JSON.stringify(file)});`,
    ...exportsOf(metafile, absWorkingDir, outdir, file).map(
      (name, i) => `const __x${i}=__entry[${JSON.stringify(name)}];export{__x${i} as ${name}};`,
    ),
    `//# sourceMappingURL=${file}.map`,
    "",
  ].join("\n");
  const map = { version: 3, file, sections };
  return { code, map, lazy: modules.filter((m) => !m.eager).map((m) => m.id) };
}
