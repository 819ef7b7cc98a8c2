// The property paths a control's JSON Schema reads, spelt as AWS Config's resource property schemas
// spell them (awslabs/aws-config-resource-schema): dotted, list items flattened
// (`configuration.policyVersionList.isDefaultVersion`), map values under `*`.

import type { MacroKeywordDefinition } from "ajv";
import { KEYWORDS } from "../../rules/index.ts";

type Schema = Record<string, unknown>;

/** The policy vocabulary's keywords, read through the plain JSON Schema each stands for. */
const MACROS = KEYWORDS.filter((k): k is MacroKeywordDefinition => "macro" in k);

const isSchema = (value: unknown): value is Schema =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Every path a schema names (through `properties` and `required`), walking into every sub-schema. */
export function readPaths(
  schema: unknown,
  prefix: readonly string[] = [],
  out = new Set<string>(),
): Set<string> {
  if (!isSchema(schema)) return out;
  for (const keyword of MACROS) {
    const name = String(keyword.keyword);
    if (name in schema)
      readPaths(keyword.macro.call(undefined, schema[name], schema, undefined as never), prefix, out);
  }
  const add = (segments: readonly string[]) => {
    if (segments.length > 0) out.add(segments.join("."));
  };
  if (Array.isArray(schema.required)) for (const name of schema.required) add([...prefix, String(name)]);
  if (isSchema(schema.properties)) {
    for (const [key, sub] of Object.entries(schema.properties)) {
      add([...prefix, key]);
      readPaths(sub, [...prefix, key], out);
    }
  }
  // Map values: any key.
  readPaths(schema.additionalProperties, [...prefix, "*"], out);
  if (isSchema(schema.patternProperties)) {
    for (const sub of Object.values(schema.patternProperties)) readPaths(sub, [...prefix, "*"], out);
  }
  // Same place in the item: list items and combinators.
  for (const key of ["items", "contains", "additionalItems", "not", "if", "then", "else"]) {
    const sub = schema[key];
    if (Array.isArray(sub)) for (const s of sub) readPaths(s, prefix, out);
    else readPaths(sub, prefix, out);
  }
  for (const key of ["anyOf", "allOf", "oneOf"]) {
    const list = schema[key];
    if (Array.isArray(list)) for (const s of list) readPaths(s, prefix, out);
  }
  return out;
}

/** True when `path` is `base` or lies below it (`*` in `base` matches one segment). */
export function isAtOrBelow(path: string, base: string): boolean {
  const p = path.split(".");
  const b = base.split(".");
  return b.length <= p.length && b.every((segment, i) => segment === "*" || segment === p[i]);
}

/** True when `path` is a strict ancestor of `base` (e.g. `supplementaryConfiguration.BucketPolicy`). */
export function isAbove(path: string, base: string): boolean {
  return isAtOrBelow(base, path) && base !== path;
}
