// Rule RULE.PUBLIC-ACCESS, keyword `publicAccess`: whether a resource policy lets anyone in.
//
// On a canonical policy document (engine/policy-document.ts), `"publicAccess": false` holds when
// no statement allows every principal (`"Principal": "*"`, `{"AWS": "*"}`, or Allow with
// `NotPrincipal`) without a condition that limits it to an account, an organisation or a source.
// JSON Schema alone can say each part; said once here, every resource policy control reads the
// same way and gets the same judgement. It is a macro keyword: it expands to plain JSON Schema,
// so Ajv's standalone code generation (the Lambda bundles) still applies.

import type { MacroKeywordDefinition } from "ajv";

export const RULE_ID = "RULE.PUBLIC-ACCESS";

/**
 * Condition keys (lower-case, as the normaliser writes them) that tie a statement to known
 * principals or sources, the way IAM Access Analyzer and S3's "is public" check read them.
 */
export const RESTRICTING_KEYS = [
  "aws:principalaccount",
  "aws:principalarn",
  "aws:principalorgid",
  "aws:principalorgpaths",
  "aws:sourceaccount",
  "aws:sourcearn",
  "aws:sourceorgid",
  "aws:sourceorgpaths",
  "aws:sourceowner",
  "aws:sourcevpc",
  "aws:sourcevpce",
  "aws:userid",
  // AWS KMS: the key can be used only by callers in this account.
  "kms:calleraccount",
] as const;

/** A condition block naming a restricting key with at least one value that is not a wildcard. */
const restrictingBlock = {
  anyOf: RESTRICTING_KEYS.map((key) => ({
    type: "object",
    required: [key],
    properties: { [key]: { type: "array", minItems: 1, not: { items: { const: "*" } } } },
  })),
};

/** Some operator of the statement's Condition has a restricting key. */
const restricted = {
  type: "object",
  required: ["Condition"],
  properties: { Condition: { type: "object", not: { additionalProperties: { not: restrictingBlock } } } },
};

/** A statement that allows everyone and is not restricted. */
const publicStatement = {
  type: "object",
  required: ["Effect"],
  properties: { Effect: { const: "Allow" } },
  anyOf: [
    {
      type: "object",
      required: ["Principal"],
      properties: {
        Principal: {
          type: "object",
          required: ["AWS"],
          properties: { AWS: { type: "array", contains: { const: "*" } } },
        },
      },
    },
    { type: "object", required: ["NotPrincipal"], properties: { NotPrincipal: { type: "object" } } },
  ],
  not: restricted,
};

export const publicAccessKeyword: MacroKeywordDefinition = {
  keyword: "publicAccess",
  type: "object",
  schemaType: "boolean",
  macro: (allowed: boolean) =>
    allowed
      ? true
      : {
          properties: {
            Statement: {
              type: "array",
              items: {
                description:
                  'allows every principal ("*") with no condition limiting it to an account, organisation or source',
                not: publicStatement,
              },
            },
          },
        },
};
