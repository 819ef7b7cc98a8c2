// Which controls to fix first: the few whose remediation would move the most resources into
// compliance. A non-compliant resource becomes compliant only when every required control it
// fails is fixed, so the ranking is greedy: at each step, the control that completes the most
// resources given the controls already chosen (ties: more resources failing it, then severity).

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

/** The failing required control ids of each non-compliant record. */
function openFailures(records: readonly EvaluationRecord[]): Set<string>[] {
  const out: Set<string>[] = [];
  for (const r of records) {
    if (r.compliance !== "NON_COMPLIANT") continue;
    const ids = new Set(r.findings.filter((f) => f.status === "FAIL" && f.required).map((f) => f.controlId));
    if (ids.size > 0) out.push(ids);
  }
  return out;
}

export function rankFixFirst(records: readonly EvaluationRecord[], top = 5): FixFirst[] {
  const info = new Map<string, ControlInfo>();
  for (const r of records) {
    if (r.compliance !== "NON_COMPLIANT") continue;
    for (const f of r.findings) {
      if (f.status !== "FAIL" || !f.required) continue;
      const c = info.get(f.controlId) ?? { title: f.title, severity: f.severity, failing: 0 };
      c.failing++;
      info.set(f.controlId, c);
    }
  }
  let remaining = openFailures(records);
  let compliant = records.filter((r) => r.compliance === "COMPLIANT").length;
  const chosen: FixFirst[] = [];
  while (chosen.length < top && info.size > 0) {
    // For each candidate: how many remaining resources it alone still blocks.
    // Ties go to the control that brings the remaining resources closest to compliance: each
    // resource gives every control it fails 1 / (the number of controls it fails).
    const completes = new Map<string, number>();
    const progress = new Map<string, number>();
    for (const ids of remaining) {
      for (const id of ids) progress.set(id, (progress.get(id) ?? 0) + 1 / ids.size);
      if (ids.size === 1) {
        const [only] = ids;
        if (only !== undefined) completes.set(only, (completes.get(only) ?? 0) + 1);
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
    for (const ids of remaining) ids.delete(id);
    remaining = remaining.filter((ids) => ids.size > 0);
  }
  return chosen;
}
