// Keyword `hasStatement`, on a policy document: some statement matches the pattern
// (rules/statement-match.ts). E.g. a bucket policy that denies uploads without encryption:
// `{"hasStatement": {"effect": "Deny", "principal": "*", "action": ["s3:putobject"]}}`.
// A `description` beside the keyword is the sentence a failure shows ("...Statement has no entry
// that <description>"). Macro keyword: expands to plain JSON Schema (standalone code applies).

import type { MacroKeywordDefinition } from "ajv";
import {
  describePattern,
  STATEMENT_PATTERN_SCHEMA,
  type StatementPattern,
  statementSchema,
} from "./statement-match.ts";

/** The schema for "the document has a statement matching `pattern`", with the failure's sentence. */
export function hasStatementSchema(pattern: StatementPattern, description: string): Record<string, unknown> {
  return {
    type: "object",
    required: ["Statement"],
    properties: {
      Statement: { description, type: "array", contains: statementSchema(pattern) },
    },
  };
}

const ownDescription = (parent: unknown): string | undefined => {
  const description = (parent as { description?: unknown }).description;
  return typeof description === "string" ? description : undefined;
};

const VERB = { Allow: "allows", Deny: "denies", any: "names" } as const;

export const hasStatementKeyword: MacroKeywordDefinition = {
  keyword: "hasStatement",
  schemaType: "object",
  metaSchema: STATEMENT_PATTERN_SCHEMA,
  macro: (pattern: StatementPattern, parent: unknown) =>
    hasStatementSchema(
      pattern,
      ownDescription(parent) ?? `${VERB[pattern.effect ?? "any"]} ${describePattern(pattern)}`,
    ),
  error: { message: "has no statement matching the pattern" },
};

export { ownDescription };
