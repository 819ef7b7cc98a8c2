// The ledger's state machine, pure: the newest result of a finding in, the next ledger item and
// the messages it owes out. Who is owed what follows from who was already told:
//   open and required -> a finding message to each target not yet told it is open;
//   closed (COMPLIANT / NOT_APPLICABLE) -> a "resolved" message to each target told it was open.
// So a finding that opens and closes before anyone was told costs no message, and a resolve that
// is reopened before its message went out is never sent (the recipient still thinks it is open).

import { formatRating } from "../../engine/cia.ts";
import type { AccountContext } from "../../engine/types.ts";
import { ledgerKey, resultSeq } from "./event.ts";
import type { Assessment, ComplianceResult, LedgerItem, Target } from "./types.ts";

/** A closed finding stays in the ledger this long (DynamoDB TTL), well past any redelivery. */
export const CLOSED_RETENTION_DAYS = 400;

/** True when the result is newer than what the ledger holds (duplicates and older results are not). */
export function isNewer(result: ComplianceResult, item: LedgerItem | undefined): boolean {
  return item === undefined || resultSeq(result) > item.seq;
}

export const isOpen = (item: Pick<LedgerItem, "state">): boolean => item.state === "NON_COMPLIANT";

/** True while another invocation holds the item to publish its pending messages. */
export function isClaimed(item: LedgerItem, nowMs: number): boolean {
  return item.claimId !== undefined && (item.claimUntil ?? 0) > nowMs;
}

/**
 * The item after applying a newer result. `assessment` is read only for NON_COMPLIANT results.
 * `quiet` (rollout mode, rollout.ts): the result is recorded but owes no message; an episode that
 * opens quietly stays silent (`backlog`) until it closes, whatever mode later results arrive in.
 */
export function applyResult(
  prev: LedgerItem | undefined,
  result: ComplianceResult,
  assessment: Assessment,
  account: AccountContext,
  quiet = false,
): LedgerItem {
  const told: Target[] = prev?.told ?? [];
  const wasOpen = prev ? isOpen(prev) : false;
  const next: LedgerItem = {
    pk: ledgerKey(result),
    rev: (prev?.rev ?? 0) + 1,
    accountId: result.accountId,
    region: result.region,
    ruleName: result.ruleName,
    resourceType: result.resourceType,
    resourceId: result.resourceId,
    state: result.compliance,
    required: prev?.required ?? false,
    severity: prev?.severity ?? "unknown",
    controlIds: prev?.controlIds ?? [],
    cisoReasons: prev?.cisoReasons ?? [],
    rating: formatRating(account.rating),
    unclassified: account.unclassified,
    seq: resultSeq(result),
    orderingTimestamp: result.orderingTimestamp,
    firstSeenAt: prev?.firstSeenAt ?? result.orderingTimestamp,
    lastSeenAt: result.orderingTimestamp,
    told: [...told],
    pending: [],
  };
  const ruleArn = result.ruleArn ?? prev?.ruleArn;
  if (ruleArn) next.ruleArn = ruleArn;
  if (result.annotation) next.annotation = result.annotation;
  if (account.environment) next.environment = account.environment;
  if (prev?.lastNotifiedAt) next.lastNotifiedAt = prev.lastNotifiedAt;
  if (prev?.openedAt) next.openedAt = prev.openedAt;

  if (result.compliance === "NON_COMPLIANT") {
    next.required = assessment.required;
    next.severity = assessment.severity;
    next.controlIds = assessment.controlIds;
    next.cisoReasons = assessment.cisoReasons;
    if (!wasOpen) next.openedAt = result.orderingTimestamp;
    if (quiet || (wasOpen && prev?.backlog === true)) {
      next.backlog = true;
      return next;
    }
    const owed = assessment.required ? assessment.targets.filter((t) => !told.includes(t)) : [];
    if (owed.length > 0) {
      next.pending = owed;
      next.pendingKind = "finding";
    }
    return next;
  }
  // Closed: the finding's last controls and severity stay, for the resolved message and the digest.
  if (wasOpen) next.resolvedAt = result.orderingTimestamp;
  else if (prev?.resolvedAt) next.resolvedAt = prev.resolvedAt;
  if (next.resolvedAt) {
    next.expiresAt = Math.floor(Date.parse(next.resolvedAt) / 1000) + CLOSED_RETENTION_DAYS * 86_400;
  }
  // Quiet: nobody is told it is resolved (it leaves the digest), so nobody believes it open any more.
  if (quiet) next.told = [];
  else if (told.length > 0) {
    next.pending = [...told];
    next.pendingKind = "resolved";
  }
  return next;
}

/** The item after `target` got its pending message: told it is open, or told it is resolved. */
export function markSent(item: LedgerItem, target: Target, nowIso: string): LedgerItem {
  const next: LedgerItem = {
    ...item,
    rev: item.rev + 1,
    pending: item.pending.filter((t) => t !== target),
    told:
      item.pendingKind === "finding"
        ? [...item.told.filter((t) => t !== target), target]
        : item.told.filter((t) => t !== target),
    lastNotifiedAt: nowIso,
  };
  if (next.pending.length === 0) {
    delete next.pendingKind;
    delete next.claimId;
    delete next.claimUntil;
  }
  return next;
}

export function withClaim(item: LedgerItem, claimId: string, untilMs: number): LedgerItem {
  return { ...item, rev: item.rev + 1, claimId, claimUntil: untilMs };
}

export function withoutClaim(item: LedgerItem): LedgerItem {
  const next = { ...item, rev: item.rev + 1 };
  delete next.claimId;
  delete next.claimUntil;
  return next;
}
