// The one order of severities, most severe first: annotations, reports, the notifier's routing and
// digests all sort and pick the worst by it.

import type { Severity } from "./types.ts";

/** Most severe first. */
export const SEVERITY_ORDER: readonly Severity[] = ["critical", "high", "medium", "low"];

/** 0 for the most severe; a severity the catalogue does not know (`unknown`) ranks after all. */
export function severityRank(severity: string): number {
  const rank = SEVERITY_ORDER.indexOf(severity as Severity);
  return rank < 0 ? SEVERITY_ORDER.length : rank;
}

/** Sorts most severe first. */
export const bySeverity = (a: { severity: string }, b: { severity: string }): number =>
  severityRank(a.severity) - severityRank(b.severity);

/** The most severe of a list; `fallback` when the list is empty. */
export function mostSevere<S extends string>(severities: readonly S[], fallback: S): S {
  return severities.reduce<S>((worst, s) => (severityRank(s) < severityRank(worst) ? s : worst), fallback);
}
