// Rule RULE.QUOTA-HEADROOM, keyword `usageAtMost`: a service quota keeps headroom.
//
// On one entry of an account item's `quotas` (`{serviceCode, quotaCode, quotaName, value,
// usage}`), `"usageAtMost": 0.8` holds when `usage <= value * 0.8`. JSON Schema cannot compare
// two fields of one object, so this is a code keyword: Ajv generates its code inline, so the
// standalone validators of the Lambda bundles still work. The threshold is the policy's, never
// this file's. An entry without a numeric `value` and `usage` fails (closed): headroom that cannot
// be measured is not headroom.

import { _, type CodeKeywordDefinition, type KeywordCxt, str } from "ajv";

export const RULE_ID = "RULE.QUOTA-HEADROOM";

export const quotaHeadroomKeyword: CodeKeywordDefinition = {
  keyword: "usageAtMost",
  type: "object",
  schemaType: "number",
  metaSchema: { type: "number", exclusiveMinimum: 0, maximum: 1 },
  error: {
    message: ({ schema, params }) =>
      str`uses ${params.usage} of ${params.quotaName} (${params.serviceCode} ${params.quotaCode}, quota ${params.value}): more than ${Math.round(Number(schema) * 100)}% of the quota`,
    params: ({ params }) =>
      _`{usage: ${params.usage}, value: ${params.value}, quotaName: ${params.quotaName}, serviceCode: ${params.serviceCode}, quotaCode: ${params.quotaCode}}`,
  },
  code(cxt: KeywordCxt) {
    const { data, schema } = cxt;
    cxt.setParams({
      usage: _`${data}.usage`,
      value: _`${data}.value`,
      quotaName: _`${data}.quotaName`,
      serviceCode: _`${data}.serviceCode`,
      quotaCode: _`${data}.quotaCode`,
    });
    cxt.fail(
      _`typeof ${data}.usage !== "number" || typeof ${data}.value !== "number" || ${data}.usage > ${data}.value * ${schema}`,
    );
  },
};
