// The platform-resources list (policies/platform-resources.json) against the SCP settings: what
// the list calls platform-managed must be manageable, and a finding's remediation must be one a
// role may carry out. EC2 is denied to everyone but the platform, break-glass and landing-zone
// roles (the default VPC's parts are theirs to manage); any other prefix must be on the allow-list.

import type { Catalogue } from "../engine/catalogue.ts";
import { allowedPrefixes } from "./scp.ts";
import type { ScpSettings } from "./scp-settings.ts";

/** The prefix the SCP leaves to the exempt roles only (its own statement, not the allow-list). */
const EXEMPT_ONLY_PREFIX = "ec2";

/** One line per contradiction between the list and the settings; empty when they agree. */
export function platformScpConflicts(catalogue: Catalogue, settings: ScpSettings): string[] {
  const platform = catalogue.platform;
  if (!platform) return [];
  const allowed = new Set(allowedPrefixes(catalogue, settings));
  const out: string[] = [];
  for (const entry of platform.entries) {
    const prefixes = entry.finding ? entry.finding.actions.map((a) => a.split(":")[0]!) : [entry.iamPrefix];
    for (const prefix of new Set(prefixes)) {
      if (prefix === EXEMPT_ONLY_PREFIX) {
        if (entry.finding && settings.breakGlassRoles.length === 0) {
          out.push(
            `${platform.file}: the remediation of ${entry.finding.id} (${entry.resourceType}) names the break-glass role, but scp.json sets no breakGlassRoles: only the platform and landing-zone roles may use ${prefix}`,
          );
        }
      } else if (!allowed.has(prefix)) {
        out.push(
          entry.finding
            ? `${platform.file}: the remediation of ${entry.finding.id} (${entry.resourceType}) needs ${prefix}, which the SCP denies to every role: add "${prefix}" to securityServicePrefixes in scp.json`
            : `${platform.file}: ${entry.resourceType} is platform-managed, but the SCP denies ${prefix} to every role: add "${prefix}" to securityServicePrefixes in scp.json`,
        );
      }
    }
  }
  return out;
}
