// `--format json`: one JSON document ({ results, summary, problems }), written record by record so that a snapshot
// larger than memory streams through.

import type { EvaluationRecord } from "../types.ts";
import type { InputProblem, Summary } from "./types.ts";

export interface JsonWriter {
  record(record: EvaluationRecord): void;
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
    ...(r.source ? { source: r.source } : {}),
    ...(r.location ? { location: r.location } : {}),
    findings: r.findings.map((f) => ({
      controlId: f.controlId,
      status: f.status,
      severity: f.severity,
      message: f.message,
      title: f.title,
      required: f.required,
      cia: f.cia,
      ...(f.waiver ? { waiver: f.waiver } : {}),
      ...(f.location ? { location: f.location } : {}),
    })),
  };
}

export function jsonWriter(write: (chunk: string) => void): JsonWriter {
  let count = 0;
  write('{\n"results": [');
  return {
    record(record) {
      write(`${count++ === 0 ? "\n" : ",\n"}${JSON.stringify(publicRecord(record))}`);
    },
    end(summary, problems) {
      write(`\n],\n"summary": ${JSON.stringify(summary)},\n"problems": ${JSON.stringify(problems)}\n}\n`);
    },
  };
}
