// The documentation cannot drift from the product: every `console` block of README.md and docs/
// is run and its output compared (volatile parts masked; see console-blocks.ts for the rules),
// every other command example is marked illustrative, no machine path is shown, and benchmark
// figures appear only in the README, where `npm run bench` produces them.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/cli.ts";
import { fencedBlocks, isChecked, isUnmarkedCommandExample, mask, matches, steps } from "./console-blocks.ts";
import { runExample } from "./run-example.ts";

const DOCS = [
  "README.md",
  ...readdirSync(join(ROOT, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
];
// The examples run at a fixed time: waivers in policies/waivers.json are in force then.
const NOW = new Date("2026-11-28T09:00:00Z");

describe("documentation examples", () => {
  const blocks = DOCS.flatMap((file) => fencedBlocks(file, readFileSync(join(ROOT, file), "utf8")));

  it("marks every command example either checked (console) or illustrative", () => {
    const unmarked = blocks.filter(isUnmarkedCommandExample).map((b) => `${b.file}:${b.line}`);
    expect(unmarked).toEqual([]);
    expect(blocks.filter(isChecked).length).toBeGreaterThan(5);
  });

  it("shows no path of a developer's machine", () => {
    for (const file of DOCS) {
      const text = readFileSync(join(ROOT, file), "utf8");
      expect(text.match(/(?:^|[\s"'(])\/(?:work|home|Users|root)\/[^\s"')]*/gm) ?? [], file).toEqual([]);
    }
  });

  it("has benchmark figures in the README only", () => {
    for (const file of DOCS.filter((f) => f !== "README.md")) {
      const text = readFileSync(join(ROOT, file), "utf8");
      // A benchmark figure: per item in microseconds, a throughput, or a ratio to its baseline.
      expect(
        text.match(/\d[\d.,]* ?(?:µs|items\/s)|\d[\d.,]*x baseline|bench\/results\.json/g) ?? [],
        file,
      ).toEqual([]);
    }
  });

  for (const block of blocks.filter(isChecked)) {
    it(`${block.file}:${block.line} prints what it shows`, async () => {
      let code = 0;
      for (const step of steps(block)) {
        const ran = await runExample(step.command, ROOT, code, NOW);
        code = ran.code;
        if (!matches(step.expected, ran.output)) {
          // Show what it prints now (masked), to update the documentation from.
          expect(ran.output.map(mask).join("\n"), `$ ${step.command}`).toBe(
            step.expected.map(mask).join("\n"),
          );
        }
      }
    });
  }
});
