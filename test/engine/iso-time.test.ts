// toIsoTime returns a timestamp already in its canonical form as it is (no second parse) and
// converts every other form: the quick shape check must accept exactly the canonical form.

import { describe, expect, it } from "vitest";
import { toIsoTime } from "../../engine/normalise.ts";

const CANONICAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A small seeded generator (mulberry32), so that a failure is reproducible. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("toIsoTime", () => {
  it("keeps a canonical timestamp as it is and converts the other forms", () => {
    expect(toIsoTime("2024-05-01T12:00:00.000Z")).toBe("2024-05-01T12:00:00.000Z");
    expect(toIsoTime("2024-05-01T12:00:00Z")).toBe("2024-05-01T12:00:00.000Z");
    expect(toIsoTime("2024-05-01T12:00:00.000+01:00")).toBe("2024-05-01T11:00:00.000Z");
    // Past the 28th the date is parsed, so an impossible one rolls over as before.
    expect(toIsoTime("2024-02-30T00:00:00.000Z")).toBe("2024-03-01T00:00:00.000Z");
    expect(toIsoTime(1714564800)).toBe("2024-05-01T12:00:00.000Z");
  });

  it("gives undefined for a value that is not a time, never the value itself or a RangeError", () => {
    for (const value of [
      "yesterday",
      "2022-13-45T99:00:00Z",
      "99999999999999999999",
      1e20,
      -1e20,
      "datetime.datetime(999999, 1, 1)",
      { __class__: "datetime", year: 1e9, month: 1, day: 1 },
      { __class__: "datetime", year: "soon" },
      true,
      [],
    ]) {
      expect(toIsoTime(value), JSON.stringify(value)).toBeUndefined();
    }
    // The largest dates there are still convert.
    expect(toIsoTime(8.64e15)).toBe("+275760-09-13T00:00:00.000Z");
    expect(toIsoTime(1e11)).toBe("5138-11-16T09:46:40.000Z");
  });

  it("treats a near-canonical string (one character changed) as the regular expression would", () => {
    const next = random(20261202);
    const base = "2024-05-01T12:34:56.789Z";
    const alphabet = "0123456789-T:.Zx ";
    for (let n = 0; n < 2000; n++) {
      const at = Math.floor(next() * base.length);
      const char = alphabet[Math.floor(next() * alphabet.length)]!;
      const text = `${base.slice(0, at)}${char}${base.slice(at + 1)}`;
      const parsed = Date.parse(text);
      const expected = CANONICAL.test(text) && text[8]! <= "2" ? text : toIsoTimeByParse(parsed);
      expect(toIsoTime(text), text).toBe(expected);
    }
  });
});

/** What toIsoTime gives a string that is not canonical: Date.parse's reading, or undefined (not a time). */
function toIsoTimeByParse(parsed: number): string | undefined {
  return Number.isNaN(parsed) ? undefined : new Date(parsed).toISOString();
}
