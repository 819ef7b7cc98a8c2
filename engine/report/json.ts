// `--format json`: one JSON document ({ results, summary, problems }), written record by record so that a snapshot
// larger than memory streams through.

import type { EvaluationRecord } from "../types.ts";
import type { InputProblem, Summary } from "./types.ts";

export interface JsonWriter {
  record(record: EvaluationRecord): void;
  /** A record already serialised by `recordJson` (in a worker thread). */
  recordJson(json: string): void;
  end(summary: Summary, problems: InputProblem[]): void;
}

/** The public shape of a record: the documented fields in their documented order, then the rest. */
export function publicRecord(r: EvaluationRecord): Record<string, unknown> {
  return {
    resourceType: r.resourceType,
    resourceId: r.resourceId,
    ...(r.resourceName !== undefined ? { resourceName: r.resourceName } : {}),
    ...(r.arn !== undefined ? { arn: r.arn } : {}),
    accountId: r.accountId,
    region: r.region,
    compliance: r.compliance,
    annotation: r.annotation,
    required: r.required,
    achieved: r.achieved,
    capturedAt: r.capturedAt,
    findings: r.findings.map((f) => ({
      controlId: f.controlId,
      status: f.status,
      severity: f.severity,
      message: f.message,
      title: f.title,
      required: f.required,
      cia: f.cia,
      ...(f.waiver ? { waiver: f.waiver } : {}),
    })),
  };
}

/** One record as the `results` array holds it. */
export function recordJson(record: EvaluationRecord): string {
  return JSON.stringify(publicRecord(record));
}

export function jsonWriter(write: (chunk: string) => void): JsonWriter {
  let count = 0;
  write('{\n"results": [');
  const recordText = (json: string) => write(`${count++ === 0 ? "\n" : ",\n"}${json}`);
  return {
    record(record) {
      recordText(recordJson(record));
    },
    recordJson: recordText,
    end(summary, problems) {
      write(`\n],\n"summary": ${JSON.stringify(summary)},\n"problems": ${JSON.stringify(problems)}\n}\n`);
    },
  };
}
