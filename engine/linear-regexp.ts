// The regular expression engine every check's patterns run on: RE2 (re2js, pure JavaScript),
// which matches in time linear in the input, so no pattern, however written, can make an
// evaluation backtrack for minutes (`^(a+)+$` on 40 characters is instant). Ajv takes it as its
// `code.regExp` option; `code` is the same engine as source text (compiling on first use), for the
// validators Ajv's standalone code generation writes into the Lambda bundles.
//
// RE2 has no lookaround and no backreferences: a pattern that uses them does not compile, and
// `patternProblems` says so, at the pattern's line, when the catalogue is checked.

import { RE2JS } from "re2js";
import { escapeSegment } from "./json-locate.ts";

/** What Ajv needs of a compiled pattern. */
export interface LinearRegExp {
  test(input: string): boolean;
  toString(): string;
}

/** Compiles a JSON Schema (ECMAScript-syntax) pattern with RE2; throws on syntax RE2 lacks. */
export const linearRegExp = Object.assign(
  (pattern: string): LinearRegExp => RE2JS.compile(RE2JS.translateRegExp(pattern)),
  {
    // In generated code the pattern compiles (and re2js initialises) on its first test, not when
    // the module loads: a run that tests no pattern, such as most change events, never pays for it.
    // Every pattern compiled when the catalogue was checked, so none fails here.
    code: '((pattern) => { let re; return { test(input) { if (re === undefined) { const { RE2JS } = require("re2js"); re = RE2JS.compile(RE2JS.translateRegExp(pattern)); } return re.test(input); }, toString: () => pattern }; })',
  },
);

/** Why RE2 cannot compile a pattern, or undefined when it can. */
export function unsupportedSyntax(pattern: string): string | undefined {
  try {
    linearRegExp(pattern);
    return undefined;
  } catch (error) {
    return (error instanceof Error ? error.message : String(error)).replace(/^error parsing regexp: /, "");
  }
}

/** A regular expression written in a check, and where (JSON pointer from the control). */
export interface PatternAt {
  pattern: string;
  pointer: string;
}

/** Keywords whose values are data, never schemas: nothing inside them is a pattern or an `at` path. */
export const DATA_KEYWORDS: ReadonlySet<string> = new Set([
  "const",
  "enum",
  "default",
  "examples",
  "description",
  "title",
  "$comment",
]);

/**
 * Every regular expression of a check: `pattern` values, `patternProperties` keys and the
 * vocabulary's own (`actionMatching`), with their pointers below `base`.
 */
export function patternsOf(schema: unknown, base: string, out: PatternAt[] = []): PatternAt[] {
  if (Array.isArray(schema)) {
    schema.forEach((s, i) => {
      patternsOf(s, `${base}/${i}`, out);
    });
    return out;
  }
  if (typeof schema !== "object" || schema === null) return out;
  for (const [key, value] of Object.entries(schema)) {
    const at = `${base}/${escapeSegment(key)}`;
    if ((key === "pattern" || key === "actionMatching") && typeof value === "string") {
      out.push({ pattern: value, pointer: at });
    } else if (key === "patternProperties" && typeof value === "object" && value !== null) {
      for (const [pattern, sub] of Object.entries(value)) {
        out.push({ pattern, pointer: `${at}/${escapeSegment(pattern)}` });
        patternsOf(sub, `${at}/${escapeSegment(pattern)}`, out);
      }
    } else if (!DATA_KEYWORDS.has(key)) {
      patternsOf(value, at, out);
    }
  }
  return out;
}
