// What a run keeps of its evaluation records until the report is written, by format, so that
// memory grows only with what the report shows:
//   - json streams (nothing kept);
//   - table: every record (the table prints a line per resource), but only the findings it
//     prints (failing required ones, waived ones, unknown ones);
//   - sarif: only records with results, only those findings, until MAX_SARIF_RESULTS results are
//     kept; the rest are counted (renderSarif says how many were left out);
//   - html (the format, or --html beside another): running totals (html/tally.ts) and the few
//     resources the report shows in detail, at most its limits (the rest counted).

import type { EvaluationRecord, Finding } from "../types.ts";
import { type HtmlLimits, type HtmlTally, htmlTally } from "./html/tally.ts";
import { MAX_SARIF_RESULTS, sarifResultCount } from "./sarif.ts";

export type RetainMode = "none" | "table" | "sarif";

export interface Retained {
  readonly records: EvaluationRecord[];
  /** SARIF results left out once the cap was reached. */
  readonly sarifOmitted: number;
  /** The HTML report's running totals, when one was asked for. */
  readonly html: HtmlTally | undefined;
  /** Keeps what the report needs of a record the caller hands over (it may be trimmed in place). */
  add(record: EvaluationRecord): void;
}

export interface RetainOptions {
  maxSarifResults?: number;
  /** Also tally for the HTML report, showing at most these limits in detail. */
  html?: Readonly<HtmlLimits>;
}

const shown = (f: Finding) =>
  (f.status === "FAIL" && f.required) || f.status === "WAIVED" || f.status === "UNKNOWN";

/**
 * The record with only the findings the table and SARIF reports show: trimmed in place, or a
 * trimmed copy when the record is also kept whole (the HTML report shows every finding).
 */
function trim(record: EvaluationRecord, copy: boolean): EvaluationRecord {
  if (record.findings.every(shown)) return record;
  const findings = record.findings.filter(shown);
  if (!copy) {
    record.findings = findings;
    return record;
  }
  return { ...record, findings };
}

/** `options` a number: the SARIF cap alone. */
export function retainer(mode: RetainMode, options: RetainOptions | number = {}): Retained {
  if (typeof options === "number") options = { maxSarifResults: options };
  const maxSarifResults = options.maxSarifResults ?? MAX_SARIF_RESULTS;
  const html = options.html ? htmlTally(options.html) : undefined;
  const copy = html !== undefined;
  const records: EvaluationRecord[] = [];
  let sarifKept = 0;
  let sarifOmitted = 0;
  return {
    records,
    html,
    get sarifOmitted() {
      return sarifOmitted;
    },
    add(record) {
      html?.add(record);
      if (mode === "none") return;
      if (mode === "table") records.push(trim(record, copy));
      else {
        const n = sarifResultCount(record);
        if (n === 0) return;
        if (sarifKept + n <= maxSarifResults) {
          sarifKept += n;
          records.push(trim(record, copy));
        } else sarifOmitted += n;
      }
    },
  };
}
