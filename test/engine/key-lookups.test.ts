// The small lookups every item goes through: which keys hold a policy document (case-insensitive,
// whatever the spelling: the fast first-letter filter against the plain lower-cased comparison)
// and a resource type's namespace, each checked against its plain definition on generated inputs.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { namespaceOf } from "../../engine/catalogue-model.ts";
import { normalise, POLICY_KEYS } from "../../engine/normalise.ts";

const DOCUMENT = { Version: "2012-10-17", Statement: { Effect: "Allow", Action: "s3:GetObject" } };

/** Whether normalise decoded the document recorded under `key` (a JSON string becomes an object). */
function decodedUnder(key: string): boolean {
  const item = normalise({
    resourceType: "AWS::S3::Bucket",
    resourceId: "b",
    configurationItemStatus: "OK",
    configuration: { [key]: JSON.stringify(DOCUMENT) },
  });
  return typeof (item.configuration as Record<string, unknown>)[key] === "object";
}

describe("policy document keys", () => {
  it("are found in any spelling of their letters' case, and only they", () => {
    const spelling = fc
      .tuple(fc.constantFrom(...POLICY_KEYS), fc.array(fc.boolean(), { minLength: 24, maxLength: 24 }))
      .map(([key, upper]) => [...key].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(""));
    fc.assert(
      fc.property(spelling, (key) => decodedUnder(key)),
      { seed: 20261202, numRuns: 200 },
    );
    // Any other key: the plain definition says whether it is one (almost never).
    fc.assert(
      fc.property(fc.string({ maxLength: 26 }), (key) => {
        expect(decodedUnder(key)).toBe(POLICY_KEYS.has(key.toLowerCase()));
      }),
      { seed: 20261202, numRuns: 300 },
    );
  });

  it("compare as JavaScript lower-cases them, also a first character beyond ASCII", () => {
    // The Kelvin sign lower-cases to "k": "\u212AeyPolicy" is "keypolicy".
    expect(decodedUnder("\u212AeyPolicy")).toBe(true);
    expect(decodedUnder("\u00D0ocument")).toBe(false);
    for (const key of ["policY", "Document", "DOCUMENT", "kEYpOLICY", "AssumeRolePolicyDocument"]) {
      expect(decodedUnder(key), key).toBe(true);
    }
    for (const key of ["policies", "documents", "`olicy", "@olicy", "pol1cy", "keypolicy "]) {
      expect(decodedUnder(key), key).toBe(false);
    }
  });
});

describe("a resource type's namespace", () => {
  it("is what comes before its second '::' (all of it when there is none)", () => {
    expect(namespaceOf("AWS::Lambda::Function")).toBe("AWS::Lambda");
    expect(namespaceOf("AWS::S3")).toBe("AWS::S3");
    expect(namespaceOf("Custom")).toBe("Custom");
    const plain = (type: string) => type.split("::").slice(0, 2).join("::");
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("A", "b", ":", "::", ":::"), maxLength: 10 }), (type) => {
        expect(namespaceOf(type)).toBe(plain(type));
      }),
      { seed: 20261202, numRuns: 2000 },
    );
  });
});
