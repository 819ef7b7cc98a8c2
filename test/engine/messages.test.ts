// describeErrors keeps its sentences whatever the number of errors: errors inside a grouping
// keyword (anyOf/oneOf/contains/not, a described `if`) speak through it, and a sentence said twice
// is said once. Few and many errors take different routes through the code (a scan, or a set);
// these cases pin that both give the same sentences.

import { describe, expect, it } from "vitest";
import { createAjv } from "../../engine/catalogue.ts";
import { describeErrors, propertyPath } from "../../engine/messages.ts";

const ajv = createAjv();

function sentences(schema: Record<string, unknown>, data: unknown): string[] {
  const validate = ajv.compile(schema);
  expect(validate(data)).toBe(false);
  return describeErrors(validate.errors ?? []);
}

const EACH_NAMED = {
  type: "object",
  properties: {
    list: {
      type: "array",
      items: {
        type: "object",
        description: "has a name or an id",
        anyOf: [
          { properties: { name: {} }, required: ["name"] },
          { properties: { id: {} }, required: ["id"] },
        ],
      },
    },
  },
};

describe("describeErrors", () => {
  it("reports each failed anyOf through its description, for few grouping errors and for many", () => {
    for (const n of [3, 12]) {
      const data = { list: Array.from({ length: n }, () => ({})) };
      expect(sentences(EACH_NAMED, data)).toEqual(
        Array.from({ length: n }, (_, i) => `list[${i}] has a name or an id`),
      );
    }
  });

  it("keeps a passing element's neighbours apart: only the failing elements are named", () => {
    const list = Array.from({ length: 12 }, (_, i) => (i % 4 === 0 ? { name: "x" } : {}));
    expect(sentences(EACH_NAMED, { list })).toEqual(
      list.flatMap((e, i) => ("name" in e ? [] : [`list[${i}] has a name or an id`])),
    );
  });

  it("says a sentence once however often it is said, for few errors and for many", () => {
    for (const n of [2, 20]) {
      const schema = {
        type: "object",
        allOf: Array.from({ length: n }, () => ({
          type: "object",
          properties: { owner: {} },
          required: ["owner"],
        })),
      };
      expect(sentences(schema, {})).toEqual(["owner is missing"]);
    }
  });
});

describe("propertyPath", () => {
  it("renders pointers, escapes and indices, the same on every call", () => {
    for (let round = 0; round < 2; round++) {
      expect(propertyPath("")).toBe("the item");
      expect(propertyPath("/supplementaryConfiguration/BucketPolicy")).toBe(
        "supplementaryConfiguration.BucketPolicy",
      );
      expect(propertyPath("/configuration/rules/3/a~1b~0c")).toBe("configuration.rules[3].a/b~c");
    }
  });
});

describe("a value quoted in a message", () => {
  it("is cut with an ellipsis, never between the two halves of an emoji", () => {
    const wellFormed = (text: string) =>
      !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);
    // Every offset of the pair against the cut: one of them puts the cut inside the pair.
    for (const lead of ["", "a"]) {
      const [sentence] = sentences({ const: "ENABLED" }, lead + "😀".repeat(400));
      expect(sentence).toMatch(/^the item is "(a)?(?:😀)+…, expected "ENABLED"$/);
      expect(wellFormed(sentence!)).toBe(true);
    }
  });
});
