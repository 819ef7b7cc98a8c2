// Every finding is built here, with its keys in one order, so that all share one object shape
// (spreading a base object and adding keys gives each a shape of its own): the catalogue's
// controls, the built-in allowed-service control and the platform list's findings alike.

import type { Finding } from "./types.ts";
import type { Waiver } from "./waiver-match.ts";

/** What a finding takes from its control. */
export interface FindingSource {
  id: string;
  title: string;
  severity: Finding["severity"];
  cia: Finding["cia"];
}

export function makeFinding(
  control: FindingSource,
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

/** A failure a waiver covers: WAIVED, saying by whom and until when, and what the failure was. */
export function waivedFinding(
  control: FindingSource,
  required: boolean,
  waiver: Waiver,
  failure: string,
): Finding {
  const waived = makeFinding(
    control,
    required,
    "WAIVED",
    `waived until ${waiver.expires} by ${waiver.approver}: ${waiver.reason} (finding: ${failure})`,
  );
  waived.waiver = { reason: waiver.reason, approver: waiver.approver, expires: waiver.expires };
  return waived;
}
