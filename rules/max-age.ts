// Rule RULE.MAX-AGE, keyword `maxAgeDays`: a date is recent, measured from when the item was read.
//
// `"maxAgeDays": 90` on an ISO 8601 time holds when the time is at most 90 days before the item's
// `configurationItemCaptureTime` (the engine never reads the clock: the item says when it was
// read). A value that is not a time (`N/A`, `no_information`) fails: a schema that means to allow
// such values says so with `anyOf`. Used on the IAM credential report of `AWS::::Account` items
// (access keys rotated, credentials used). A code keyword: Ajv generates its code inline, so the
// standalone validators of the Lambda bundles still work.

import { _, type CodeKeywordDefinition, type KeywordCxt, type Name, str } from "ajv";
import namesModule from "ajv/dist/compile/names.js";

export const RULE_ID = "RULE.MAX-AGE";

const DAY_MS = 86_400_000;
// Ajv's names module is CommonJS with a default export: loaders differ on which one they hand over.
const names = ((namesModule as unknown as { default?: unknown }).default ?? namesModule) as {
  rootData: Name;
};

export const maxAgeKeyword: CodeKeywordDefinition = {
  keyword: "maxAgeDays",
  type: "string",
  schemaType: "number",
  metaSchema: { type: "number", exclusiveMinimum: 0 },
  error: {
    message: ({ schema, params }) =>
      str`is ${params.value}, more than ${Number(schema)} days before the item was read (${params.readAt})`,
    params: ({ params }) => _`{value: ${params.value}, readAt: ${params.readAt}}`,
  },
  code(cxt: KeywordCxt) {
    const { data, schema, gen } = cxt;
    const readAt = gen.const(
      "readAt",
      _`${names.rootData} && ${names.rootData}.configurationItemCaptureTime`,
    );
    cxt.setParams({ value: data, readAt });
    cxt.fail(_`!(Date.parse(${data}) >= Date.parse(${readAt}) - ${schema} * ${DAY_MS})`);
  },
};
