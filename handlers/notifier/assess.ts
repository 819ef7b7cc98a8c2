// Judges a NON_COMPLIANT result against the account's own rating and decides who is told.
// A Config rule in a member account evaluates against the highest rating (it cannot read AWS
// Organizations); here each failing control is checked against the account's rating instead.

import { parseAnnotation } from "../../engine/annotation.ts";
import { isRequired } from "../../engine/cia.ts";
import { bySeverity, mostSevere } from "../../engine/severity.ts";
import type { AccountContext, Severity } from "../../engine/types.ts";
import type { ControlLookup } from "./controls.ts";
import type { Assessment, CisoReason, ComplianceResult, FindingSeverity, Target } from "./types.ts";

/** The most severe of the list; `unknown` when it is empty. */
export function highest(severities: readonly FindingSeverity[]): FindingSeverity {
  return mostSevere(severities, "unknown");
}

/**
 * Which failing controls the account requires, the finding's severity, and the targets.
 * Fails safe: a control the catalogue does not know and a result without any readable failure
 * (a rule outside this engine) count as required. Failures the annotation had no room for
 * ("and N more") count as required unless no other control of the resource type could be.
 */
export function assess(result: ComplianceResult, account: AccountContext, lookup: ControlLookup): Assessment {
  const parsed = parseAnnotation(result.annotation);
  const listed = parsed.failures.map((f) => {
    const control = lookup.control(f.controlId);
    const severity: Severity = control?.severity ?? f.severity;
    return { id: f.controlId, severity, required: control ? isRequired(control.cia, account.rating) : true };
  });
  const requiredOnes = listed.filter((f) => f.required);
  const required =
    requiredOnes.length > 0 ||
    listed.length === 0 ||
    (parsed.more > 0 && unlistedMayBeRequired(result, listed, account, lookup));
  const shown = requiredOnes.length > 0 ? requiredOnes : listed;
  const severity = highest(shown.map((f) => f.severity));
  const controlIds = [...shown].sort(bySeverity).map((f) => f.id);
  const cisoReasons = cisoReasonsFor(account, severity);
  const targets: Target[] = required ? ["owner", ...(cisoReasons.length > 0 ? (["ciso"] as const) : [])] : [];
  return { required, severity, controlIds, targets, cisoReasons };
}

/** Whether a failure the annotation left out could be one the account's rating requires. */
function unlistedMayBeRequired(
  result: ComplianceResult,
  listed: readonly { id: string }[],
  account: AccountContext,
  lookup: ControlLookup,
): boolean {
  const candidates = lookup.forResourceType(result.resourceType);
  if (!candidates) return true;
  return candidates.some((c) => !listed.some((l) => l.id === c.id) && isRequired(c.cia, account.rating));
}

/** Why the CISO topic gets a finding: production, unclassified, critical, or nobody owns the account. */
export function cisoReasonsFor(account: AccountContext, severity: FindingSeverity): CisoReason[] {
  const reasons: CisoReason[] = [];
  if ((account.environment ?? "").toLowerCase() === "production") reasons.push("production account");
  if (account.unclassified) reasons.push("unclassified account");
  if (severity === "critical") reasons.push("critical finding");
  if (!account.owner) reasons.push("no owner tag");
  return reasons;
}
