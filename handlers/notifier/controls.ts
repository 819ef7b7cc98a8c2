// What the notifier needs to know about a control: its severity and CIA levels (to route) and its
// title, rationale and remediation (to explain). Looked up by id in the embedded catalogue.

import type { Catalogue } from "../../engine/catalogue.ts";
import { ALLOWED_SERVICE_CONTROL } from "../../engine/evaluate.ts";
import type { CiaRequirement, Severity } from "../../engine/types.ts";

export interface ControlInfo {
  id: string;
  title: string;
  severity: Severity;
  cia: CiaRequirement;
  rationale: string;
  remediation: { console: string; cloudformation: string };
}

export type ControlLookup = (controlId: string) => ControlInfo | undefined;

/** Every control of the catalogue, plus the engine's built-in allowed-service control. */
export function controlLookup(catalogue: Pick<Catalogue, "controls">): ControlLookup {
  const byId = new Map<string, ControlInfo>();
  for (const c of [ALLOWED_SERVICE_CONTROL, ...catalogue.controls]) {
    byId.set(c.id, {
      id: c.id,
      title: c.title,
      severity: c.severity,
      cia: c.cia,
      rationale: c.rationale,
      remediation: c.remediation,
    });
  }
  return (id) => byId.get(id);
}
