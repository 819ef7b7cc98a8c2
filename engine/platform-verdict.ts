// The verdict on an item of a type that AWS or the platform creates in every account
// (policies/platform-resources.json), which engine/evaluate.ts's allowed-service branch hands over.

import { truncate } from "./annotation.ts";
import { isRequired } from "./cia.ts";
import { ALLOWED_SERVICE_CONTROL, type EvaluateOptions, finishRecord } from "./evaluate.ts";
import type { PlatformEntry } from "./platform-resources.ts";
import type { ConfigurationItem, EvaluationRecord, Finding } from "./types.ts";
import { findWaiver } from "./waiver-match.ts";

/**
 * `platform-managed` passes the allowed-service control, saying who manages the resource:
 * COMPLIANT, as a type of a catalogue service passes that control (the resource was looked at and
 * is allowed; NOT_APPLICABLE, which deleted and out-of-scope items get, would not say so).
 * `finding` fails the entry's own finding, with its severity and CIA levels, instead of the
 * critical allowed-service control; a waiver may name its id.
 */
export function platformRecord(
  item: ConfigurationItem,
  entry: PlatformEntry,
  options: EvaluateOptions,
): EvaluationRecord {
  const { rating, now } = options;
  const control = entry.finding;
  if (!control) {
    const message = `${item.resourceType} is platform-managed: ${entry.managedBy}`;
    const passed = finding(ALLOWED_SERVICE_CONTROL, true, "PASS", message);
    const out = finishRecord(item, rating, [passed]);
    out.annotation = truncate(`${message}.`);
    return out;
  }
  const required = isRequired(control.cia, rating);
  const failed = finding(control, required, "FAIL", control.message);
  const waiver = options.waivers?.length ? findWaiver(options.waivers, control.id, item, now) : undefined;
  if (!waiver) return finishRecord(item, rating, [failed]);
  const waived = finding(
    control,
    required,
    "WAIVED",
    `waived until ${waiver.expires} by ${waiver.approver}: ${waiver.reason} (finding: ${control.message})`,
  );
  waived.waiver = { reason: waiver.reason, approver: waiver.approver, expires: waiver.expires };
  return finishRecord(item, rating, [waived]);
}

function finding(
  control: Pick<Finding, "title" | "severity" | "cia"> & { id: string },
  required: boolean,
  status: Finding["status"],
  message: string,
): Finding {
  return {
    controlId: control.id,
    title: control.title,
    severity: control.severity,
    cia: control.cia,
    required,
    status,
    message,
  };
}
