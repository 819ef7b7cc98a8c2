// The Lambda bundles import only what runs: the validators generated at build time and the
// catalogue's run-time data, no schema compiler (Ajv's compiler, ajv-formats, fast-uri), no JSON
// parser with locations (jsonc-parser), no policy test cases.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ensureBundle, ROOT } from "./support/bundle.ts";

const BUNDLES = ["config-rule", "notifier"].map((name) => join(ROOT, `dist/handlers/${name}.mjs`));

function sourcesOf(bundle: string): string[] {
  return (JSON.parse(readFileSync(`${bundle}.map`, "utf8")) as { sources: string[] }).sources;
}

describe("the Lambda bundles are lean", () => {
  it.each(BUNDLES)("%s carries no schema compiler, formats, URI parser or located JSON parser", (bundle) => {
    ensureBundle();
    const sources = sourcesOf(bundle);
    expect(sources.length).toBeGreaterThan(50);
    const offending = sources.filter((s) =>
      /node_modules\/(ajv\/(?!(dist|lib)\/runtime\/)|ajv-formats\/|fast-uri\/|jsonc-parser\/)/.test(s),
    );
    expect(offending).toEqual([]);
    // The engine's compiling modules stay out too.
    expect(sources.filter((s) => /engine\/(catalogue|waivers)\.ts$/.test(s))).toEqual([]);
    // The generated validators are in (Ajv's run-time helpers only).
    expect(sources.some((s) => s.includes("compliance-embedded:validators"))).toBe(true);
  });

  it.each(BUNDLES)("%s embeds no policy test cases", (bundle) => {
    const text = readFileSync(bundle, "utf8");
    expect(text).toContain("DDB.PITR");
    expect(text).not.toMatch(/\\?"cases\\?":/);
  });
});
