// Keyword `noStatementAllowing`, on a policy document: no Allow statement matches the pattern
// (rules/statement-match.ts). Written for identity and trust policies, e.g. no administrator
// access: `{"noStatementAllowing": {"action": ["*"], "resource": ["*"]}}`. An Allow with
// `NotAction`, `NotResource` or `NotPrincipal` is read as at least as broad as what it does not
// name, so `"NotAction": "iam:*"` on `"*"` is administrator access too. A `description` beside
// the keyword is the sentence a failing statement shows. Macro keyword: plain JSON Schema.

import type { MacroKeywordDefinition } from "ajv";
import { ownDescription } from "./has-statement.ts";
import {
  describePattern,
  STATEMENT_PATTERN_SCHEMA,
  type StatementPattern,
  statementSchema,
} from "./statement-match.ts";

export const noStatementAllowingKeyword: MacroKeywordDefinition = {
  keyword: "noStatementAllowing",
  schemaType: "object",
  metaSchema: STATEMENT_PATTERN_SCHEMA,
  macro: (pattern: StatementPattern, parent: unknown) => ({
    type: "object",
    properties: {
      Statement: {
        type: "array",
        items: {
          description: ownDescription(parent) ?? `allows ${describePattern(pattern)}`,
          not: statementSchema({ ...pattern, effect: "Allow" }),
        },
      },
    },
  }),
  error: { message: "has a statement allowing what the pattern names" },
};
