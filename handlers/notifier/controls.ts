// What the notifier needs to know about a control: its severity and CIA levels (to route) and its
// title, rationale and remediation (to explain). Looked up by id in the embedded catalogue's texts
// (handlers/shared/controls.ts: no validator is loaded).

import type { ControlTexts } from "../../engine/catalogue-model.ts";
import { ALLOWED_SERVICE_CONTROL } from "../../engine/evaluate.ts";
import { platformFindings } from "../../engine/platform-resources.ts";
import type { CiaRequirement, Severity } from "../../engine/types.ts";

export interface ControlInfo {
  id: string;
  resourceType: string;
  title: string;
  severity: Severity;
  cia: CiaRequirement;
  rationale: string;
  remediation: { console: string; cloudformation: string };
}

export interface ControlLookup {
  control(controlId: string): ControlInfo | undefined;
  /** Every control that runs on a resource type; undefined when the catalogue does not cover it. */
  forResourceType(resourceType: string): ControlInfo[] | undefined;
}

/** Every control of the catalogue, plus the engine's built-in allowed-service control. */
export function controlLookup(catalogue: ControlTexts): ControlLookup {
  const byId = new Map<string, ControlInfo>();
  const byType = new Map<string, ControlInfo[]>();
  byId.set(ALLOWED_SERVICE_CONTROL.id, { ...info(ALLOWED_SERVICE_CONTROL), resourceType: "*" });
  // The findings of policies/platform-resources.json (the default VPC...): severity, CIA, remediation.
  for (const f of platformFindings(catalogue.platform))
    byId.set(f.id, { ...info(f), resourceType: f.resourceType });
  for (const c of catalogue.controls) {
    const entry = { ...info(c), resourceType: c.resourceType };
    byId.set(c.id, entry);
    byType.set(c.resourceType, [...(byType.get(c.resourceType) ?? []), entry]);
  }
  return { control: (id) => byId.get(id), forResourceType: (type) => byType.get(type) };
}

function info(c: Omit<ControlInfo, "resourceType">): Omit<ControlInfo, "resourceType"> {
  return {
    id: c.id,
    title: c.title,
    severity: c.severity,
    cia: c.cia,
    rationale: c.rationale,
    remediation: c.remediation,
  };
}
