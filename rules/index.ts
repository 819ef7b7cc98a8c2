// The policy vocabulary: the custom keywords policy checks may use, for what JSON Schema cannot
// say in one word. Each is a macro keyword (it expands to plain JSON Schema, so Ajv's standalone
// code generation still applies), in its own file, with its own error message; the engine
// registers every one on its Ajv instance, and policies/policy.schema.json describes each for
// editors.
//   at                     path shorthand: required-and-matches along a JSON pointer
//   hasStatement           a policy document has a statement matching a pattern
//   noStatementAllowing    a policy document has no Allow statement matching a pattern
//   denyInsecureTransport  a resource policy denies requests without TLS
//   publicAccess           whether a resource policy lets anyone in
//   aclOwnerOnly           an S3 ACL grants nothing to anyone but the bucket owner
//   minDaysLeft            a date at least N days after the evaluation time (certificate expiry)

import type { KeywordDefinition } from "ajv";
import { accountPartKeyword } from "./account-part.ts";
import { aclOwnerOnlyKeyword } from "./acl-owner-only.ts";
import { atKeyword } from "./at.ts";
import { denyInsecureTransportKeyword } from "./deny-insecure-transport.ts";
import { hasStatementKeyword } from "./has-statement.ts";
import { maxAgeKeyword } from "./max-age.ts";
import { minDaysLeftKeyword } from "./min-days-left.ts";
import { noStatementAllowingKeyword } from "./no-statement-allowing.ts";
import { publicAccessKeyword } from "./public-access.ts";
import { quotaHeadroomKeyword } from "./quota-headroom.ts";

export const KEYWORDS: readonly KeywordDefinition[] = [
  atKeyword,
  hasStatementKeyword,
  noStatementAllowingKeyword,
  denyInsecureTransportKeyword,
  publicAccessKeyword,
  accountPartKeyword,
  quotaHeadroomKeyword,
  maxAgeKeyword,
  minDaysLeftKeyword,
  aclOwnerOnlyKeyword,
];
