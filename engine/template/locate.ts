// Where in the template a finding is: the property that the failing control reads, through the
// mapper's origins (configuration path -> template property), at the file's line and column.

import type { CompiledControl } from "../catalogue.ts";
import type { Origin } from "./mappers/index.ts";
import { isObj } from "./types.ts";

/** Line and column (1-based) of the node at a path of the parsed template, when it exists. */
export type Locate = (path: (string | number)[]) => { line: number; column: number } | undefined;

/** The dotted property paths a schema reads (`configuration.billingModeSummary.billingMode`...). */
function schemaPaths(schema: unknown, prefix = "", out: string[] = []): string[] {
  if (Array.isArray(schema)) {
    for (const s of schema) schemaPaths(s, prefix, out);
    return out;
  }
  if (!isObj(schema)) return out;
  if (isObj(schema.properties)) {
    for (const [key, sub] of Object.entries(schema.properties)) {
      const path = prefix ? `${prefix}.${key}` : key;
      out.push(path);
      schemaPaths(sub, path, out);
    }
  }
  // The vocabulary's path shorthand: `{"at": {"/configuration/x?/y": schema}}` (rules/at.ts).
  if (isObj(schema.at)) {
    for (const [pointer, sub] of Object.entries(schema.at)) {
      const segments = pointer
        .split("/")
        .slice(1)
        .map((p) => p.replace(/\?$/, "").replace(/~1/g, "/").replace(/~0/g, "~"));
      let path = prefix;
      for (const segment of segments) {
        path = path ? `${path}.${segment}` : segment;
        out.push(path);
      }
      schemaPaths(sub, path, out);
    }
  }
  if (Array.isArray(schema.required)) {
    for (const key of schema.required) out.push(prefix ? `${prefix}.${String(key)}` : String(key));
  }
  for (const k of [
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "items",
    "contains",
    "additionalProperties",
    "if",
    "then",
    "else",
  ]) {
    if (schema[k] !== undefined) schemaPaths(schema[k], prefix, out);
  }
  return out;
}

const pathCache = new WeakMap<CompiledControl, string[]>();

/** The schema path reads inside the part of the item that the origin maps. */
const inside = (schemaPath: string, origin: string) =>
  schemaPath === origin || schemaPath.startsWith(`${origin}.`);

/** The template path (under `Resources`) of the property a control reads, or the resource itself. */
export function findingPath(
  control: CompiledControl | undefined,
  origins: Origin[],
  logicalId: string,
): (string | number)[] {
  if (control) {
    let paths = pathCache.get(control);
    if (!paths) {
      paths = schemaPaths(control.check);
      pathCache.set(control, paths);
    }
    const matching = origins
      .filter((o) => paths.some((p) => inside(p, o.path)))
      .sort((a, b) => b.path.length - a.path.length);
    const origin = matching[0];
    if (origin) {
      return [
        "Resources",
        origin.resource,
        ...(origin.property.length ? ["Properties", ...origin.property] : []),
      ];
    }
  }
  return ["Resources", logicalId];
}

/** The nearest existing node's location, walking up from the path. */
export function locateNearest(
  locate: Locate,
  path: (string | number)[],
): { line: number; column: number } | undefined {
  for (let n = path.length; n >= 1; n--) {
    const found = locate(path.slice(0, n));
    if (found) return found;
  }
  return undefined;
}
