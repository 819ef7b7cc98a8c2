// Keyword `at`: a path shorthand. `{"at": {"/configuration/billingModeSummary/billingMode":
// {"const": "PAY_PER_REQUEST"}}}` says "the item has configuration, which has billingModeSummary,
// which has billingMode, and it matches the schema": the `type: object` / `required` /
// `properties` chain JSON Schema needs for it, written once. Paths are JSON pointers (`~1` for a
// `/` inside a name, `~0` for `~`); a segment ending in `?` is optional: when it is absent the
// path holds (`/configuration/vpcConfig?`). Paths with a common prefix share their objects, so
// `/a/b` and `/a/c` both require `a` once. It is a macro keyword: it expands to plain JSON
// Schema, so error messages, SARIF locations and Ajv's standalone code generation are as if the
// chain had been written out by hand.

import type { AnySchemaObject, MacroKeywordDefinition } from "ajv";

interface PathNode {
  required: boolean;
  children: Map<string, PathNode>;
  /** The schema given for the path ending here, if one does. */
  leaf?: Record<string, unknown> | boolean;
}

/** `/a/b?/c~1d` -> [["a", true], ["b", false], ["c/d", true]]. */
export function parsePath(pointer: string): [name: string, required: boolean][] {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) throw new Error(`"at": path "${pointer}" must start with "/"`);
  return pointer
    .slice(1)
    .split("/")
    .map((segment) => {
      const optional = segment.endsWith("?");
      const name = (optional ? segment.slice(0, -1) : segment).replace(/~1/g, "/").replace(/~0/g, "~");
      return [name, !optional];
    });
}

function expand(node: PathNode): Record<string, unknown> | boolean {
  if (node.children.size === 0) return node.leaf ?? true;
  const required = [...node.children].filter(([, child]) => child.required).map(([name]) => name);
  const chain: Record<string, unknown> = { type: "object" };
  if (required.length > 0) chain.required = required;
  chain.properties = Object.fromEntries([...node.children].map(([name, child]) => [name, expand(child)]));
  const leaf = node.leaf;
  if (leaf === undefined || leaf === true) return chain;
  // A path that ends here and goes on: both must hold. Merged into one object when the leaf's
  // keywords do not collide with the chain's, so errors read as if written by hand.
  if (typeof leaf === "object" && !Object.keys(chain).some((k) => k in leaf)) return { ...leaf, ...chain };
  return { allOf: [leaf, chain] };
}

/** The JSON Schema an `at` value stands for. */
export function expandAt(paths: Record<string, unknown>): Record<string, unknown> | boolean {
  const root: PathNode = { required: true, children: new Map() };
  for (const [pointer, schema] of Object.entries(paths)) {
    let node = root;
    for (const [name, required] of parsePath(pointer)) {
      let child = node.children.get(name);
      if (!child) {
        child = { required, children: new Map() };
        node.children.set(name, child);
      }
      child.required ||= required;
      node = child;
    }
    if (node.leaf !== undefined) throw new Error(`"at": path "${pointer}" is given twice`);
    node.leaf = schema as Record<string, unknown> | boolean;
  }
  return expand(root);
}

export const atKeyword: MacroKeywordDefinition = {
  keyword: "at",
  schemaType: "object",
  metaSchema: {
    type: "object",
    propertyNames: { pattern: "^(/[^/]*)*$" },
    additionalProperties: { type: ["object", "boolean"] },
  },
  // A `description` beside `at` stays on the object it describes (the item or list entry the
  // paths start from), so a property missing there is reported with it, as if written by hand.
  macro: (paths: Record<string, unknown>, parent: AnySchemaObject) => {
    const schema = expandAt(paths);
    return typeof schema === "object" && typeof parent.description === "string" && !("description" in schema)
      ? { description: parent.description, ...schema }
      : schema;
  },
  error: { message: "lacks a property the path names, or its value does not match" },
};
