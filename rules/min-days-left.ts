// Rule RULE.MIN-DAYS-LEFT, keyword `minDaysLeft`: a date is far enough in the future, measured from
// when the resource is judged.
//
// `"minDaysLeft": 30` on a time (ISO 8601, or epoch seconds or milliseconds as AWS APIs return
// them) holds when the time is at least 30 days after the evaluation time. The engine passes that
// time as the validation context (`evaluate(..., { now })` calls the check with `this.evaluatedAt`:
// Ajv's `passContext`): an unchanged certificate judged by the scheduled sweep is judged against
// the sweep's time, not against when AWS Config last recorded it. Without a context (a check
// compiled and called on its own) the item's `configurationItemCaptureTime` stands in. A value that
// is not a time fails. Used for certificate expiry (`notAfter`). A code keyword: Ajv generates its
// code inline, so the standalone validators of the Lambda bundles still work.

import { _, type CodeKeywordDefinition, type KeywordCxt, type Name, str } from "ajv";
import namesModule from "ajv/dist/compile/names.js";

export const RULE_ID = "RULE.MIN-DAYS-LEFT";

/** The validation context the engine passes to every check (`validate.call(context, item)`). */
export interface CheckContext {
  evaluatedAt: Date;
}

const DAY_MS = 86_400_000;
// Ajv's names module is CommonJS with a default export: loaders differ on which one they hand over.
const names = ((namesModule as unknown as { default?: unknown }).default ?? namesModule) as {
  rootData: Name;
  this: Name;
};

export const minDaysLeftKeyword: CodeKeywordDefinition = {
  keyword: "minDaysLeft",
  type: ["string", "number"],
  schemaType: "number",
  metaSchema: { type: "number", exclusiveMinimum: 0 },
  error: {
    message: ({ schema, params }) =>
      str`is ${params.value}, less than ${Number(schema)} days after ${params.from}`,
    params: ({ params }) => _`{value: ${params.value}, from: ${params.from}}`,
  },
  code(cxt: KeywordCxt) {
    const { data, schema, gen } = cxt;
    const self = names.this;
    // The evaluation time, else the item's capture time (ISO strings either way, for the message).
    const from = gen.const(
      "from",
      _`${self} && ${self}.evaluatedAt instanceof Date ? ${self}.evaluatedAt.toISOString() : ${names.rootData} && ${names.rootData}.configurationItemCaptureTime`,
    );
    // Epoch numbers: seconds below 1e11 (the year 5138), milliseconds above.
    const at = gen.const(
      "at",
      _`typeof ${data} == "number" ? (${data} < 1e11 ? ${data} * 1000 : ${data}) : Date.parse(${data})`,
    );
    cxt.setParams({ value: data, from });
    cxt.fail(_`!(${at} >= Date.parse(${from}) + ${schema} * ${DAY_MS})`);
  },
};
