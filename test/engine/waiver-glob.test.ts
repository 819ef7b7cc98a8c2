// Waiver resource globs: `*` is any run of characters, everything else literal. The matcher used
// to compile each glob to a backtracking regular expression (`^a.*b.*c$`), which takes time a
// power of the text length when a glob has many `*` and the text nearly matches; these tests
// hold the linear matcher to that old meaning and run the inputs that made the old one hang.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findWaiver, globMatches, type Waiver } from "../../engine/waiver-match.ts";

/** The previous implementation, kept here as the reference meaning. */
function oldGlobMatches(pattern: string, text: string): boolean {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
  return new RegExp(`^${escaped}$`).test(text);
}

describe("waiver globs", () => {
  it("means what the regular-expression matcher meant, on small generated inputs", () => {
    // A small alphabet so that patterns and texts overlap often; regex metacharacters included.
    const char = fc.constantFrom("a", "b", ":", "/", ".", "?", "+", "(", "$", "\\", "[");
    const text = fc.string({ unit: char, maxLength: 12 });
    const pattern = fc.string({ unit: fc.oneof(char, fc.constant("*")), maxLength: 8 });
    fc.assert(
      fc.property(pattern, text, (p, t) => globMatches(p, t) === oldGlobMatches(p, t)),
      { seed: 15, numRuns: 5000 },
    );
  });

  it("keeps the documented cases", () => {
    const arn = "arn:aws:s3:::legacy-logs-2019";
    expect(globMatches("arn:aws:s3:::legacy-*", arn)).toBe(true);
    expect(globMatches("*", "")).toBe(true);
    expect(globMatches("*logs*", arn)).toBe(true);
    expect(globMatches("arn:aws:s3:::legacy-", arn)).toBe(false);
    expect(globMatches("a*a", "a")).toBe(false); // prefix and suffix may not overlap
    expect(globMatches("arn:aws:s3:::legacy.logs*", "arn:aws:s3:::legacyXlogs-1")).toBe(false);
  });

  it("answers at once for a glob of many `*` against a long near-miss (the old matcher hung)", () => {
    // `^.*a.*a...a.*b$` against 20,000 `a`: the regular expression tries every way to place 12
    // stars before failing; the segment matcher makes one pass per segment.
    const pattern = `${"*a".repeat(12)}*b`;
    const text = "a".repeat(20_000);
    expect(globMatches(pattern, text)).toBe(false);
    expect(globMatches(pattern, `${text}b`)).toBe(true);
    const waiver: Waiver = {
      controlId: "S3.X",
      resources: [pattern],
      reason: "r",
      approver: "a",
      granted: "2026-01-01",
      expires: "2027-01-01",
    };
    const now = new Date("2026-06-01T00:00:00Z");
    expect(findWaiver([waiver], "S3.X", { accountId: "1", resourceId: text }, now)).toBeUndefined();
    expect(findWaiver([waiver], "S3.X", { accountId: "1", resourceId: `${text}b` }, now)).toBe(waiver);
  });
});
