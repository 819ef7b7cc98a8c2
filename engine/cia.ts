// The CIA model (README "The CIA model"): ratings, when a control is required, and what a resource achieves.

import type { CiaAchieved, CiaRating, CiaRequirement, Dimension, Finding } from "./types.ts";
import { DIMENSIONS } from "./types.ts";

/** The most critical rating: production, unclassified accounts, and the fail-safe default. */
export const HIGHEST: Readonly<CiaRating> = Object.freeze({ c: 3, i: 3, a: 3 });

const RATING = /^C([1-3])I([1-3])A([1-3])$/i;

/** Parses `C3I2A1`; undefined when malformed. */
export function parseRating(text: string | undefined): CiaRating | undefined {
  const m = text?.trim().match(RATING);
  if (!m) return undefined;
  return { c: Number(m[1]) as 1 | 2 | 3, i: Number(m[2]) as 1 | 2 | 3, a: Number(m[3]) as 1 | 2 | 3 };
}

export const formatRating = (r: CiaRating | CiaAchieved): string => `C${r.c}I${r.i}A${r.a}`;

/**
 * An account's rating from its tags: `environment=production` forces the highest; a missing or
 * malformed `cia-rating` gives the highest (fail safe) and marks the account unclassified.
 */
export function ratingFromTags(tags: Record<string, string>): { rating: CiaRating; unclassified: boolean } {
  const lower = Object.fromEntries(Object.entries(tags).map(([k, v]) => [k.toLowerCase(), v]));
  const parsed = parseRating(lower["cia-rating"]);
  if ((lower.environment ?? "").trim().toLowerCase() === "production") {
    return { rating: { ...HIGHEST }, unclassified: false };
  }
  return parsed ? { rating: parsed, unclassified: false } : { rating: { ...HIGHEST }, unclassified: true };
}

/** A control is required when the account's level reaches the control's level in any dimension. */
export function isRequired(requirement: CiaRequirement, rating: CiaRating): boolean {
  // Once per control and item: a loop, no closure.
  for (const d of DIMENSIONS) {
    const level = requirement[d];
    if (level !== undefined && rating[d] >= level) return true;
  }
  return false;
}

/**
 * What a resource achieves in each dimension: the highest level L such that every control with
 * that dimension at a level <= L passes. A waived control does not pass: the waiver keeps the
 * resource compliant, but what it achieves stays what it really is. Skipped controls do not count.
 */
export function achieved(findings: readonly Pick<Finding, "status" | "cia">[]): CiaAchieved {
  const result: Record<Dimension, number> = { c: 3, i: 3, a: 3 };
  for (const f of findings) {
    if (f.status !== "FAIL" && f.status !== "WAIVED") continue;
    for (const d of DIMENSIONS) {
      const level = f.cia[d];
      if (level !== undefined) result[d] = Math.min(result[d], level - 1);
    }
  }
  return result as unknown as CiaAchieved;
}
