// Line and column of a JSON pointer in a file's text, for problems reported at `file:line:col`.
// A file with thousands of problems is located in time linear in its size plus the problems: the
// parse tree is walked once into an index by pointer, and line starts are found by binary search
// (looking each pointer up by walking the tree and counting lines from the start made `validate`
// quadratic in the number of errors).

import type { Node } from "jsonc-parser";

export interface Position {
  line: number;
  column: number;
}

/** A pointer segment as written in a JSON pointer (`~` as `~0`, `/` as `~1`). */
export const escapeSegment = (segment: string): string => segment.replace(/~/g, "~0").replace(/\//g, "~1");

/**
 * Why a JSON pointer written in a policy file is not one (RFC 6901: `~` only as `~0` or `~1`), or
 * undefined when it is valid. A bad escape would silently name another property.
 */
export function invalidPointerEscape(pointer: string): string | undefined {
  const bad = /~(?:[^01]|$)/.exec(pointer)?.[0];
  if (bad === undefined) return undefined;
  return `JSON pointer ${JSON.stringify(pointer)} has the invalid escape "${bad}": a "~" in a name is written "~0" and a "/" in a name "~1"`;
}

/** Every node's pointer -> offset of where to report it (a property's key, an element's value). */
function indexTree(tree: Node): Map<string, number> {
  const index = new Map<string, number>();
  // Iterative depth-first walk: a deeply nested file cannot overflow the stack.
  const stack: { node: Node; pointer: string; offset: number }[] = [
    { node: tree, pointer: "", offset: tree.offset },
  ];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const { node, pointer, offset } = top;
    // The first of duplicate keys wins, as a lookup by walking the tree found it.
    if (index.has(pointer)) continue;
    index.set(pointer, offset);
    const children = node.children ?? [];
    if (node.type === "object") {
      for (let i = children.length - 1; i >= 0; i--) {
        const property = children[i] as Node;
        const [key, value] = property.children ?? [];
        if (!key || !value || typeof key.value !== "string") continue;
        stack.push({
          node: value,
          pointer: `${pointer}/${escapeSegment(key.value)}`,
          offset: property.offset,
        });
      }
    } else if (node.type === "array") {
      for (let i = children.length - 1; i >= 0; i--) {
        const element = children[i] as Node;
        stack.push({ node: element, pointer: `${pointer}/${i}`, offset: element.offset });
      }
    }
  }
  return index;
}

/** Offsets at which each line starts (line 1 at 0). */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

/**
 * A function from JSON pointer to 1-based line and column in `text`. A pointer that names nothing
 * in the file (a missing property) is reported at the closest ancestor that exists. The index is
 * built on the first lookup.
 */
export function locator(text: string, tree: Node | undefined): (pointer: string) => Position {
  let index: Map<string, number> | undefined;
  let starts: number[] | undefined;
  return (pointer) => {
    index ??= tree ? indexTree(tree) : new Map<string, number>();
    starts ??= lineStarts(text);
    let offset = 0;
    for (let p = pointer; ; p = p.slice(0, p.lastIndexOf("/"))) {
      const found = index.get(p);
      if (found !== undefined) {
        offset = found;
        break;
      }
      if (p === "" || !p.includes("/")) break;
    }
    offset = Math.min(offset, text.length);
    // The last line start at or before the offset.
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (starts[lo] as number) + 1 };
  };
}
