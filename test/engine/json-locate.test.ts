// Locating problems at file:line:column: one index per file, the same answers as walking the tree
// for each pointer (the previous way, quadratic in the number of problems), and a policy with
// thousands of errors is located whole. (Speed is never asserted here.)

import { findNodeAtLocation, type Node, parseTree } from "jsonc-parser";
import { describe, expect, it } from "vitest";
import { checkCatalogue } from "../../engine/catalogue.ts";
import { locator } from "../../engine/json-locate.ts";
import { readPolicySources } from "../../loader/policy-files.ts";

/**
 * For each offset k of `text` (0 to its length): the newlines before k, and the last one's index
 * (-1: none). What the previous implementation counted by scanning from the start for every
 * pointer, counted once per file.
 */
function newlinesBefore(text: string): { count: Int32Array; last: Int32Array } {
  const count = new Int32Array(text.length + 1);
  const last = new Int32Array(text.length + 1);
  last[0] = -1;
  for (let i = 0; i < text.length; i++) {
    const newline = text.charCodeAt(i) === 10;
    count[i + 1] = (count[i] as number) + (newline ? 1 : 0);
    last[i + 1] = newline ? i : (last[i] as number);
  }
  return { count, last };
}

/** The previous implementation, the reference meaning (its line count from `newlinesBefore`). */
function oldLocate(
  text: string,
  tree: Node | undefined,
  pointer: string,
  newlines: ReturnType<typeof newlinesBefore>,
) {
  let offset = 0;
  if (tree) {
    const path = pointer
      .split("/")
      .slice(1)
      .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"))
      .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    for (let n = path.length; n >= 0; n--) {
      const node = findNodeAtLocation(tree, path.slice(0, n));
      if (node) {
        offset = node.parent?.type === "property" ? node.parent.offset : node.offset;
        break;
      }
    }
  }
  // The newlines before the offset (at most the whole text).
  const k = Math.min(Math.max(offset, 0), text.length);
  const line = 1 + (newlines.count[k] as number);
  const lastNewline = newlines.last[k] as number;
  return { line, column: offset - lastNewline };
}

/** Every pointer of a parsed value, and a missing child of each. */
function pointers(value: unknown, at = "", out: string[] = []): string[] {
  out.push(at, `${at}/missing~1child`);
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) pointers(v, `${at}/${i}`, out);
  } else if (typeof value === "object" && value !== null)
    for (const [k, v] of Object.entries(value))
      pointers(v, `${at}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`, out);
  return out;
}

describe("locator", () => {
  it("answers as walking the tree did, for every pointer of every policy file", () => {
    let checked = 0;
    for (const { text } of readPolicySources()) {
      const tree = parseTree(text);
      const at = locator(text, tree);
      const newlines = newlinesBefore(text);
      for (const p of pointers(JSON.parse(text))) {
        const expected = oldLocate(text, tree, p, newlines);
        const actual = at(p);
        if (actual.line !== expected.line || actual.column !== expected.column) {
          expect({ p, actual }).toEqual({ p, actual: expected });
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10_000);
  });

  it("handles keys with / and ~, missing pointers, and no tree", () => {
    const text = '{\n  "a/b": {\n    "c~d": [1,\n 2]\n  }\n}';
    const at = locator(text, parseTree(text));
    expect(at("/a~1b/c~0d/1")).toEqual({ line: 4, column: 2 });
    expect(at("/a~1b/c~0d")).toEqual({ line: 3, column: 5 });
    expect(at("/a~1b/nothing/deeper")).toEqual({ line: 2, column: 3 });
    expect(at("")).toEqual({ line: 1, column: 1 });
    expect(locator("not json", undefined)("/x")).toEqual({ line: 1, column: 1 });
  });

  it("locates every error of a policy with thousands of them", () => {
    const base = JSON.parse(
      readPolicySources().find((s) => s.file.endsWith("dynamodb.json"))?.text ?? "{}",
    ) as { controls: unknown[] };
    base.controls = Array.from({ length: 1000 }, (_, i) => ({ nope: i, id: 5 }));
    const text = JSON.stringify(base, null, 2);
    const { problems } = checkCatalogue([{ file: "big.json", text }]);
    expect(problems.length).toBeGreaterThan(5000);
    const lines = text.split("\n");
    // The last control's problems sit on its own lines: after the opening of all 1000 controls.
    const last = problems.filter((p) => p.pointer.startsWith("/controls/999")).at(-1);
    expect(last).toBeDefined();
    const line = lines[(last?.line ?? 0) - 1] ?? "";
    expect(line.slice((last?.column ?? 1) - 1)).toMatch(/^("nope"|"id"|\{)/);
    expect(lines.slice(0, (last?.line ?? 0) - 1).filter((l) => l === "    {").length).toBe(1000);
  });
});
