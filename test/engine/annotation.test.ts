// The annotation: built from structured findings, read back by the same module. Round trip as a
// property; shortening touches property paths, never values; the 256-character limit never splits
// a surrogate pair; on every real item and the sample organisation what the notifier reads back is
// what the engine found.

import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it, test } from "vitest";
import { readInputs } from "../../cli/inputs.ts";
import {
  type AnnotationFailure,
  buildAnnotation,
  MAX_ANNOTATION,
  parseAnnotation,
  shortenPath,
  truncate,
} from "../../engine/annotation.ts";
import { formatRating } from "../../engine/cia.ts";
import { evaluate } from "../../engine/evaluate.ts";
import { normalise } from "../../engine/normalise.ts";
import { bySeverity, SEVERITY_ORDER } from "../../engine/severity.ts";
import type { CiaRating, Severity } from "../../engine/types.ts";
import { repositoryCatalogue } from "../support/catalogue.ts";
import { FIXTURES } from "../support/fixtures.ts";

const level = fc.constantFrom(1, 2, 3) as fc.Arbitrary<1 | 2 | 3>;
const rating = fc.record({ c: level, i: level, a: level });
const achievedLevel = fc.constantFrom(0, 1, 2, 3) as fc.Arbitrary<0 | 1 | 2 | 3>;
const achieved = fc.record({ c: achievedLevel, i: achievedLevel, a: achievedLevel });
const controlId = fc
  .tuple(fc.stringMatching(/^[A-Z][A-Z0-9]{0,5}$/), fc.stringMatching(/^[A-Z0-9][A-Z0-9-]{0,20}$/))
  .map(([service, name]) => `${service}.${name}`);
// Words of any kind, values with quotes, semicolons and brackets included; only a text that itself
// spells a failure head ("; [HIGH] X.Y: ") is left out: the format cannot tell it from a real one.
const words = fc
  .string({ unit: fc.constantFrom("a", "Z", " ", ".", ";", '"', "[", "]", ":", "…", "é", "7", "-") })
  .filter((t) => !/(^|; )\[[A-Z]+\] [A-Z]/.test(t));
const failure: fc.Arbitrary<AnnotationFailure> = fc.record({
  severity: fc.constantFrom(...SEVERITY_ORDER) as fc.Arbitrary<Severity>,
  controlId,
  text: fc.record(
    {
      lead: words,
      sentences: fc.array(fc.record({ path: fc.option(words, { nil: undefined }), rest: words }), {
        minLength: 1,
        maxLength: 3,
      }),
    },
    { requiredKeys: ["sentences"] },
  ),
});

describe("buildAnnotation and parseAnnotation", () => {
  it("read back the failures shown, most severe first, the count of the others and the levels", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(failure, { minLength: 1, maxLength: 12, selector: (f) => f.controlId }),
        achieved,
        rating,
        (failures, got, required) => {
          const text = buildAnnotation({ kind: "failing", failures, achieved: got, required });
          expect(text.length).toBeLessThanOrEqual(MAX_ANNOTATION);
          const parsed = parseAnnotation(text);
          const sorted = [...failures].sort(bySeverity);
          expect(parsed.failures.length).toBeGreaterThanOrEqual(1);
          expect(parsed.failures).toEqual(
            sorted
              .slice(0, parsed.failures.length)
              .map((f) => ({ severity: f.severity, controlId: f.controlId })),
          );
          expect(parsed.failures.length + parsed.more).toBe(failures.length);
          expect(parsed.achieved).toBe(formatRating(got));
          expect(parsed.evaluatedAgainst).toBe(formatRating(required));
        },
      ),
      { seed: 20260101, numRuns: 400 },
    );
  });

  it("read no failure from a passing result or a note", () => {
    fc.assert(
      fc.property(fc.nat(40), fc.nat(5), achieved, rating, (passed, waived, got, required) => {
        const text = buildAnnotation({ kind: "passing", passed, waived, achieved: got, required });
        expect(parseAnnotation(text)).toEqual({
          failures: [],
          more: 0,
          achieved: formatRating(got),
          evaluatedAgainst: formatRating(required),
        });
      }),
      { seed: 7, numRuns: 100 },
    );
    expect(parseAnnotation(buildAnnotation({ kind: "note", text: "Not applicable: deleted." }))).toEqual({
      failures: [],
      more: 0,
    });
    expect(parseAnnotation(undefined)).toEqual({ failures: [], more: 0 });
  });
});

