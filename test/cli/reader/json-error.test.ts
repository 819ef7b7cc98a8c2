// Syntax errors described by kind and position, never by quoting the input: the locator agrees
// with JSON.parse on what is valid, and its message is made of its own words only.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findJsonError, parseJson } from "../../../cli/reader/json-error.ts";

const MESSAGE = /^not valid JSON: [a-zA-Z ',:{}[\]()?\\-]+ at line \d+, column \d+$/;

/** Valid JSON with one character deleted, replaced or inserted: mostly invalid. */
const mutated = fc
  .tuple(
    fc.json({ maxDepth: 3 }),
    fc.nat(),
    fc.constantFrom("delete", "replace", "insert"),
    fc.string({ minLength: 1, maxLength: 1 }),
  )
  .map(([text, at, op, ch]) => {
    const i = text.length === 0 ? 0 : at % text.length;
    if (op === "delete") return text.slice(0, i) + text.slice(i + 1);
    if (op === "replace") return text.slice(0, i) + ch + text.slice(i + 1);
    return text.slice(0, i) + ch + text.slice(i);
  });

function valid(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe("findJsonError / parseJson", () => {
  it("agrees with JSON.parse, and describes every failure in its own words with a position", () => {
    fc.assert(
      fc.property(fc.oneof(mutated, fc.json({ maxDepth: 3 }), fc.string({ maxLength: 20 })), (text) => {
        const error = findJsonError(text);
        expect(error === undefined).toBe(valid(text));
        const parsed = parseJson(text);
        if ("error" in parsed) expect(parsed.error).toMatch(MESSAGE);
        else expect(parsed.value).toEqual(JSON.parse(text));
      }),
      { seed: 1619, numRuns: 2000 },
    );
  });

  it("locates errors in the file: line and column from where the text starts", () => {
    expect(parseJson('{"a": 1,\n  "b": hunter2}', 10, 5)).toEqual({
      error: "not valid JSON: unexpected letter at line 11, column 8",
    });
    expect(parseJson('{"a": "x', 1, 1)).toEqual({
      error: "not valid JSON: unterminated string at line 1, column 7",
    });
    expect(parseJson('["a\tb"]')).toEqual({
      error: "not valid JSON: control character in a string (a line break?) at line 1, column 4",
    });
  });

  it("handles nesting far deeper than the call stack", () => {
    const deep = `${"[".repeat(200_000)}1${"]".repeat(199_999)}`;
    expect(findJsonError(deep)).toEqual({ kind: "unexpected end of input", offset: deep.length });
  });
});
