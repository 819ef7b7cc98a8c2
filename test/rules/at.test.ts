// Keyword `at`: the path shorthand stands for the type/required/properties chain, gives the
// messages the written-out chain gives, and compiles to standalone code like any schema.

import { describe, expect, it } from "vitest";
import { createAjv } from "../../engine/catalogue.ts";
import { describeErrors } from "../../engine/messages.ts";
import { expandAt, parsePath } from "../../rules/at.ts";

const ajv = createAjv();

function judge(schema: Record<string, unknown>, item: unknown) {
  const validate = ajv.compile(schema);
  const ok = validate(item);
  return { ok, messages: ok ? [] : describeErrors(validate.errors ?? []) };
}

describe("parsePath", () => {
  it("reads a JSON pointer, `~1` and `~0` escapes, and `?` for an optional segment", () => {
    expect(parsePath("/configuration/methodSettings/*~1*/a~0b?")).toEqual([
      ["configuration", true],
      ["methodSettings", true],
      ["*/*", true],
      ["a~b", false],
    ]);
    expect(parsePath("")).toEqual([]);
    expect(() => parsePath("configuration")).toThrow(/must start with "\/"/);
  });
});

describe("expandAt", () => {
  it("is the type/required/properties chain, one object per shared prefix", () => {
    expect(
      expandAt({
        "/configuration/ssedescription/status": { const: "ENABLED" },
        "/configuration/ssedescription/ssetype": { const: "KMS" },
        "/configuration/tags?": { type: "object" },
      }),
    ).toEqual({
      type: "object",
      required: ["configuration"],
      properties: {
        configuration: {
          type: "object",
          required: ["ssedescription"],
          properties: {
            ssedescription: {
              type: "object",
              required: ["status", "ssetype"],
              properties: { status: { const: "ENABLED" }, ssetype: { const: "KMS" } },
            },
            tags: { type: "object" },
          },
        },
      },
    });
  });

  it("keeps a path that ends where another goes on: merged, or both by allOf when keywords collide", () => {
    expect(expandAt({ "/a": { description: "d" }, "/a/b": { const: 1 } })).toEqual({
      type: "object",
      required: ["a"],
      properties: {
        a: { description: "d", type: "object", required: ["b"], properties: { b: { const: 1 } } },
      },
    });
    expect(expandAt({ "/a": { required: ["c"] }, "/a/b": { const: 1 } })).toEqual({
      type: "object",
      required: ["a"],
      properties: {
        a: {
          allOf: [{ required: ["c"] }, { type: "object", required: ["b"], properties: { b: { const: 1 } } }],
        },
      },
    });
  });

  it("refuses a path given twice (after unescaping)", () => {
    expect(() => expandAt({ "/a~1b": true, "/a~1b?": false })).toThrow(/given twice/);
  });
});

describe("`at` in a check", () => {
  const check = { at: { "/configuration/billingModeSummary/billingMode": { const: "PAY_PER_REQUEST" } } };

  it("passes when every step exists and the value matches", () => {
    expect(
      judge(check, { configuration: { billingModeSummary: { billingMode: "PAY_PER_REQUEST" } } }).ok,
    ).toBe(true);
  });

  it("fails on a missing step, a wrong value or a step that is not an object, with the chain's messages", () => {
    expect(judge(check, { configuration: {} }).messages).toEqual([
      "configuration.billingModeSummary is missing",
    ]);
    expect(
      judge(check, { configuration: { billingModeSummary: { billingMode: "PROVISIONED" } } }).messages,
    ).toEqual(['configuration.billingModeSummary.billingMode is "PROVISIONED", expected "PAY_PER_REQUEST"']);
    expect(judge(check, { configuration: "text" }).messages).toEqual([
      'configuration is "text", expected an object',
    ]);
  });

  it("holds when an optional segment is absent, and checks it when present", () => {
    const optional = { at: { "/configuration/retentionInDays?": { type: "integer", minimum: 365 } } };
    expect(judge(optional, { configuration: {} }).ok).toBe(true);
    expect(judge(optional, { configuration: { retentionInDays: 30 } }).messages).toEqual([
      "configuration.retentionInDays is 30, expected at least 365",
    ]);
    expect(judge(optional, {}).messages).toEqual(["configuration is missing"]);
  });

  it("gives a description beside it to the object the paths start from", () => {
    const described = {
      type: "array",
      items: { description: "has no dead-letter queue", at: { "/DeadLetterConfig/Arn": { type: "string" } } },
    };
    expect(judge(described, [{}]).messages).toEqual([
      "[0].DeadLetterConfig is missing: has no dead-letter queue",
    ]);
  });

  it("rejects a value that is not a map of JSON pointers to schemas when the check compiles", () => {
    expect(() => ajv.compile({ at: { configuration: {} } })).toThrow(/propertyNames|pattern/);
    expect(() => ajv.compile({ at: { "/configuration": 3 } })).toThrow(/must be object,boolean|type/);
  });
});
