// Keyword `denyInsecureTransport`, on a resource policy: some statement denies every principal
// one of the given actions when `aws:SecureTransport` is false, the TLS-only statement AWS
// recommends for S3 buckets, SNS topics and SQS queues alike:
// `{"denyInsecureTransport": ["sqs:*", "*"]}`. A `description` beside the keyword is the sentence
// a failure shows. Macro keyword: plain JSON Schema (standalone code applies).

import type { MacroKeywordDefinition } from "ajv";
import { hasStatementSchema, ownDescription } from "./has-statement.ts";

export const denyInsecureTransportKeyword: MacroKeywordDefinition = {
  keyword: "denyInsecureTransport",
  schemaType: "array",
  metaSchema: { type: "array", minItems: 1, items: { type: "string", minLength: 1 } },
  macro: (actions: string[], parent: unknown) =>
    hasStatementSchema(
      {
        effect: "Deny",
        principal: "*",
        action: actions,
        condition: { Bool: { "aws:securetransport": "false" } },
      },
      ownDescription(parent) ??
        `denies every principal ${actions.join(" or ")} when aws:SecureTransport is false`,
    ),
  error: { message: "does not deny requests made without TLS" },
};
