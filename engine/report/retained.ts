// What a run keeps of its evaluation records until the report is written, by format, so that
// memory grows only with what the report shows:
//   - json streams (nothing kept);
//   - table: every record, but only the findings it prints (failing required ones, waived ones);
//   - sarif: only records with results, only those findings, until MAX_SARIF_RESULTS results are
//     kept; the rest are counted (renderSarif says how many were left out);
//   - html (or any format with --html): every record whole (the HTML report aggregates them).

import type { EvaluationRecord, Finding } from "../types.ts";
import { MAX_SARIF_RESULTS, sarifResultCount } from "./sarif.ts";

export type RetainMode = "none" | "table" | "sarif" | "full";

export interface Retained {
  readonly records: EvaluationRecord[];
  /** SARIF results left out once the cap was reached. */
  readonly sarifOmitted: number;
  /** Keeps what the report needs of a record the caller hands over (it may be trimmed in place). */
  add(record: EvaluationRecord): void;
}

const shown = (f: Finding) =>
  (f.status === "FAIL" && f.required) || f.status === "WAIVED" || f.status === "UNKNOWN";

/** The record with only the findings the table and SARIF reports show (trimmed in place). */
function trim(record: EvaluationRecord): EvaluationRecord {
  if (!record.findings.every(shown)) record.findings = record.findings.filter(shown);
  return record;
}

export function retainer(mode: RetainMode, maxSarifResults = MAX_SARIF_RESULTS): Retained {
  const records: EvaluationRecord[] = [];
  let sarifKept = 0;
  let sarifOmitted = 0;
  return {
    records,
    get sarifOmitted() {
      return sarifOmitted;
    },
    add(record) {
      if (mode === "none") return;
      if (mode === "full") records.push(record);
      else if (mode === "table") records.push(trim(record));
      else {
        const n = sarifResultCount(record);
        if (n === 0) return;
        if (sarifKept + n <= maxSarifResults) {
          sarifKept += n;
          records.push(trim(record));
        } else sarifOmitted += n;
      }
    },
  };
}
