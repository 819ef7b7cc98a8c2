// `compliance validate` refuses a regular expression in a policy that a backtracking engine
// (JavaScript's own, an editor's, another tool's) could take exponential or polynomial time on,
// naming the file, line and column and the reason, as found by recheck (MIT; its pure
// JavaScript backend, run in this process: no binary, no Java, no worker). The engine itself
// runs every pattern on RE2 (engine/linear-regexp.ts), so this is defence in depth and a
// portability check, not the only guard: a pattern that slipped through still cannot hang a
// Lambda. Only `validate` pays for the analysis (about a second a pattern, once: definitive verdicts are
// cached in node_modules/.cache).

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { parseTree } from "jsonc-parser";
import type { checkSync as CheckSync, Diagnostics } from "recheck";
import type { PolicySource } from "../engine/catalogue.ts";
import type { PolicyProblem } from "../engine/errors.ts";
import { locator } from "../engine/json-locate.ts";
import { patternsOf, unsupportedSyntax } from "../engine/linear-regexp.ts";

/**
 * How long one analysis of one pattern may take before the next method is tried (wall clock). The
 * catalogue's patterns take well under a second on an idle machine; the margin keeps the verdict
 * the same on a machine under heavy load (a timeout would turn "safe" into a warning). A verdict
 * is cached, so only the first run pays.
 */
export const ANALYSIS_TIMEOUT_MS = 30_000;

// recheck picks its synchronous backend from the environment only; the pure one needs nothing
// installed beside it.
process.env.RECHECK_SYNC_BACKEND ??= "pure";

/** A definitive result is kept across runs (a pattern's verdict does not change); keyed by recheck's version. */
const CACHE = fileURLToPath(
  new URL("../node_modules/.cache/compliance-pattern-safety.json", import.meta.url),
);
const CACHE_KEY = `recheck ${(createRequire(import.meta.url)("recheck/package.json") as { version: string }).version}`;
let cache: Record<string, Diagnostics> | undefined;

function readCache(): Record<string, Diagnostics> {
  if (cache) return cache;
  try {
    const stored = JSON.parse(readFileSync(CACHE, "utf8")) as {
      key?: string;
      results?: Record<string, Diagnostics>;
    };
    cache = stored.key === CACHE_KEY && stored.results ? stored.results : {};
  } catch {
    cache = {};
  }
  return cache;
}

function writeCache(results: Record<string, Diagnostics>): void {
  try {
    mkdirSync(dirname(CACHE), { recursive: true });
    writeFileSync(CACHE, JSON.stringify({ key: CACHE_KEY, results }));
  } catch {
    // A cache that cannot be written only costs the analysis again next time.
  }
}

/**
 * recheck's verdict: the automaton method first (exact), then, when it runs out of time (large
 * character classes can), fuzzing with a fixed seed (the same verdict on every run).
 */
export function analyse(pattern: string): Diagnostics {
  const results = readCache();
  const known = results[pattern];
  if (known) return known;
  // Loaded only when a pattern is not in the cache: it is 5 MB of JavaScript.
  const { checkSync } = createRequire(import.meta.url)("recheck") as { checkSync: typeof CheckSync };
  let result = checkSync(pattern, "", { timeout: ANALYSIS_TIMEOUT_MS });
  if (result.status === "unknown" && result.error.kind === "timeout") {
    result = checkSync(pattern, "", { timeout: ANALYSIS_TIMEOUT_MS, checker: "fuzz", randomSeed: 1 });
  }
  if (result.status !== "unknown") {
    results[pattern] = result;
    writeCache(results);
  }
  return result;
}

/** One sentence for a vulnerable pattern: how bad, where in the pattern, and an input that shows it. */
export function vulnerability(pattern: string, diagnostics: Diagnostics): string | undefined {
  if (diagnostics.status !== "vulnerable") return undefined;
  const { complexity, attack, hotspot } = diagnostics;
  const how = `${complexity.summary} time`;
  const where = hotspot
    .filter((h) => h.temperature === "heat")
    .map((h) => pattern.slice(h.start, h.end))
    .filter((text) => text !== "");
  return [
    `pattern ${JSON.stringify(pattern)} can backtrack catastrophically: ${how}`,
    where.length > 0 ? ` in ${where.map((w) => `"${w}"`).join(", ")}` : "",
    `, e.g. on ${attack.pattern}; rewrite it without nested or overlapping repetition`,
  ].join("");
}

/** Problems (errors for vulnerable patterns, warnings for unproven ones) in the policy files. */
export function patternSafetyProblems(sources: readonly PolicySource[]): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  for (const { file, text } of sources) {
    let policy: { controls?: { check?: unknown; appliesTo?: unknown }[] };
    try {
      policy = JSON.parse(text) as typeof policy;
    } catch {
      continue; // Reported as not JSON by the catalogue check.
    }
    if (!Array.isArray(policy.controls)) continue;
    const at = locator(text, parseTree(text));
    policy.controls.forEach((control, i) => {
      const patterns = [
        ...patternsOf(control?.check, `/controls/${i}/check`),
        ...patternsOf(control?.appliesTo, `/controls/${i}/appliesTo`),
      ];
      for (const { pattern, pointer } of patterns) {
        // A pattern RE2 cannot run is an error of the catalogue check already.
        if (unsupportedSyntax(pattern) !== undefined) continue;
        const diagnostics = analyse(pattern);
        const where = { file, pointer, ...at(pointer) };
        const reason = vulnerability(pattern, diagnostics);
        if (reason) problems.push({ ...where, level: "error", message: reason });
        else if (diagnostics.status === "unknown") {
          problems.push({
            ...where,
            level: "warning",
            message: `pattern ${JSON.stringify(pattern)} could not be proven free of catastrophic backtracking (${diagnostics.error.kind}); checks run it on RE2, in linear time, all the same`,
          });
        }
      }
    });
  }
  return problems;
}
