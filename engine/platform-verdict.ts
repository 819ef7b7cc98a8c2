// The verdict on an item of a type that AWS or the platform creates in every account
// (policies/platform-resources.json), which engine/evaluate.ts's allowed-service branch hands over.

import { truncate } from "./annotation.ts";
import { isRequired } from "./cia.ts";
import { ALLOWED_SERVICE_CONTROL, type EvaluateOptions, finishRecord } from "./evaluate.ts";
import { makeFinding, waivedFinding } from "./finding.ts";
import type { PlatformEntry } from "./platform-resources.ts";
import type { ConfigurationItem, EvaluationRecord } from "./types.ts";
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
    const passed = makeFinding(ALLOWED_SERVICE_CONTROL, true, "PASS", message);
    const out = finishRecord(item, rating, [passed]);
    out.annotation = truncate(`${message}.`);
    return out;
  }
  const required = isRequired(control.cia, rating);
  const waiver = options.waivers?.length ? findWaiver(options.waivers, control.id, item, now) : undefined;
  const finding = waiver
    ? waivedFinding(control, required, waiver, control.message)
    : makeFinding(control, required, "FAIL", control.message);
  return finishRecord(item, rating, [finding]);
}
