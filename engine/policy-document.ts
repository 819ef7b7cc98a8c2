// Decodes and canonicalises IAM-style policy documents found inside configuration items
// (S3 bucket policies, SNS/SQS/KMS/Lambda/API Gateway resource policies, IAM policy documents).
//
// AWS Config records these as JSON strings, URL-encoded strings (IAM, through the API), objects,
// or (RDK samples) objects wrapped in a one-element array. Checks see one form:
//   - `Statement` is always an array;
//   - element names in their documented spelling (`statement`, `effect`... are read too: a
//     lower-case spelling must not hide a statement from the checks);
//   - `Action`, `NotAction`, `Resource`, `NotResource` are arrays; actions are lower-cased
//     (IAM matches actions case-insensitively: `SNS:Publish` and `sns:publish` are one action);
//   - `Principal` / `NotPrincipal` are objects of arrays: `"*"` becomes `{"AWS": ["*"]}`;
//   - `Condition` values are arrays of strings and condition keys are lower-cased
//     (`{"Bool": {"aws:securetransport": ["false"]}}`), as IAM compares keys case-insensitively.
//
// A text that tries to be a policy document but cannot be read (form-encoded, broken JSON,
// encoded too many times, no Statement) is reported with the reason, so that the controls that
// read it fail closed instead of skipping it (engine/evaluate.ts).
//
// Keys come from the input: a key `__proto__` is set as an own property (defineProperty), never
// as the prototype of the copy, so no check can read inherited values.

type Json = unknown;
type Doc = Record<string, unknown>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Sets an own property, also for the key `__proto__` (where `o[k] = v` would set the prototype). */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

const asArray = (value: Json): Json[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);

function canonicalPrincipal(value: Json): Record<string, string[]> {
  if (value === "*") return { AWS: ["*"] };
  if (!isRecord(value)) return { AWS: asArray(value).map(String) };
  const out: Record<string, string[]> = {};
  for (const key of Object.keys(value)) setOwn(out, key, asArray(value[key]).map(String));
  return out;
}

function canonicalCondition(value: Json): Record<string, Record<string, string[]>> {
  const out: Record<string, Record<string, string[]>> = {};
  if (!isRecord(value)) return out;
  for (const operator of Object.keys(value)) {
    const block = value[operator];
    if (!isRecord(block)) continue;
    const keys: Record<string, string[]> = {};
    for (const key of Object.keys(block)) setOwn(keys, key.toLowerCase(), asArray(block[key]).map(String));
    setOwn(out, operator, keys);
  }
  return out;
}

/** Statement element names in their documented spelling, by lower-case spelling. */
const STATEMENT_ELEMENTS = new Map(
  [
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
  ].map((name) => [name.toLowerCase(), name] as const),
);
const DOCUMENT_ELEMENTS = new Map(
  ["Version", "Id", "Statement"].map((name) => [name.toLowerCase(), name] as const),
);

/** A document that names one element twice (`Principal` and `principal`): refused, fails closed. */
class AmbiguousDocument extends Error {}

const ambiguous = (name: string) => new AmbiguousDocument(`${name} given twice in different letter cases`);

function canonicalStatement(statement: Json): Json {
  if (!isRecord(statement)) return statement;
  const out: Record<string, Json> = {};
  // Every element found is set on `out`, so an element already there is one named twice.
  for (const raw of Object.keys(statement)) {
    const key = STATEMENT_ELEMENTS.get(raw.toLowerCase()) ?? raw;
    if (Object.hasOwn(out, key)) throw ambiguous(key);
    const value = statement[raw];
    switch (key) {
      case "Action":
      case "NotAction": {
        const actions = asArray(value);
        const lower: string[] = new Array(actions.length);
        for (let i = 0; i < actions.length; i++) lower[i] = String(actions[i]).toLowerCase();
        out[key] = lower;
        break;
      }
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
        setOwn(out, key, value);
    }
  }
  return out;
}

/** The document's own key for its statements, in any letter case (undefined when it has none). */
function statementKey(value: Doc): string | undefined {
  if (Object.hasOwn(value, "Statement")) return "Statement";
  for (const key of Object.keys(value)) if (key.toLowerCase() === "statement") return key;
  return undefined;
}

/** True for an object that is a policy document (has a Statement, in any letter case). */
export function isPolicyDocument(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && statementKey(value) !== undefined;
}

/**
 * Canonical form of a policy document object (see the file comment). Throws when the document
 * names an element twice in different letter cases (decodePolicyValue reports it as undecodable).
 */
export function canonicalPolicy(document: Record<string, unknown>): Record<string, unknown> {
  // Keys keep their order, the statements where the document had them.
  const key = statementKey(document);
  const raws = Object.keys(document);
  // Every element's name first: a document named twice is refused before its statements are read.
  const names: string[] = [];
  const seen = new Set<string>();
  for (const raw of raws) {
    const name = DOCUMENT_ELEMENTS.get(raw.toLowerCase()) ?? raw;
    if (seen.has(name)) throw ambiguous(name);
    seen.add(name);
    names.push(name);
  }
  const out: Doc = {};
  for (let i = 0; i < raws.length; i++) {
    const raw = raws[i]!;
    if (raw === key) out.Statement = asArray(document[raw]).map(canonicalStatement);
    else setOwn(out, names[i]!, document[raw]);
  }
  return out;
}

