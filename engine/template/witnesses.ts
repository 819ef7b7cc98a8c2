// Stand-in values for an unknown value: enough different values that a control whose outcome
// depends on it shows that it does. Generic ones (empty, wildcard, booleans, numbers, null, empty
// containers) and, from the schemas of the controls that will read the item, every `const` and
// `enum` value (alone and in a one-element array), numbers at and around every bound, strings at
// every length bound, and a string matching every `pattern` (and the body of each look-ahead in it,
// so `^(?!alias/aws/)` also yields `alias/aws/`), generated deterministically with randexp.

import randexpModule from "randexp";
import type { CompiledControl } from "../catalogue.ts";
import { isObj } from "./types.ts";

/** randexp is CommonJS: `module.exports` is the class (also as `.default`); typed by what is used. */
type RandExpClass = new (pattern: string) => { randInt: (from: number, to: number) => number; gen(): string };
const RandExp = ((randexpModule as unknown as { default?: RandExpClass }).default ??
  randexpModule) as unknown as RandExpClass;

const GENERIC: unknown[] = ["", "*", true, false, "true", "false", 0, 1, -1, null, {}, [], ["*"]];
const NUMBER_KEYWORDS = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"];
const LENGTH_KEYWORDS = ["minLength", "maxLength"];

function fromPattern(pattern: string): string[] {
  const sources = [pattern];
  for (const m of pattern.matchAll(/\(\?[=!](.*?)\)(?!\?)/g)) sources.push(`${m[1]}`);
  const out: string[] = [];
  for (const source of sources) {
    try {
      const generator = new RandExp(source);
      generator.randInt = (from: number) => from;
      out.push(generator.gen());
    } catch {
      // A pattern randexp cannot read adds no witness; the generic ones remain.
    }
  }
  return out;
}

function collect(schema: unknown, out: unknown[]): void {
  if (Array.isArray(schema)) {
    for (const s of schema) collect(s, out);
    return;
  }
  if (!isObj(schema)) return;
  if ("const" in schema) out.push(schema.const, [schema.const]);
  if (Array.isArray(schema.enum)) for (const v of schema.enum) out.push(v, [v]);
  for (const k of NUMBER_KEYWORDS) {
    const v = schema[k];
    if (typeof v === "number") out.push(v, v - 1, v + 1);
  }
  for (const k of LENGTH_KEYWORDS) {
    const v = schema[k];
    if (typeof v === "number")
      out.push("a".repeat(Math.min(v, 256)), "a".repeat(Math.max(0, Math.min(v, 256) - 1)));
  }
  if (typeof schema.pattern === "string") out.push(...fromPattern(schema.pattern));
  for (const [k, v] of Object.entries(schema)) {
    if (k !== "const" && k !== "enum") collect(v, out);
  }
}

const cache = new WeakMap<readonly CompiledControl[], unknown[]>();

/** Witness values for the unknown values of an item these controls check (computed once per list). */
export function witnesses(controls: readonly CompiledControl[]): unknown[] {
  let found = cache.get(controls);
  if (!found) {
    const out: unknown[] = [...GENERIC];
    for (const c of controls) {
      collect(c.check, out);
      if (c.appliesTo) collect(c.appliesTo, out);
    }
    const seen = new Set<string>();
    found = out.filter((v) => {
      const key = JSON.stringify(v) ?? "undefined";
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    cache.set(controls, found);
  }
  return found;
}
