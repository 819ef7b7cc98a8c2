// `compliance synth`: the three templates (and a readable copy of the SCPs) from the catalogue.
// Deterministic: the same catalogue and settings give the same bytes (a test pins cloudformation/).

import type { Catalogue } from "../engine/catalogue.ts";
import { centralTemplate } from "./central-template.ts";
import { minifyTemplate, renderTemplate, type Template } from "./cfn.ts";
import { managementTemplate } from "./management-template.ts";
import { memberTemplate } from "./member-template.ts";
import { buildServiceControlPolicies, type ScpResult } from "./scp.ts";
import type { ScpSettings } from "./scp-settings.ts";

export interface Synthesised {
  templates: { management: Template; member: Template; central: Template };
  scp: ScpResult;
  /** File name (in the output directory) -> contents. */
  files: Record<string, string>;
}

/** The readable form of the SCPs written beside the templates, so a pull request shows their diff. */
export function renderScps(scp: ScpResult): string {
  const policies = scp.policies.map((p) => ({
    name: p.name,
    description: p.description,
    characters: p.size,
    document: p.document,
  }));
  return `${JSON.stringify({ allowedPrefixes: scp.allowedPrefixes, policies }, null, 2)}\n`;
}

export function synthesise(catalogue: Catalogue, settings: ScpSettings): Synthesised {
  const scp = buildServiceControlPolicies(catalogue, settings);
  const member = memberTemplate(catalogue);
  const central = centralTemplate();
  const management = managementTemplate(minifyTemplate(member), scp.policies);
  return {
    templates: { management, member, central },
    scp,
    files: {
      "central.json": renderTemplate(central),
      "management.json": renderTemplate(management),
      "member.json": renderTemplate(member),
      "service-control-policies.json": renderScps(scp),
    },
  };
}