/** How many times a document may be encoded (JSON in JSON, URL-encoded) before it is refused. */
export const MAX_ENCODING_ROUNDS = 8;

/** What decoding a recorded policy value gave. */
export type PolicyDecoding =
  | { kind: "document"; document: Record<string, unknown> }
  /** Something the decoder could not read, and why: the controls that read it fail closed. */
  | { kind: "undecodable"; reason: string }
  /** Not a policy document at all (e.g. an empty string or a name): left as it is. */
  | { kind: "other" };

const URL_ESCAPE = /%[0-9a-f]{2}/i;

/** True when a text tries to be a policy document (so failing to read it must not pass). */
function triesToBePolicy(text: string): boolean {
  return /^\s*[{["%]/.test(text) || /statement/i.test(text);
}

function urlDecode(text: string): string | undefined {
  try {
    const decoded = decodeURIComponent(text);
    return decoded === text ? undefined : decoded;
  } catch {
    return undefined;
  }
}

/**
 * Decodes a string that holds a policy document: JSON, URL-encoded JSON (also twice, or in
 * part), or JSON encoded more than once.
 */
export function decodePolicyText(text: string): PolicyDecoding {
  if (!triesToBePolicy(text)) return { kind: "other" };
  let current: unknown = text;
  for (let round = 0; round < MAX_ENCODING_ROUNDS && typeof current === "string"; round++) {
    const trimmed = current.trim();
    if (trimmed.startsWith("%")) {
      const decoded = urlDecode(trimmed);
      if (decoded === undefined)
        return { kind: "undecodable", reason: "URL-encoded text that does not decode" };
      current = decoded;
      continue;
    }
    if (!trimmed.startsWith("{") && !trimmed.startsWith('"') && !trimmed.startsWith("[")) {
      const form = /^[\w.-]+=/.test(trimmed);
      return {
        kind: "undecodable",
        reason: form ? "form-encoded (name=value&...), not a JSON document" : "not a JSON document",
      };
    }
    try {
      current = JSON.parse(trimmed);
    } catch {
      // API Gateway records its resource policy with escaped quotes: {\"Version\":...}
      if (trimmed.includes('\\"')) {
        try {
          current = JSON.parse(trimmed.replace(/\\"/g, '"').replace(/\\\\/g, "\\"));
          continue;
        } catch {
          // fall through: maybe URL-encoded in part
        }
      }
      const decoded = URL_ESCAPE.test(trimmed) ? urlDecode(trimmed) : undefined;
      if (decoded === undefined) return { kind: "undecodable", reason: "not valid JSON" };
      current = decoded;
    }
  }
  if (typeof current === "string") {
    return { kind: "undecodable", reason: `encoded more than ${MAX_ENCODING_ROUNDS} times` };
  }
  return documentOf(current);
}

/** The canonical document, or why it cannot be one. */
function canonical(document: Doc): PolicyDecoding {
  try {
    return { kind: "document", document: canonicalPolicy(document) };
  } catch (error) {
    if (error instanceof AmbiguousDocument) return { kind: "undecodable", reason: error.message };
    throw error;
  }
}

/** A decoded value as one policy document: an object, or a list of documents (merged). */
function documentOf(value: unknown): PolicyDecoding {
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every(isPolicyDocument)) {
      const [first] = value as Record<string, unknown>[];
      for (const d of value) {
        const ambiguous = canonical(d);
        if (ambiguous.kind === "undecodable") return ambiguous;
      }
      const statements = (value as Record<string, unknown>[]).flatMap((d) => {
        const key = statementKey(d);
        return asArray(key === undefined ? undefined : d[key]);
      });
      const merged: Doc = {};
      const firstKey = statementKey(first!);
      for (const key of Object.keys(first!)) setOwn(merged, key, key === firstKey ? statements : first![key]);
      return canonical(merged);
    }
    return { kind: "undecodable", reason: "a list that is not of policy documents" };
  }
  if (isPolicyDocument(value)) return canonical(value);
  return { kind: "undecodable", reason: "no Statement" };
}

/**
 * A recorded policy value (string, object, one-element array of documents) decoded: its
 * canonical document, why it could not be read, or that it is no policy document at all.
 */
export function decodePolicyValue(value: unknown): PolicyDecoding {
  if (typeof value === "string") return decodePolicyText(value);
  if (Array.isArray(value)) {
    return value.length > 0 && value.every(isPolicyDocument) ? documentOf(value) : { kind: "other" };
  }
  if (isRecord(value)) {
    if (isPolicyDocument(value)) return canonical(value);
    // A document with a version but no statements is a broken document, not something else.
    if (Object.keys(value).some((k) => k.toLowerCase() === "version")) {
      return { kind: "undecodable", reason: "no Statement" };
    }
  }
  return { kind: "other" };
}

/**
 * Decodes a string that holds a policy document. Returns undefined when the string is not a
 * policy document (see decodePolicyText for why).
 */
export function decodePolicyString(text: string): Record<string, unknown> | undefined {
  const decoded = decodePolicyText(text);
  return decoded.kind === "document" ? decoded.document : undefined;
}

/**
 * A policy document in any recorded form (string, object, one-element array of documents)
 * to its canonical form; anything else unchanged.
 */
export function decodePolicy(value: unknown): unknown {
  const decoded = decodePolicyValue(value);
  return decoded.kind === "document" ? decoded.document : value;
}
