// What every reporter reads: the evaluation records of a run and their context. Reporters only
// read records (they never evaluate), so table, JSON, SARIF and HTML always agree.

import type { Catalogue } from "../catalogue.ts";
import type { AccountContext, Compliance, EvaluationRecord } from "../types.ts";

/** An input that could not be read or evaluated: reported, and the run goes on. */
export interface InputProblem {
  source: string;
  message: string;
}

export interface Summary {
  resources: number;
  byCompliance: Record<Compliance, number>;
  /** Failing required findings by severity. */
  bySeverity: Record<string, number>;
  /** Required findings whose status is UNKNOWN (templates: a value the template does not tell). */
  unknown: number;
  accounts: number;
  inputErrors: number;
}

export interface ReportInput {
  records: EvaluationRecord[];
  /** Every account seen, with its rating and tags (from --accounts or the sample organisation). */
  accounts: Map<string, AccountContext>;
  catalogue: Catalogue;
  problems: InputProblem[];
  summary: Summary;
  generatedAt: Date;
  /** A title for the run, e.g. "Sample organisation". */
  title: string;
}

export function emptySummary(): Summary {
  return {
    resources: 0,
    byCompliance: { COMPLIANT: 0, NON_COMPLIANT: 0, NOT_APPLICABLE: 0 },
    bySeverity: { critical: 0, high: 0, medium: 0, low: 0 },
    unknown: 0,
    accounts: 0,
    inputErrors: 0,
  };
}

/** Adds one record to a running summary (JSON output streams, so the summary is incremental). */
export function addToSummary(summary: Summary, record: EvaluationRecord): void {
  summary.resources++;
  summary.byCompliance[record.compliance]++;
  for (const f of record.findings) {
    if (f.status === "FAIL" && f.required)
      summary.bySeverity[f.severity] = (summary.bySeverity[f.severity] ?? 0) + 1;
    if (f.status === "UNKNOWN" && f.required) summary.unknown++;
  }
}
