// Mutations of real JSON inputs for the fuzz tests: a few random edits at random places of a real
// document (delete, replace with a random JSON value, turn into a JSON string, wrap in an array,
// add a prototype key), so the inputs stay close enough to real ones to reach deep code.

import fc from "fast-check";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const PROTOTYPE_KEYS = ["__proto__", "constructor", "prototype"] as const;

export type Edit =
  | { op: "delete"; at: number }
  | { op: "replace"; at: number; value: Json }
  | { op: "stringify"; at: number }
  | { op: "wrap"; at: number }
  | { op: "prototype-key"; at: number; key: (typeof PROTOTYPE_KEYS)[number]; value: Json };

/** Random JSON values: small, with the awkward ones (empty, huge numbers, odd strings) likely. */
export const jsonValue: fc.Arbitrary<Json> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
  fc.constantFrom<Json>("", "*", "null", "{", "[]", "%7B", "\u0000", "1e309", -1, 1e21, [], {}, true),
);

export const edits: fc.Arbitrary<Edit[]> = fc.array(
  fc.oneof(
    fc.record({ op: fc.constant("delete" as const), at: fc.nat() }),
    fc.record({ op: fc.constant("replace" as const), at: fc.nat(), value: jsonValue }),
    fc.record({ op: fc.constant("stringify" as const), at: fc.nat() }),
    fc.record({ op: fc.constant("wrap" as const), at: fc.nat() }),
    fc.record({
      op: fc.constant("prototype-key" as const),
      at: fc.nat(),
      key: fc.constantFrom(...PROTOTYPE_KEYS),
      value: jsonValue,
    }),
  ),
  { minLength: 1, maxLength: 4 },
);

type Slot = { parent: Json[] | Record<string, Json>; key: string | number };

function slots(value: Json, out: Slot[] = []): Slot[] {
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      out.push({ parent: value, key: i });
      slots(v, out);
    });
  } else if (value !== null && typeof value === "object") {
    for (const key of Object.keys(value)) {
      out.push({ parent: value, key });
      slots(value[key] as Json, out);
    }
  }
  return out;
}

function objects(value: Json, out: Record<string, Json>[] = []): Record<string, Json>[] {
  if (Array.isArray(value)) for (const v of value) objects(v, out);
  else if (value !== null && typeof value === "object") {
    out.push(value);
    for (const v of Object.values(value)) objects(v, out);
  }
  return out;
}

/**
 * The document after the edits, as JSON text: prototype keys are written as own keys, exactly as
 * `JSON.parse` of an attacker's file gives them. `neutral` is the same text with each prototype key
 * spelled as an ordinary key nothing reads: an input's verdict must not tell the two apart.
 */
export function mutate(document: Json, list: Edit[]): { text: string; neutral: string } {
  const doc = JSON.parse(JSON.stringify(document)) as Json;
  const marks = new Map<string, { key: string; value: Json }>();
  let n = 0;
  for (const edit of list) {
    if (edit.op === "prototype-key") {
      const targets = objects(doc);
      const target = targets[edit.at % Math.max(targets.length, 1)];
      if (!target) continue;
      const mark = `__fuzz_proto_${n++}__`;
      target[mark] = edit.value;
      marks.set(mark, { key: edit.key, value: edit.value });
      continue;
    }
    const all = slots(doc);
    const slot = all[edit.at % Math.max(all.length, 1)];
    if (!slot) continue;
    const { parent, key } = slot;
    const current = (parent as Record<string | number, Json>)[key] as Json;
    if (edit.op === "delete") {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key as string];
    } else {
      const next =
        edit.op === "replace" ? edit.value : edit.op === "stringify" ? JSON.stringify(current) : [current];
      (parent as Record<string | number, Json>)[key] = next;
    }
  }
  let text = JSON.stringify(doc);
  let neutral = text;
  for (const [mark, { key }] of marks) {
    text = text.replace(`"${mark}"`, JSON.stringify(key));
    neutral = neutral.replace(`"${mark}"`, JSON.stringify(`fuzz_${key}_key`));
  }
  return { text, neutral };
}

/** Whether a global prototype was touched (the one thing a fuzz input must never do). */
export function prototypesPolluted(): boolean {
  const probe = {} as Record<string, unknown>;
  return (
    Object.keys(Object.prototype).length > 0 ||
    Object.keys(Array.prototype).length > 0 ||
    probe.polluted !== undefined ||
    Object.getPrototypeOf(probe) !== Object.prototype
  );
}
