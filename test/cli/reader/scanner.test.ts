// The byte scanner that cuts JSON input into values to parse one by one: for any JSON array,
// snapshot or NDJSON text, with any whitespace and any chunk boundaries (inside strings, escapes,
// multi-byte characters), the values it cuts out parse to exactly the elements JSON.parse sees.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { JsonScanner, type ScanEvent } from "../../../cli/reader/scanner.ts";

const LIMITS = { maxItemBytes: 1024 * 1024, maxDepth: 64 };

function scan(bytes: Buffer, cuts: number[], options: { lines?: boolean; limits?: typeof LIMITS } = {}) {
  const scanner = new JsonScanner(options.limits ?? LIMITS, { lines: options.lines });
  const events: ScanEvent[] = [];
  let at = 0;
  for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
    if (cut <= at || cut >= bytes.length) continue;
    events.push(...scanner.push(bytes.subarray(at, cut)));
    at = cut;
  }
  events.push(...scanner.push(bytes.subarray(at)));
  events.push(...scanner.end());
  return events;
}

const values = (events: ScanEvent[]) =>
  events.map((e) => (e.kind === "value" ? JSON.parse(e.bytes.toString("utf8")) : { problem: e.message }));

// Strings full of what a scanner may trip over: quotes, backslashes, brackets, separators,
// line breaks (escaped by JSON.stringify), non-ASCII and astral characters.
const tricky = fc.constantFrom(
  '"',
  "\\",
  "[",
  "]",
  "{",
  "}",
  ",",
  ":",
  "a",
  " ",
  "\n",
  "é",
  "😀",
  "\u2028",
  "\\u",
);
const json = fc.jsonValue({ maxDepth: 4, stringUnit: tricky });
const space = fc.constantFrom("", " ", "\n", "\t", "\r\n", "  ");

/** JSON.stringify with random whitespace between tokens (never inside strings or numbers). */
function render(value: unknown, ws: () => string): string {
  if (Array.isArray(value))
    return `[${ws()}${value.map((v) => `${ws()}${render(v, ws)}${ws()}`).join(",")}${ws()}]`;
  if (value !== null && typeof value === "object") {
    const members = Object.entries(value).map(
      ([k, v]) => `${ws()}${JSON.stringify(k)}${ws()}:${ws()}${render(v, ws)}${ws()}`,
    );
    return `{${members.join(",")}${ws()}}`;
  }
  return JSON.stringify(value);
}

const spacing = fc.array(space, { minLength: 1, maxLength: 50 }).map((spaces) => {
  let i = 0;
  return () => spaces[i++ % spaces.length]!;
});

