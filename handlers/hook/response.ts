// The answer a CloudFormation Lambda hook gives, as AWS documents it (same page as request.ts):
//   { hookStatus: SUCCESS | FAILED | IN_PROGRESS, errorCode: NonCompliant | InternalFailure,
//     message (truncated by CloudFormation to 4,096 characters), clientRequestToken,
//     annotations: [{ annotationName, status: PASSED | FAILED | SKIPPED, statusMessage,
//                     remediationMessage, severityLevel: INFORMATIONAL | LOW | MEDIUM | HIGH | CRITICAL }] }
// A resource is blocked only by required controls that fail; UNKNOWN never blocks.

import { truncate } from "../../engine/annotation.ts";
import type { Catalogue } from "../../engine/catalogue.ts";
import { formatRating } from "../../engine/cia.ts";
import { ALLOWED_SERVICE_CONTROL } from "../../engine/evaluate.ts";
import type { EvaluationRecord, Finding, Severity } from "../../engine/types.ts";

export const MAX_MESSAGE = 4096;

export interface HookAnnotation {
  annotationName: string;
  status: "PASSED" | "FAILED" | "SKIPPED";
  statusMessage: string;
  remediationMessage?: string;
  severityLevel: "INFORMATIONAL" | "LOW" | "MEDIUM" | "HIGH" | "CRITICAL";
}

export interface HookResponse {
  hookStatus: "SUCCESS" | "FAILED";
  errorCode?: "NonCompliant" | "InternalFailure";
  message: string;
  clientRequestToken?: string;
  annotations?: HookAnnotation[];
}

const SEVERITY: Record<Severity, HookAnnotation["severityLevel"]> = {
  low: "LOW",
  medium: "MEDIUM",
  high: "HIGH",
  critical: "CRITICAL",
};
const RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };

/** At most `max` characters, ending in an ellipsis when cut, never splitting a surrogate pair. */
const clip = (text: string, max: number) => truncate(text, max);

function annotation(f: Finding, remediation: string | undefined, rating: string): HookAnnotation {
  const blocking = f.status === "FAIL" && f.required;
  const status = f.status === "PASS" || f.status === "WAIVED" ? "PASSED" : blocking ? "FAILED" : "SKIPPED";
  const why =
    f.status === "FAIL" && !f.required
      ? `not required at ${rating}: ${f.message}`
      : f.status === "UNKNOWN"
        ? `unknown: ${f.message}`
        : f.message;
  const out: HookAnnotation = {
    annotationName: f.controlId,
    status,
    statusMessage: clip(why, 1024),
    severityLevel: f.status === "PASS" || f.status === "SKIP" ? "INFORMATIONAL" : SEVERITY[f.severity],
  };
  if (blocking && remediation) out.remediationMessage = clip(remediation, 1024);
  return out;
}

/** The hook's answer for one evaluated resource. */
export function respond(
  record: EvaluationRecord,
  catalogue: Catalogue,
  token: string | undefined,
): HookResponse {
  const rating = formatRating(record.required);
  const controls = new Map(catalogue.controls.map((c) => [c.id, c]));
  const remediationOf = (id: string) =>
    controls.get(id)?.remediation.cloudformation ??
    (id === ALLOWED_SERVICE_CONTROL.id ? ALLOWED_SERVICE_CONTROL.remediation.cloudformation : undefined);
  const base = { ...(token === undefined ? {} : { clientRequestToken: token }) };
  const annotations = record.findings.map((f) => annotation(f, remediationOf(f.controlId), rating));
  const unknown = record.findings.filter((f) => f.status === "UNKNOWN" && f.required).map((f) => f.controlId);
  const unknownNote = unknown.length ? ` Not decided from the template alone: ${unknown.join(", ")}.` : "";
  const what = `${record.resourceType} ${record.resourceId}`;
  if (record.compliance !== "NON_COMPLIANT") {
    const verdict = record.compliance === "NOT_APPLICABLE" ? "no control applies" : "compliant";
    return {
      hookStatus: "SUCCESS",
      message: clip(`${what}: ${verdict} at ${rating}.${unknownNote}`, MAX_MESSAGE),
      ...base,
      annotations,
    };
  }
  const failing = record.findings
    .filter((f) => f.status === "FAIL" && f.required)
    .sort((a, b) => RANK[a.severity] - RANK[b.severity]);
  const head = `${what} is NON_COMPLIANT at ${rating}: ${failing.length} required control(s) fail.`;
  // As many failures as fit, most severe first, each with its CloudFormation remediation.
  let message = head;
  let shown = 0;
  for (const f of failing) {
    // The sentence ends here: a remediation's own full stop is not doubled.
    const fix = remediationOf(f.controlId)?.replace(/\.$/, "");
    const part = ` [${f.severity.toUpperCase()}] ${f.controlId}: ${f.title}${fix ? `. Fix: ${fix}` : ""}.`;
    const rest = failing.length - shown - 1;
    const tail = rest > 0 ? ` And ${rest} more.` : "";
    if ((message + part + tail + unknownNote).length > MAX_MESSAGE) break;
    message += part;
    shown++;
  }
  if (shown < failing.length) message += ` And ${failing.length - shown} more.`;
  message = clip(message + unknownNote, MAX_MESSAGE);
  return { hookStatus: "FAILED", errorCode: "NonCompliant", message, ...base, annotations };
}

/** A hook that could not judge: FAILED with InternalFailure (the hook's FailureMode decides if it blocks). */
export function internalFailure(message: string, token: string | undefined): HookResponse {
  return {
    hookStatus: "FAILED",
    errorCode: "InternalFailure",
    message: clip(message, MAX_MESSAGE),
    ...(token === undefined ? {} : { clientRequestToken: token }),
  };
}

export function success(message: string, token: string | undefined): HookResponse {
  return {
    hookStatus: "SUCCESS",
    message: clip(message, MAX_MESSAGE),
    ...(token === undefined ? {} : { clientRequestToken: token }),
  };
}
