// Which controls to fix first: the few whose remediation would move the most resources into
// compliance. A non-compliant resource becomes compliant only when every required control it
// fails is fixed, so the ranking is greedy: at each step, the control that completes the most
// resources given the controls already chosen (ties: more resources failing it, then severity).
//
// The ranking reads running totals, never the records: the non-compliant resources are counted
// per set of failing controls they share (how many distinct sets a run has depends on the
// catalogue, not on how many resources it holds), so a report of a million resources ranks from
// a few hundred entries.

import type { EvaluationRecord, Severity } from "../../types.ts";

const SEVERITY_RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };

export interface FixFirst {
  controlId: string;
  title: string;
  severity: Severity;
  /** Resources failing this control where their account requires it. */
  failing: number;
  /** Resources that become compliant when this control is fixed after the ones ranked above. */
  completes: number;
  /** Compliant resources once this control and the ones ranked above are fixed. */
  compliantAfter: number;
}

interface ControlInfo {
  title: string;
  severity: Severity;
  failing: number;
}

/** What the ranking needs of a run, added record by record. */
export interface FixFirstTally {
  add(record: EvaluationRecord): void;
  rank(top?: number): FixFirst[];
}

interface FailureSet {
  ids: Set<string>;
  count: number;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

export function fixFirstTally(): FixFirstTally {
  const info = new Map<string, ControlInfo>();
  const sets = new Map<string, FailureSet>();
  let compliant = 0;
  return {
    add(r) {
      if (r.compliance === "COMPLIANT") compliant++;
      if (r.compliance !== "NON_COMPLIANT") return;
      const ids: string[] = [];
      for (const f of r.findings) {
        if (f.status !== "FAIL" || !f.required) continue;
        const c = info.get(f.controlId) ?? { title: f.title, severity: f.severity, failing: 0 };
        c.failing++;
        info.set(f.controlId, c);
        ids.push(f.controlId);
      }
      if (ids.length === 0) return;
      const key = [...new Set(ids)].sort().join("\u0000");
      const known = sets.get(key);
      if (known) known.count++;
      else sets.set(key, { ids: new Set(ids), count: 1 });
    },
    rank(top = 5) {
      return rankSets(
        new Map(info),
        [...sets.values()].map((s) => ({ ids: new Set(s.ids), count: s.count })),
        compliant,
        top,
      );
    },
  };
}

function rankSets(
  info: Map<string, ControlInfo>,
  start: FailureSet[],
  compliantBefore: number,
  top: number,
): FixFirst[] {
  let remaining = start;
  let compliant = compliantBefore;
  // Progress (below) is a sum of fractions count / set size: scaled by a common multiple of every
  // size a set can shrink to, it is an exact integer, so equal progress is a tie, never a rounding
  // difference.
  let largest = 0;
  let resources = 0;
  for (const s of remaining) {
    largest = Math.max(largest, s.ids.size);
    resources += s.count;
  }
  let scale = 1;
  for (let n = 2; n <= largest && scale <= Number.MAX_SAFE_INTEGER; n++) scale = (scale / gcd(scale, n)) * n;
  const exact = scale * resources <= Number.MAX_SAFE_INTEGER;
  const chosen: FixFirst[] = [];
  while (chosen.length < top && info.size > 0) {
    // For each candidate: how many remaining resources it alone still blocks.
    // Ties go to the control that brings the remaining resources closest to compliance: each
    // resource gives every control it fails 1 / (the number of controls it fails).
    const completes = new Map<string, number>();
    const progress = new Map<string, number>();
    for (const { ids, count } of remaining) {
      const share = exact ? (scale / ids.size) * count : count / ids.size;
      for (const id of ids) progress.set(id, (progress.get(id) ?? 0) + share);
      if (ids.size === 1) {
        const [only] = ids;
        if (only !== undefined) completes.set(only, (completes.get(only) ?? 0) + count);
      }
    }
    let best: string | undefined;
    for (const [id, c] of info) {
      if (best === undefined) {
        best = id;
        continue;
      }
      const b = info.get(best) as ControlInfo;
      const diff =
        (completes.get(id) ?? 0) - (completes.get(best) ?? 0) ||
        (progress.get(id) ?? 0) - (progress.get(best) ?? 0) ||
        c.failing - b.failing ||
        SEVERITY_RANK[b.severity] - SEVERITY_RANK[c.severity] ||
        best.localeCompare(id);
      if (diff > 0) best = id;
    }
    if (best === undefined) break;
    const id = best;
    const c = info.get(id) as ControlInfo;
    const done = completes.get(id) ?? 0;
    compliant += done;
    chosen.push({
      controlId: id,
      title: c.title,
      severity: c.severity,
      failing: c.failing,
      completes: done,
      compliantAfter: compliant,
    });
    info.delete(id);
    for (const s of remaining) s.ids.delete(id);
    remaining = remaining.filter((s) => s.ids.size > 0);
  }
  return chosen;
}

/** The ranking of a list of records (the same as adding them one by one to a tally). */
export function rankFixFirst(records: readonly EvaluationRecord[], top = 5): FixFirst[] {
  const tally = fixFirstTally();
  for (const r of records) tally.add(r);
  return tally.rank(top);
}
