// Decodes and canonicalises IAM-style policy documents found inside configuration items
// (S3 bucket policies, SNS/SQS/KMS/Lambda/API Gateway resource policies, IAM policy documents).
//
// AWS Config records these as JSON strings, URL-encoded strings (IAM, through the API), objects,
// or (RDK samples) objects wrapped in a one-element array. Checks see one form:
//   - `Statement` is always an array;
//   - `Action`, `NotAction`, `Resource`, `NotResource` are arrays; actions are lower-cased
//     (IAM matches actions case-insensitively: `SNS:Publish` and `sns:publish` are one action);
//   - `Principal` / `NotPrincipal` are objects of arrays: `"*"` becomes `{"AWS": ["*"]}`;
//   - `Condition` values are arrays of strings and condition keys are lower-cased
//     (`{"Bool": {"aws:securetransport": ["false"]}}`), as IAM compares keys case-insensitively.

type Json = unknown;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const asArray = (value: Json): Json[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);

function canonicalPrincipal(value: Json): Record<string, string[]> {
  if (value === "*") return { AWS: ["*"] };
  if (!isRecord(value)) return { AWS: asArray(value).map(String) };
  const out: Record<string, string[]> = {};
  for (const [key, v] of Object.entries(value)) out[key] = asArray(v).map(String);
  return out;
}

function canonicalCondition(value: Json): Record<string, Record<string, string[]>> {
  const out: Record<string, Record<string, string[]>> = {};
  if (!isRecord(value)) return out;
  for (const [operator, block] of Object.entries(value)) {
    if (!isRecord(block)) continue;
    const keys: Record<string, string[]> = {};
    for (const [key, v] of Object.entries(block)) keys[key.toLowerCase()] = asArray(v).map(String);
    out[operator] = keys;
  }
  return out;
}

function canonicalStatement(statement: Json): Json {
  if (!isRecord(statement)) return statement;
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(statement)) {
    switch (key) {
      case "Action":
      case "NotAction":
        out[key] = asArray(value).map((a) => String(a).toLowerCase());
        break;
      case "Resource":
      case "NotResource":
        out[key] = asArray(value).map(String);
        break;
      case "Principal":
      case "NotPrincipal":
        out[key] = canonicalPrincipal(value);
        break;
      case "Condition":
        out[key] = canonicalCondition(value);
        break;
      default:
        out[key] = value;
    }
  }
  return out;
}

/** True for an object that is a policy document (has a Statement). */
export function isPolicyDocument(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && "Statement" in value;
}

/** Canonical form of a policy document object (see the file comment). */
export function canonicalPolicy(document: Record<string, unknown>): Record<string, unknown> {
  return { ...document, Statement: asArray(document.Statement).map(canonicalStatement) };
}

/**
 * Decodes a string that holds a policy document: JSON, URL-encoded JSON, or JSON encoded more
 * than once. Returns undefined when the string is not a policy document.
 */
export function decodePolicyString(text: string): Record<string, unknown> | undefined {
  let current: unknown = text;
  for (let round = 0; round < 4 && typeof current === "string"; round++) {
    const trimmed = current.trim();
    if (trimmed.startsWith("%7B") || trimmed.startsWith("%7b")) {
      try {
        current = decodeURIComponent(trimmed);
        continue;
      } catch {
        return undefined;
      }
    }
    if (!trimmed.startsWith("{") && !trimmed.startsWith('"')) return undefined;
    try {
      current = JSON.parse(trimmed);
    } catch {
      // API Gateway records its resource policy with escaped quotes: {\"Version\":...}
      if (trimmed.includes('\\"')) {
        try {
          current = JSON.parse(trimmed.replace(/\\"/g, '"').replace(/\\\\/g, "\\"));
          continue;
        } catch {
          return undefined;
        }
      }
      return undefined;
    }
  }
  return isPolicyDocument(current) ? current : undefined;
}

/**
 * A policy document in any recorded form (string, object, one-element array of documents)
 * to its canonical form; anything else unchanged.
 */
export function decodePolicy(value: unknown): unknown {
  if (typeof value === "string") {
    const document = decodePolicyString(value);
    return document ? canonicalPolicy(document) : value;
  }
  if (Array.isArray(value) && value.length > 0 && value.every(isPolicyDocument)) {
    const [first] = value as Record<string, unknown>[];
    const statements = (value as Record<string, unknown>[]).flatMap((d) => asArray(d.Statement));
    return canonicalPolicy({ ...first, Statement: statements });
  }
  if (isPolicyDocument(value)) return canonicalPolicy(value);
  return value;
}
