// Turns JSON Schema validation errors into sentences a platform engineer understands:
// which property was wrong, what it was, and what was expected.

import type { ErrorObject } from "ajv";
import { MACRO_KEYWORD_NAMES } from "../rules/macro-names.ts";
import { truncate } from "./annotation.ts";
import { isSecretPointer, redact } from "./redact.ts";

const MACRO_KEYWORDS = new Set(MACRO_KEYWORD_NAMES);

const MAX_VALUE = 60;

/** `/supplementaryConfiguration/BucketPolicy` -> `supplementaryConfiguration.BucketPolicy`. */
function renderPropertyPath(pointer: string): string {
  if (pointer === "") return "the item";
  return pointer
    .split("/")
    .slice(1)
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`))
    .join("");
}

// Instance paths repeat across items (they are the checks' own paths): each is rendered once.
const PATH_CACHE_LIMIT = 10_000;
const renderedPaths = new Map<string, string>();

/** `/supplementaryConfiguration/BucketPolicy` -> `supplementaryConfiguration.BucketPolicy`. */
export function propertyPath(pointer: string): string {
  let path = renderedPaths.get(pointer);
  if (path === undefined) {
    if (renderedPaths.size >= PATH_CACHE_LIMIT) renderedPaths.clear();
    path = renderPropertyPath(pointer);
    renderedPaths.set(pointer, path);
  }
  return path;
}

/** A short rendering of a value for a message. */
export function show(value: unknown, pointer?: string): string {
  if (value === undefined) return "missing";
  // A value at a secret-looking path (or secret members inside it) is never quoted: see redact.ts.
  let shown: unknown = value;
  if (pointer !== undefined) {
    if (isSecretPointer(pointer)) {
      shown = redact(value, pointer);
      if (typeof shown === "string") return shown;
    } else if (typeof value === "object" && value !== null) {
      // Only an object can hold secret members; a scalar at a plain path is shown as it is.
      shown = redact(value, pointer);
    }
  }
  const text = typeof shown === "string" ? `"${shown}"` : JSON.stringify(shown);
  // Cut with an ellipsis, never between the two halves of a character beyond the BMP (an emoji).
  return truncate(text, MAX_VALUE);
}

function list(values: unknown[]): string {
  const shown = values
    .slice(0, 4)
    .map((v) => show(v))
    .join(", ");
  return values.length > 4 ? `${shown} (or ${values.length - 4} more)` : shown;
}

const TYPE_WORDS: Record<string, string> = {
  object: "an object",
  array: "a list",
  string: "a string",
  number: "a number",
  integer: "a whole number",
  boolean: "true or false",
  null: "null",
};

function describeSchema(schema: unknown): string | undefined {
  if (typeof schema === "object" && schema !== null && "description" in schema) {
    return String((schema as { description: unknown }).description);
  }
  return undefined;
}

const isPatternOnly = (schema: unknown): boolean =>
  typeof schema === "object" && schema !== null && Object.keys(schema).join() === "pattern";

/** `configuration is not encrypted` for a description that continues the sentence, else `path: description`. */
function joinDescription(path: string, description: string): SentenceParts {
  return /^(is|are|has|have|does|do|must|allows|lacks)\b/.test(description)
    ? { path, rest: ` ${description}` }
    : { path, rest: `: ${description}` };
}

/** A sentence as the property path it starts with and the rest, which starts with a space or a colon. */
export interface SentenceParts {
  path: string;
  rest: string;
}

/**
 * One sentence for one error, as the property path it starts with and the rest (`path + rest`
 * is the sentence; the rest starts with a space or a colon).
 */
export function describeParts(error: ErrorObject): SentenceParts {
  const path = propertyPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  const own = describeSchema(error.parentSchema);
  switch (error.keyword) {
    case "required": {
      const missing = String(params.missingProperty);
      const where = error.instancePath === "" ? missing : `${path}.${missing}`;
      return { path: where, rest: ` is missing${own ? `: ${own}` : ""}` };
    }
    case "const":
      return {
        path,
        rest: ` is ${show(error.data, error.instancePath)}, expected ${show(params.allowedValue)}`,
      };
    case "enum":
      return {
        path,
        rest: ` is ${show(error.data, error.instancePath)}, expected one of ${list(params.allowedValues as unknown[])}`,
      };
    case "type": {
      const wanted = String(params.type)
        .split(",")
        .map((t) => TYPE_WORDS[t] ?? t)
        .join(" or ");
      return { path, rest: ` is ${show(error.data, error.instancePath)}, expected ${wanted}` };
    }
    case "minimum":
    case "exclusiveMinimum":
      return {
        path,
        rest: ` is ${show(error.data, error.instancePath)}, expected ${error.keyword === "minimum" ? "at least" : "more than"} ${String(params.limit)}`,
      };
    case "maximum":
    case "exclusiveMaximum":
      return {
        path,
        rest: ` is ${show(error.data, error.instancePath)}, expected ${error.keyword === "maximum" ? "at most" : "less than"} ${String(params.limit)}`,
      };
    case "minItems":
      return {
        path,
        rest: ` has ${(error.data as unknown[]).length} entries, expected at least ${String(params.limit)}`,
      };
    case "maxItems":
      return {
        path,
        rest: ` has ${(error.data as unknown[]).length} entries, expected at most ${String(params.limit)}`,
      };
    case "minLength":
      return {
        path,
        rest: ` is ${show(error.data, error.instancePath)}, expected at least ${String(params.limit)} characters`,
      };
    case "pattern":
      return {
        path,
        rest: ` is ${show(error.data, error.instancePath)}, ${own ?? `expected to match /${String(params.pattern)}/`}`,
      };
    case "format":
      return {
        path,
        rest: ` is ${show(error.data, error.instancePath)}, expected a ${String(params.format)}`,
      };
    case "contains":
      return { path, rest: ` has no entry that ${own ?? "satisfies the control"}` };
    case "not":
      // A value that must not match a pattern reads like a pattern failure: the value, then why.
      if (own && isPatternOnly(error.schema))
        return { path, rest: ` is ${show(error.data, error.instancePath)}, ${own}` };
      return own
        ? joinDescription(path, own)
        : { path, rest: `: ${show(error.data, error.instancePath)} is not allowed` };
    case "anyOf":
    case "oneOf":
      return own
        ? joinDescription(path, own)
        : { path, rest: ": none of the accepted configurations is present" };
    case "if":
      // An implication (`if`/`then`) whose `then` failed: its description says what is wrong.
      return own
        ? joinDescription(path, own)
        : { path, rest: ": a condition holds but what it requires does not" };
    case "additionalProperties":
      return { path, rest: ` has "${String(params.additionalProperty)}", which is not allowed` };
    default:
      return { path, rest: ` ${error.message ?? `fails ${error.keyword}`}` };
  }
}

/** The schema path prefix of the errors a grouping error stands for. */
function groupPrefix(e: ErrorObject): string {
  // `if` reports at `.../if`; the errors it stands for are those of its `then`.
  return e.keyword === "if" ? `${e.schemaPath.slice(0, -"if".length)}then/` : `${e.schemaPath}/`;
}

/** An implication with a description speaks for its `then`; without one, the `then` errors speak. */
function isGrouping(e: ErrorObject): boolean {
  switch (e.keyword) {
    case "anyOf":
    case "oneOf":
    case "contains":
    case "not":
      return true;
    case "if":
      return describeSchema(e.parentSchema) !== undefined;
    default:
      return false;
  }
}

/**
 * Whether the error lies inside a grouping error: a prefix of its schema path (up to a `/`) is a
 * grouping prefix. Few prefixes (the usual case) are scanned; many are looked up by each prefix of
 * the path, so the work stays linear in the errors.
 */
function inGroup(
  e: ErrorObject,
  grouping: readonly string[],
  bySet: ReadonlySet<string> | undefined,
): boolean {
  const path = e.schemaPath;
  if (bySet === undefined) {
    // Each prefix ends with `/`: startsWith matches whole path segments only.
    for (const prefix of grouping) if (path.startsWith(prefix)) return true;
    return false;
  }
  for (let i = path.indexOf("/"); i !== -1; i = path.indexOf("/", i + 1)) {
    if (bySet.has(path.slice(0, i + 1))) return true;
  }
  return false;
}

/**
 * Sentences for a failed validation, most specific first. Errors inside an anyOf/oneOf/contains
 * (or the `then` of a described `if`) are reported through that keyword (its `description`),
 * not branch by branch.
 */
export function describeErrors(errors: readonly ErrorObject[]): string[] {
  return describeErrorParts(errors).map((p) => p.path + p.rest);
}

/** `describeErrors`, each sentence as the property path it starts with and the rest. */
export function describeErrorParts(errors: readonly ErrorObject[]): SentenceParts[] {
  let grouping: string[] | undefined;
  for (const e of errors) {
    if (!isGrouping(e)) continue;
    grouping ??= [];
    grouping.push(groupPrefix(e));
  }
  const bySet = grouping !== undefined && grouping.length > 8 ? new Set(grouping) : undefined;
  const parts: SentenceParts[] = [];
  const sentences: string[] = [];
  // Few errors (the usual case) are deduplicated by a scan; many through a set.
  const seen = errors.length > 16 ? new Set<string>() : undefined;
  for (const e of errors) {
    if (grouping !== undefined && inGroup(e, grouping, bySet)) continue;
    if (e.keyword === "if" && !isGrouping(e)) continue;
    // A rules/ macro keyword reports through the schema it expands to; its own error says nothing more.
    if (errors.length > 1 && MACRO_KEYWORDS.has(e.keyword)) continue;
    const part = describeParts(e);
    const sentence = part.path + part.rest;
    // Each sentence once (two errors can say the same), in the order first said.
    if (seen === undefined ? sentences.includes(sentence) : seen.has(sentence)) continue;
    seen?.add(sentence);
    sentences.push(sentence);
    parts.push(part);
  }
  return parts;
}