describe("JsonScanner", () => {
  it("cuts a top-level array into its elements, whatever the whitespace and chunk boundaries", () => {
    fc.assert(
      fc.property(
        fc.array(json, { maxLength: 8 }),
        spacing,
        fc.array(fc.nat(), { maxLength: 12 }),
        (items, ws, cuts) => {
          const bytes = Buffer.from(`${ws()}${render(items, ws)}${ws()}`);
          const events = scan(
            bytes,
            cuts.map((c) => c % (bytes.length + 1)),
          );
          expect(values(events)).toEqual(JSON.parse(bytes.toString("utf8")));
          expect(events.every((e) => e.kind === "value" && e.list === "")).toBe(true);
        },
      ),
      { seed: 1616, numRuns: 300 },
    );
  });

  it("cuts a snapshot's configurationItems into its elements, ignoring the other members", () => {
    fc.assert(
      fc.property(
        fc.array(json, { maxLength: 6 }),
        fc.dictionary(fc.string({ unit: tricky, maxLength: 6 }), json, { maxKeys: 3 }),
        fc.constantFrom("configurationItems", "baseConfigurationItems", "Results"),
        spacing,
        fc.array(fc.nat(), { maxLength: 12 }),
        (items, others, key, ws, cuts) => {
          const { configurationItems: _a, baseConfigurationItems: _b, Results: _c, ...rest } = others;
          const doc = { ...rest, [key]: items, after: rest };
          const bytes = Buffer.from(render(doc, ws));
          const events = scan(
            bytes,
            cuts.map((c) => c % (bytes.length + 1)),
          );
          expect(values(events)).toEqual(items);
          for (const e of events) expect(e).toMatchObject({ kind: "value", list: key });
          expect(events.map((e) => e.index)).toEqual(items.map((_, i) => i));
        },
      ),
      { seed: 1617, numRuns: 200 },
    );
  });

  it("reads NDJSON and concatenated JSON: each top-level value whole (arrays element by element)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.dictionary(fc.string({ maxLength: 5 }), json, { maxKeys: 3 }), json), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.array(fc.nat(), { maxLength: 12 }),
        (lines, cuts) => {
          const bytes = Buffer.from(`${lines.map((l) => JSON.stringify(l)).join("\n")}\n`);
          const events = scan(
            bytes,
            cuts.map((c) => c % (bytes.length + 1)),
            { lines: true },
          );
          const expected = lines.flatMap((l) => (Array.isArray(l) ? l : [l]));
          expect(values(events)).toEqual(expected);
        },
      ),
      { seed: 1618, numRuns: 200 },
    );
  });

  it("names the line each NDJSON value starts on, and a broken line is one problem", () => {
    const text = '{"a":1}\n{"b": 2\n{"c": 3}\n\n[4, 5]\n';
    const events = scan(Buffer.from(text), [3, 9, 20], { lines: true });
    expect(events.map((e) => [e.kind, e.topLine])).toEqual([
      ["value", 1],
      ["problem", 2],
      ["value", 3],
      ["value", 5],
      ["value", 5],
    ]);
  });

  it("switches to one value a line when a one-line value is followed by another (NDJSON on stdin)", () => {
    const events = scan(Buffer.from('{"a":1}\n{"b": \n{"c":3}\n'), []);
    expect(events.map((e) => (e.kind === "value" ? e.bytes.toString() : e.kind))).toEqual([
      '{"a":1}',
      "problem",
      '{"c":3}',
    ]);
  });

  it("reports each malformed or missing element and keeps the others", () => {
    const events = scan(Buffer.from('[1,,{"a":[}, "x" 2, 3]'), [5]);
    expect(events.map((e) => (e.kind === "value" ? e.bytes.toString() : `${e.kind}@${e.index}`))).toEqual([
      "1",
      "problem@1",
      '{"a":[}, "x" 2, 3]',
      "problem@2",
    ]);
  });

  it("stops at text that is not JSON, naming its kind and position but never the text", () => {
    for (const text of ["hunter2-SECRET", '{"a":1}\n]', "\u0000\u0001PAYLOAD"]) {
      const events = scan(Buffer.from(text), []);
      const fatal = events.find((e) => e.kind === "fatal");
      expect(fatal?.kind === "fatal" && fatal.message).toMatch(
        /^not valid JSON: unexpected .* at line \d+, column \d+$/,
      );
      expect(JSON.stringify(events)).not.toMatch(/hunter2|SECRET|PAYLOAD/);
    }
  });

  it("skips (and reports) a value larger than the item size limit, or nested deeper than the depth limit", () => {
    const limits = { maxItemBytes: 64, maxDepth: 4 };
    const big = JSON.stringify({ x: "y".repeat(200) });
    const deep = "[[[[[1]]]]]";
    const events = scan(Buffer.from(`[1, ${big}, ${deep}, 2]`), [10, 30, 100, 220], { limits });
    expect(events.map((e) => (e.kind === "value" ? e.bytes.toString() : e.message))).toEqual([
      "1",
      "larger than the item size limit (--max-item-size 64B): skipped",
      "nested deeper than the depth limit (--max-depth 4): skipped",
      "2",
    ]);
  });

  it("keeps no more than one value in memory however large the input", () => {
    const scanner = new JsonScanner({ maxItemBytes: 1000, maxDepth: 8 });
    scanner.push(Buffer.from("["));
    let seen = 0;
    const item = Buffer.from(`${JSON.stringify({ k: "v".repeat(500) })},`);
    for (let i = 0; i < 10_000; i++) seen += scanner.push(item).length;
    expect(seen).toBe(10_000);
    // A value larger than the limit spanning many chunks is dropped as it grows, not kept.
    scanner.push(Buffer.from('{"x":"'));
    for (let i = 0; i < 1000; i++) scanner.push(Buffer.from("a".repeat(1000)));
    const tail = [...scanner.push(Buffer.from('"}]')), ...scanner.end()];
    expect(tail).toEqual([
      expect.objectContaining({ kind: "problem", message: expect.stringMatching(/item size limit/) }),
    ]);
    expect((scanner as unknown as { partBytes: number }).partBytes).toBe(0);
  });

  it("reports an input that ends inside a value", () => {
    const events = scan(Buffer.from('{"configurationItems":[{"a":1},{"b":'), [7]);
    expect(events.map((e) => e.kind)).toEqual(["value", "problem"]);
    expect(events[1]).toMatchObject({ list: "configurationItems", index: 1 });
  });
});
