// The linker that makes the Config rule's bundle one file (build/single-file.mjs), on a small
// build: what the entry imports statically is code of the file, what it reaches only through
// import() is deflated text, inflated and compiled on first use, shared modules are one instance, a
// failed part is tried again, and the source map has a section per module.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import * as esbuild from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lazyParts, linkSingleFile } from "../../build/single-file.mjs";

const SOURCES: Record<string, string> = {
  "entry.js": `
import { shared } from "./shared.js";
import { readFileSync } from "node:fs";
export async function handler(event) {
  if (event === "lazy") return (await import("./lazy.js")).lazyValue() + shared.count;
  if (event === "fails") return (await import("./fails.js")).never;
  return typeof readFileSync + ":" + shared.count;
}`,
  "shared.js": "export const shared = { count: 1 };",
  "lazy.js": `
import { shared } from "./shared.js";
shared.count += 10;
globalThis.__lazyEvaluations = (globalThis.__lazyEvaluations ?? 0) + 1;
export const lazyValue = () => "lazy-";`,
  "fails.js": `
globalThis.__failAttempts = (globalThis.__failAttempts ?? 0) + 1;
throw new Error("part failed at load");
export const never = 1;`,
};

let dir: string;
let linked: Awaited<ReturnType<typeof linkSingleFile>>;
let handler: (event: string) => Promise<string>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "single-file-"));
  const src = join(dir, "src");
  mkdirSync(src);
  for (const [name, text] of Object.entries(SOURCES)) writeFileSync(join(src, name), text);
  const outdir = join(dir, "out");
  const result = await esbuild.build({
    absWorkingDir: dir,
    entryPoints: { bundle: join(src, "entry.js") },
    outdir,
    outExtension: { ".js": ".mjs" },
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    bundle: true,
    format: "esm",
    platform: "node",
    sourcemap: true,
    metafile: true,
    write: false,
    logLevel: "silent",
  });
  linked = await linkSingleFile({
    name: "bundle",
    outdir,
    absWorkingDir: dir,
    outputFiles: result.outputFiles,
    metafile: result.metafile,
  });
  // In a folder of its own (without the source map comment: the test runner reads no index map).
  const alone = join(dir, "alone");
  mkdirSync(alone);
  writeFileSync(join(alone, "bundle.mjs"), linked.code.replace(/\/\/# sourceMappingURL=\S+\s*$/, ""));
  ({ handler } = await import(pathToFileURL(join(alone, "bundle.mjs")).href));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("linkSingleFile", () => {
  it("keeps the dynamically imported modules as text, and imports no file", () => {
    expect(linked.lazy.map((id) => id.replace(/-[A-Z0-9]+\.mjs$/, ""))).toEqual([
      "chunks/fails",
      "chunks/lazy",
    ]);
    expect(linked.code).not.toMatch(/\bfrom\s*"\.\.?\//);
    expect(linked.code).not.toMatch(/\bimport\s*\(/);
    // A lazy part is data: deflated and base64, none of its code readable in the file.
    expect(linked.code).toMatch(/"chunks\/lazy-[A-Z0-9]+\.mjs":\{deflated:"[A-Za-z0-9+/=]+"\}/);
    expect(linked.code).not.toContain("__lazyEvaluations");
    expect(linked.code).not.toContain("part failed at load");
    // lazyParts gives every part back as text.
    const parts = lazyParts(linked.code);
    expect(parts.map((p) => p.id)).toEqual(linked.lazy);
    expect(parts.find((p) => p.id.startsWith("chunks/lazy-"))?.text).toContain("__lazyEvaluations");
    expect(parts.find((p) => p.id.startsWith("chunks/fails-"))?.text).toContain("part failed at load");
  });

  it("runs the entry with its static imports and Node built-ins, without compiling a lazy part", async () => {
    expect(await handler("plain")).toBe("function:1");
    expect((globalThis as { __lazyEvaluations?: number }).__lazyEvaluations).toBeUndefined();
  });

  it("compiles a lazy part on its first import(), once, sharing the modules the entry loaded", async () => {
    expect(await handler("lazy")).toBe("lazy-11");
    expect(await handler("lazy")).toBe("lazy-11");
    expect((globalThis as { __lazyEvaluations?: number }).__lazyEvaluations).toBe(1);
    expect(await handler("plain")).toBe("function:11");
  });

  it("a part that throws at load rejects the import(), and is tried again by the next", async () => {
    await expect(handler("fails")).rejects.toThrow("part failed at load");
    await expect(handler("fails")).rejects.toThrow("part failed at load");
    expect((globalThis as { __failAttempts?: number }).__failAttempts).toBe(2);
  });

  it("maps the code modules to their sources and lists the text parts' sources", () => {
    const sections = linked.map.sections;
    const entry = sections.find((s) => s.map.sources.some((f) => f.endsWith("src/entry.js")));
    expect(entry?.map.mappings.length).toBeGreaterThan(0);
    const lazy = sections.find((s) => s.map.sources.some((f) => f.endsWith("src/lazy.js")));
    expect(lazy?.map.mappings).toBe("");
    const lines = sections.map((s) => s.offset.line);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });
});