describe("shortening", () => {
  it("shortens a long property path to its last two segments and leaves short ones", () => {
    expect(shortenPath("supplementaryConfiguration.A.b.status")).toBe("…b.status");
    expect(shortenPath("configuration.rules[0].filter.prefix")).toBe("…filter.prefix");
    expect(shortenPath("configuration.billingModeSummary.billingMode")).toBe(
      "configuration.billingModeSummary.billingMode",
    );
  });

  it("never rewrites a value, however much it looks like a path", () => {
    const text = buildAnnotation({
      kind: "failing",
      failures: [
        {
          severity: "high",
          controlId: "APIGW.PRIVATE",
          text: {
            sentences: [
              {
                path: "configuration.endpointConfiguration.types[0].name",
                rest: ' is "api.eu-west-1.amazonaws.com", expected "execute-api.eu-west-1.vpce.amazonaws.com"',
              },
            ],
          },
        },
      ],
      achieved: { c: 1, i: 3, a: 3 },
      required: { c: 3, i: 3, a: 3 },
    });
    expect(text).toBe(
      '[HIGH] APIGW.PRIVATE: …types[0].name is "api.eu-west-1.amazonaws.com", expected "execute-api.eu-west-1.vpce.amazonaws.com". Achieved C1I3A3 of required C3I3A3.',
    );
  });
});

describe("truncate", () => {
  it("cuts to the limit with an ellipsis and never leaves half a surrogate pair", () => {
    const emoji = "😀"; // two UTF-16 code units
    for (let pad = 0; pad < 4; pad++) {
      const cut = truncate(`${"x".repeat(pad)}${emoji.repeat(200)}`);
      expect(cut.length).toBeLessThanOrEqual(MAX_ANNOTATION);
      expect(cut.endsWith("…")).toBe(true);
      expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    }
    expect(truncate("short")).toBe("short");
  });
});

describe("on every real item and the sample organisation", () => {
  const catalogue = repositoryCatalogue();
  const now = new Date("2026-01-01T00:00:00Z");
  const ratings: CiaRating[] = [
    { c: 3, i: 3, a: 3 },
    { c: 1, i: 1, a: 1 },
    { c: 3, i: 1, a: 2 },
  ];

  test("the notifier reads back the engine's required failures, most severe first, and the levels", async () => {
    const roots = [
      join(FIXTURES, "ci"),
      join(FIXTURES, "ci-partial"),
      new URL("../../samples/organisation/items/", import.meta.url).pathname,
    ];
    let checked = 0;
    for await (const event of readInputs(roots)) {
      if (event.kind !== "item") continue;
      const item = normalise(event.item.raw);
      for (const r of ratings) {
        const record = evaluate(item, catalogue, { rating: r, now });
        const parsed = parseAnnotation(record.annotation);
        const failing = record.findings.filter((f) => f.status === "FAIL" && f.required).sort(bySeverity);
        if (record.compliance !== "NON_COMPLIANT") {
          expect(parsed.failures).toEqual([]);
          continue;
        }
        checked++;
        expect(parsed.failures).toEqual(
          failing
            .slice(0, parsed.failures.length)
            .map((f) => ({ severity: f.severity, controlId: f.controlId })),
        );
        expect(parsed.failures.length + parsed.more).toBe(failing.length);
        expect(parsed.achieved).toBe(formatRating(record.achieved));
        expect(parsed.evaluatedAgainst).toBe(formatRating(r));
      }
    }
    expect(checked).toBeGreaterThan(100);
  });
});
