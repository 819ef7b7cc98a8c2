// Rule RULE.PUBLIC-ACCESS, keyword `publicAccess`: whether a resource policy lets anyone in.
//
// On a canonical policy document (engine/policy-document.ts: condition keys lower-case, condition
// values arrays, `"*"` principals as `{"AWS": ["*"]}`), `"publicAccess": false` holds when no
// statement is public and none is open to a confused deputy. It reads a statement the way IAM
// evaluates it, and the way Amazon S3 and IAM Access Analyzer decide "public":
//
// - A statement is public when it allows every principal (`"*"`, `{"AWS": "*"}`, or Allow with
//   `NotPrincipal`: everyone but the few it names) and no condition limits it.
// - A condition limits only when it can be false for a stranger: a positive operator
//   (`StringEquals`, `StringEqualsIgnoreCase`, `StringLike`, `ArnEquals`, `ArnLike`, `IpAddress`,
//   or their `ForAnyValue:` form) on a key that names who or where (an account, organisation,
//   source ARN, VPC, endpoint, caller IP range), with every value fixed: no wildcard that matches
//   anyone (`*`, `arn:aws:*`, `o-*`), no policy variable.
// - Never limiting: negated operators (`StringNotEquals`, `ArnNotLike`, `NotIpAddress`...: true
//   for everyone not named), `Null` (true whenever the key is present or absent, as asked),
//   `...IfExists` (true when the key is absent, as it is for anonymous callers), `ForAllValues:`
//   (true when the key has no values), and `Bool` (no boolean key says who the caller is:
//   `aws:SecureTransport` narrows how, not who).
// - A statement that allows an AWS service principal (`{"Service": ...}`) must tie it to a source
//   (`aws:SourceAccount`, `aws:SourceArn`, `aws:SourceOrgID`, `aws:SourceOrgPaths`,
//   `aws:SourceOwner`, or in a KMS key policy the encryption context's ARN, e.g.
//   `kms:EncryptionContext:aws:logs:arn`), else any account can make the service act on this
//   resource: the confused-deputy problem (Security Hub Lambda.1).
//
// It is a macro keyword: it expands to plain JSON Schema, so Ajv's standalone code generation
// (the Lambda bundles) still applies. The two findings have their own words, given as the
// `description` of the failing `not` (engine/messages.ts reports a `not` through it).

import type { MacroKeywordDefinition } from "ajv";

export const RULE_ID = "RULE.PUBLIC-ACCESS";

/** A value without wildcards or policy variables: it matches one thing. */
const FIXED = "^[^*?$]+$";
const ACCOUNT = "^[0-9]{12}$";
const ORG_ID = "^o-[a-z0-9]+$";
/** An organisation path starts at a concrete organisation id; what follows stays inside it. */
const ORG_PATH = "^o-[a-z0-9]+/";
/** An ARN in a concrete account (what follows may use wildcards: it stays in that account), or
 * an S3 bucket or object ARN without wildcards (S3 ARNs name no account). */
const ARN_IN_ACCOUNT = "^arn:[a-z-]+:[^:*?$]*:[^:*?$]*:[0-9]{12}:|^arn:[a-z-]+:s3:::[^*?$]+$";
/** A user or role id, optionally `ROLEID:*` (any session of that role), as S3 documents it. */
const USER_ID = "^[A-Za-z0-9]+(:[^*?$]+|:\\*)?$";
/** An IPv4 range of /8 or narrower, or an IPv6 range of /32 or narrower (not the whole internet). */
const CIDR =
  "^([0-9]{1,3}\\.){3}[0-9]{1,3}(/([89]|[12][0-9]|3[0-2]))?$|^[0-9A-Fa-f:]*:[0-9A-Fa-f:]*(/(3[2-9]|[4-9][0-9]|1[01][0-9]|12[0-8]))?$";

/**
 * Condition keys (lower-case, as the normaliser writes them) that tie a statement to known
 * principals or sources, each with the pattern every value must match to limit.
 */
export const LIMITING_KEYS: Readonly<Record<string, string>> = {
  "aws:principalaccount": ACCOUNT,
  "aws:principalarn": ARN_IN_ACCOUNT,
  "aws:principalorgid": ORG_ID,
  "aws:principalorgpaths": ORG_PATH,
  "aws:sourceaccount": ACCOUNT,
  "aws:sourcearn": ARN_IN_ACCOUNT,
  "aws:sourceorgid": ORG_ID,
  "aws:sourceorgpaths": ORG_PATH,
  "aws:sourceowner": ACCOUNT,
  "aws:sourcevpc": `^vpc-[0-9a-f]+$`,
  "aws:sourcevpce": `^vpce-[0-9a-f]+$`,
  "aws:userid": USER_ID,
  // AWS KMS: the key can be used only by callers in this account.
  "kms:calleraccount": ACCOUNT,
  // S3: only requests that encrypt with this fixed KMS key (S3's own "is public" list).
  "s3:x-amz-server-side-encryption-aws-kms-key-id": FIXED,
};

