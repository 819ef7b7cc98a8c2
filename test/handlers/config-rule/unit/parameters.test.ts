// Rule parameters: service, ciaRating, warnings, the fail-safe default.

import { describe, expect, it } from "vitest";
import { parseRuleParameters } from "../../../../handlers/config/parameters.ts";

const services = new Set(["dynamodb", "s3"]);
const HIGHEST = { c: 3, i: 3, a: 3 };

describe("parseRuleParameters", () => {
  it.each([undefined, null, "", "{}"])("no parameters (%s): every control, the highest rating", (raw) => {
    expect(parseRuleParameters(raw, services)).toEqual({ rating: HIGHEST, warnings: [], errors: [] });
  });

  it("reads service and ciaRating", () => {
    expect(parseRuleParameters('{"service":"s3","ciaRating":"c1i2a3"}', services)).toEqual({
      service: "s3",
      rating: { c: 1, i: 2, a: 3 },
      warnings: [],
      errors: [],
    });
  });

  it("accepts the allowed-services rule", () => {
    expect(parseRuleParameters('{"service":"allowed-services"}', services).service).toBe("allowed-services");
  });

  it("accepts parameters given as an object", () => {
    expect(parseRuleParameters({ service: "dynamodb" }, services).service).toBe("dynamodb");
  });

  it("warns about unknown parameters and ignores them", () => {
    expect(parseRuleParameters('{"myParameterKey":"v","service":"s3"}', services)).toEqual({
      service: "s3",
      rating: HIGHEST,
      warnings: ['unknown rule parameter "myParameterKey" ignored'],
      errors: [],
    });
  });

  it.each([
    ['"C4I1A1"', '"C4I1A1"'],
    ['"high"', '"high"'],
    ["332", "332"],
    ["null", "null"],
  ])("falls back to the highest rating for ciaRating %s, with a warning", (value, shown) => {
    const parsed = parseRuleParameters(`{"ciaRating":${value}}`, services);
    expect(parsed.rating).toEqual(HIGHEST);
    expect(parsed.warnings).toEqual([
      `rule parameter ciaRating ${shown} is not like C3I2A1: the highest rating C3I3A3 applies`,
    ]);
  });

  it.each(["{oops", "[1,2]", '"text"'])(
    "ignores parameters that are not a JSON object (%s), with a warning",
    (raw) => {
      const parsed = parseRuleParameters(raw, services);
      expect(parsed).toMatchObject({ rating: HIGHEST });
      expect(parsed.service).toBeUndefined();
      expect(parsed.warnings).toHaveLength(1);
    },
  );

  it("ignores a service that is not a string, with a warning", () => {
    const parsed = parseRuleParameters('{"service":42}', services);
    expect(parsed.service).toBeUndefined();
    expect(parsed.warnings).toEqual([
      'rule parameter "service" must be a non-empty string, ignored: every control runs',
    ]);
  });

  it("reports a service the catalogue does not have as an error and runs every control (no service)", () => {
    const parsed = parseRuleParameters('{"service":"ec2","ciaRating":"C1I1A1"}', services);
    expect(parsed).toEqual({
      rating: { c: 1, i: 1, a: 1 },
      warnings: [],
      errors: [
        'rule parameter service "ec2" is not in the embedded catalogue (known: dynamodb, s3, allowed-services): every control for the item\'s type runs',
      ],
    });
    expect(parsed).not.toHaveProperty("service");
  });
});
