// `--format json`: one JSON document ({ results, summary, problems }), written record by record so that a snapshot
// larger than memory streams through.
//
// A record is written by hand (recordJson), field by field in the public order, every string
// through JSON.stringify: the same bytes as JSON.stringify(publicRecord(r)) without building the
// intermediate object (a test compares both on every real item). `write` gets many small strings:
// the sink gathers them into large chunks (the CLI's encodes them into a byte buffer as they come).

import type { CiaAchieved, CiaRating, CiaRequirement, EvaluationRecord, Finding } from "../types.ts";
import type { InputProblem, Summary } from "./types.ts";

export interface JsonWriter {
  record(record: EvaluationRecord): void;
  /**
   * Records serialised by `recordJson` and encoded as UTF-8 elsewhere (a worker thread), in order,
   * separated by RECORD_SEPARATOR: written as they are.
   */
  encodedRecords(bytes: Uint8Array): void;
  end(summary: Summary, problems: InputProblem[]): void;
}

/** What separates two records in the report (a thread serialising a run of records puts it between them). */
export const RECORD_SEPARATOR = ",\n";

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

const str = JSON.stringify as (value: string) => string;

/** `{"c":3,"i":3,"a":3}` in the key order of the object (JSON.stringify's order). */
function levels(value: CiaRating | CiaAchieved | CiaRequirement): string {
  let out = "{";
  for (const key in value) {
    const level = (value as Record<string, unknown>)[key];
    if (level === undefined) continue;
    out += `${out.length > 1 ? "," : ""}${str(key)}:${JSON.stringify(level)}`;
  }
  return `${out}}`;
}

/**
 * The parts of a finding's JSON that come from its control (id, severity, title, CIA levels), kept
 * per control: a snapshot writes the same few hundred controls' parts millions of times. An entry
 * is used only for findings with the same title, severity and CIA object as the one it was made
 * from (another catalogue in the same process may reuse an id).
 */
interface ControlParts {
  title: string;
  severity: string;
  cia: CiaRequirement;
  /** `{"controlId":"ID","status":` */
  head: string;
  /** `,"severity":"high","message":` */
  severityPart: string;
  /** `,"title":"...","required":` */
  titlePart: string;
  /** `,"cia":{...}` */
  ciaPart: string;
}

const partsByControl = new Map<string, ControlParts>();
/** More distinct controls than any catalogue has: the map is cleared rather than grown without bound. */
const MAX_CACHED_CONTROLS = 10_000;

function controlParts(f: Finding): ControlParts {
  const cached = partsByControl.get(f.controlId);
  if (
    cached !== undefined &&
    cached.cia === f.cia &&
    cached.title === f.title &&
    cached.severity === f.severity
  )
    return cached;
  const parts: ControlParts = {
    title: f.title,
    severity: f.severity,
    cia: f.cia,
    head: `{"controlId":${str(f.controlId)},"status":`,
    severityPart: `,"severity":${str(f.severity)},"message":`,
    titlePart: `,"title":${str(f.title)},"required":`,
    ciaPart: `,"cia":${levels(f.cia)}`,
  };
  if (partsByControl.size >= MAX_CACHED_CONTROLS) partsByControl.clear();
  partsByControl.set(f.controlId, parts);
  return parts;
}

function findingJson(f: Finding): string {
  const parts = controlParts(f);
  let out = `${parts.head}${str(f.status)}${parts.severityPart}${str(f.message)}${parts.titlePart}${f.required}${parts.ciaPart}`;
  if (f.waiver) out += `,"waiver":${JSON.stringify(f.waiver)}`;
  if (f.location) out += `,"location":${JSON.stringify(f.location)}`;
  return `${out}}`;
}

/** JSON.stringify(publicRecord(r)), written directly. */
export function recordJson(r: EvaluationRecord): string {
  let out = `{"resourceType":${str(r.resourceType)},"resourceId":${str(r.resourceId)}`;
  if (r.resourceName !== undefined) out += `,"resourceName":${str(r.resourceName)}`;
  if (r.arn !== undefined) out += `,"arn":${str(r.arn)}`;
  out += `,"accountId":${str(r.accountId)},"region":${str(r.region)},"compliance":${str(r.compliance)},"annotation":${str(r.annotation)}`;
  out += `,"required":${levels(r.required)},"achieved":${levels(r.achieved)},"capturedAt":${str(r.capturedAt)}`;
  if (r.source) out += `,"source":${str(r.source)}`;
  if (r.location) out += `,"location":${JSON.stringify(r.location)}`;
  out += `,"findings":[`;
  const findings = r.findings;
  for (let i = 0; i < findings.length; i++) out += (i === 0 ? "" : ",") + findingJson(findings[i]!);
  return `${out}]}`;
}

/**
 * The JSON report, written through `write`; `writeBytes` takes encoded records as they are (else
 * they are decoded and written as text).
 */
export function jsonWriter(
  write: (chunk: string) => void,
  writeBytes: (bytes: Uint8Array) => void = (bytes) => write(new TextDecoder().decode(bytes)),
): JsonWriter {
  let count = 0;
  write('{\n"results": [');
  const separator = () => (count++ === 0 ? "\n" : RECORD_SEPARATOR);
  return {
    record(record) {
      write(separator());
      write(recordJson(record));
    },
    encodedRecords(bytes) {
      if (bytes.length === 0) return;
      write(separator());
      writeBytes(bytes);
    },
    end(summary, problems) {
      write(`\n],\n"summary": ${JSON.stringify(summary)},\n"problems": ${JSON.stringify(problems)}\n}\n`);
    },
  };
}