/** The keys that tie a service principal to the resource or account it acts for. */
export const SOURCE_KEYS = [
  "aws:sourceaccount",
  "aws:sourcearn",
  "aws:sourceorgid",
  "aws:sourceorgpaths",
  "aws:sourceowner",
] as const;

/** Operators that are true only for the values they name (case as IAM spells them). */
export const STRING_OPERATORS =
  "^(ForAnyValue:)?(StringEquals|StringEqualsIgnoreCase|StringLike|ArnEquals|ArnLike)$";
export const IP_OPERATORS = "^(ForAnyValue:)?IpAddress$";

/**
 * KMS encryption-context keys that name the resource a service acts for
 * (`kms:EncryptionContext:aws:logs:arn` for CloudWatch Logs): an ARN in a concrete account ties
 * the service to that account, as AWS's key policies for those services do.
 */
export const SOURCE_CONTEXT_KEYS = "^kms:encryptioncontext:aws:[a-z0-9-]+:arn$";

const values = (pattern: string) => ({ type: "array", minItems: 1, items: { type: "string", pattern } });

interface KeyPattern {
  keyPattern: string;
  valuePattern: string;
}

/**
 * An operator block (`{key: [values]}`) in which one of the keys limits with every value; with
 * `byPattern`, also a key matching its key pattern whose every value matches its value pattern.
 */
function limitingBlock(keys: Record<string, string>, byPattern?: KeyPattern): Record<string, unknown> {
  const anyOf: Record<string, unknown>[] = Object.entries(keys).map(([key, pattern]) => ({
    type: "object",
    required: [key],
    properties: { [key]: values(pattern) },
  }));
  if (byPattern) {
    anyOf.push({
      type: "object",
      not: { patternProperties: { [byPattern.keyPattern]: { not: values(byPattern.valuePattern) } } },
    });
  }
  return { anyOf };
}

/**
 * A Condition that limits: some positive operator has a limiting block. Written as "not every
 * positive operator's block fails to limit"; other operators are not looked at.
 */
function limitingCondition(
  stringKeys: Record<string, string>,
  ipKeys: Record<string, string>,
  byPattern?: KeyPattern,
) {
  const patternProperties: Record<string, unknown> = {
    [STRING_OPERATORS]: { not: limitingBlock(stringKeys, byPattern) },
  };
  if (Object.keys(ipKeys).length > 0) patternProperties[IP_OPERATORS] = { not: limitingBlock(ipKeys) };
  return {
    type: "object",
    required: ["Condition"],
    properties: { Condition: { type: "object", not: { patternProperties } } },
  };
}

const allows = { type: "object", required: ["Effect"], properties: { Effect: { const: "Allow" } } };

/** A statement that allows everyone and is not limited. */
const publicStatement = {
  ...allows,
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
  not: limitingCondition(LIMITING_KEYS, { "aws:sourceip": CIDR }),
};

const sourceKeys = Object.fromEntries(SOURCE_KEYS.map((key) => [key, LIMITING_KEYS[key] as string]));

/** A statement that allows an AWS service principal not tied to a source. */
const confusedDeputyStatement = {
  ...allows,
  required: ["Effect", "Principal"],
  properties: {
    ...allows.properties,
    Principal: {
      type: "object",
      required: ["Service"],
      properties: { Service: { type: "array", minItems: 1 } },
    },
  },
  not: limitingCondition(sourceKeys, {}, { keyPattern: SOURCE_CONTEXT_KEYS, valuePattern: ARN_IN_ACCOUNT }),
};

export const PUBLIC_MESSAGE =
  'allows every principal ("*") with no condition limiting it to an account, organisation or source';
export const CONFUSED_DEPUTY_MESSAGE =
  "allows an AWS service principal with no aws:SourceAccount, aws:SourceArn or aws:SourceOrgID condition (confused deputy)";

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
              allOf: [
                { items: { description: PUBLIC_MESSAGE, not: publicStatement } },
                { items: { description: CONFUSED_DEPUTY_MESSAGE, not: confusedDeputyStatement } },
              ],
            },
          },
        },
};
