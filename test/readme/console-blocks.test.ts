import { describe, expect, it } from "vitest";
import { fencedBlocks, isChecked, isUnmarkedCommandExample, mask, matches, steps } from "./console-blocks.ts";
import { words } from "./run-example.ts";

describe("the examples test's own rules", () => {
  it("matches output with elisions and masked volatile parts, and fails on a real difference", () => {
    expect(matches(["a", "...", "z"], ["a", "b", "c", "z"])).toBe(true);
    expect(matches(["a", "...", "z"], ["a", "z"])).toBe(true);
    expect(matches(["a", "z"], ["a", "b", "z"])).toBe(false);
    expect(matches(["wrote x (123 bytes)"], ["wrote x (98765 bytes)"])).toBe(true);
    expect(matches(["wrote x (123 bytes)"], ["wrote y (123 bytes)"])).toBe(false);
    expect(matches(['{"results": ...'], ['{"results": [1, 2]}'])).toBe(true);
    expect(matches(['{"results": ...'], ['{"problems": []}'])).toBe(false);
    expect(mask("at 2026-11-27T08:00:00.000Z and 2026-11-27 08:00:00 UTC, 12 ms")).toBe(
      "at <time> and <time>, <duration>",
    );
  });

  it("tells checked, illustrative and unmarked command blocks apart", () => {
    const text = [
      "```console",
      "$ npx compliance validate",
      "ok",
      "```",
      "```console",
      "# illustrative: needs AWS",
      "$ aws configservice ...",
      "```",
      "```sh",
      "npx compliance evaluate",
      "```",
      "```json",
      '{ "a": 1 }',
      "```",
    ].join("\n");
    const blocks = fencedBlocks("x.md", text);
    expect(blocks.map(isChecked)).toEqual([true, false, false, false]);
    expect(blocks.map(isUnmarkedCommandExample)).toEqual([false, false, true, false]);
    expect(steps(blocks[0]!)).toEqual([{ command: "npx compliance validate", expected: ["ok"] }]);
  });

  it("splits commands like a shell, dropping comments", () => {
    expect(words(`npx compliance evaluate "a b.json" --x 'y' > out.json   # note`)).toEqual([
      "npx",
      "compliance",
      "evaluate",
      "a b.json",
      "--x",
      "y",
      ">",
      "out.json",
    ]);
  });
});
