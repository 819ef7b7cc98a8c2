// Stateless mode (no LEDGER_TABLE): each "Config Rules Compliance Change" is routed on its own.
// AWS Config emits the event when a result changes, so the event itself says what happened:
//   new NON_COMPLIANT                                   -> the finding, to its targets (assess.ts);
//   new COMPLIANT / NOT_APPLICABLE, old NON_COMPLIANT   -> "resolved", to whoever the old result
//                                                          would have gone to;
//   anything else (first result compliant, ...)         -> nothing.
// The account's own rating still decides whether a finding is sent at all. Without a ledger,
// a duplicate or re-delivered event is sent again, and a stale one is not recognised.

import { formatRating } from "../../engine/cia.ts";
import { type AccountDirectory, type AccountInfo, accountForRouting } from "./account-context.ts";
import { assess } from "./assess.ts";
import type { ControlLookup } from "./controls.ts";
import { PublishError } from "./errors.ts";
import { ledgerKey, resultSeq } from "./event.ts";
import type { Publisher } from "./publisher.ts";
import { type Message, renderFinding, renderResolved } from "./render.ts";
import type { Assessment, ComplianceResult, LedgerItem, ResultCompliance, Target } from "./types.ts";

export interface StatelessDeps {
  accounts: AccountDirectory;
  publisher: Publisher;
  controls: ControlLookup;
  topics: Record<Target, string>;
  log?: (level: "info" | "warn", message: string, details?: Record<string, unknown>) => void;
}

export type StatelessOutcome =
  /** Sent to every target. */
  | "notified"
  /** NON_COMPLIANT, but the account's rating requires none of the failing controls. */
  | "not-required"
  /** A result that closes nothing this notifier would have announced. */
  | "nothing-to-send";

export interface StatelessReport {
  mode: "stateless";
  key: string;
  outcome: StatelessOutcome;
  state: ResultCompliance;
  /** The compliance type of `oldEvaluationResult`; null the first time. */
  previous: string | null;
  sent: { target: Target; kind: "finding" | "resolved"; messageId: string }[];
}

export async function processStateless(
  result: ComplianceResult,
  deps: StatelessDeps,
): Promise<StatelessReport> {
  const report: StatelessReport = {
    mode: "stateless",
    key: ledgerKey(result),
    outcome: "nothing-to-send",
    state: result.compliance,
    previous: result.previous?.compliance ?? null,
    sent: [],
  };
  if (result.compliance !== "NON_COMPLIANT" && result.previous?.compliance !== "NON_COMPLIANT") {
    return report;
  }
  const account = await accountForRouting(deps.accounts, result.accountId, deps.log);
  if (result.compliance === "NON_COMPLIANT") {
    const assessment = assess(result, account, deps.controls);
    if (!assessment.required) return { ...report, outcome: "not-required" };
    const item = noticeItem(result, assessment, account);
    if (result.previous?.compliance !== "NON_COMPLIANT") item.openedAt = result.orderingTimestamp;
    const message = renderFinding(item, account, deps.controls);
    return {
      ...report,
      outcome: "notified",
      sent: await publishAll(assessment.targets, "finding", message, deps),
    };
  }
  // Closed after NON_COMPLIANT: judge the old result as the finding it was when it opened.
  const previous = result.previous!;
  const old: ComplianceResult = {
    ...result,
    compliance: "NON_COMPLIANT",
    orderingTimestamp: previous.orderingTimestamp ?? result.orderingTimestamp,
  };
  if (previous.annotation) old.annotation = previous.annotation;
  else delete old.annotation;
  const assessment = assess(old, account, deps.controls);
  if (!assessment.required) return { ...report, outcome: "not-required" };
  const item = noticeItem(result, assessment, account);
  item.resolvedAt = result.orderingTimestamp;
  const message = renderResolved(item, account, deps.controls, previous.orderingTimestamp);
  return {
    ...report,
    outcome: "notified",
    sent: await publishAll(assessment.targets, "resolved", message, deps),
  };
}

/** The finding in the shape the renderer reads (the ledger's item), from this event alone. */
function noticeItem(result: ComplianceResult, assessment: Assessment, account: AccountInfo): LedgerItem {
  const item: LedgerItem = {
    pk: ledgerKey(result),
    rev: 0,
    accountId: result.accountId,
    region: result.region,
    ruleName: result.ruleName,
    resourceType: result.resourceType,
    resourceId: result.resourceId,
    state: result.compliance,
    required: assessment.required,
    severity: assessment.severity,
    controlIds: assessment.controlIds,
    cisoReasons: assessment.cisoReasons,
    rating: formatRating(account.rating),
    unclassified: account.unclassified,
    seq: resultSeq(result),
    orderingTimestamp: result.orderingTimestamp,
    firstSeenAt: result.orderingTimestamp,
    lastSeenAt: result.orderingTimestamp,
    told: [],
    pending: [],
  };
  if (result.ruleArn) item.ruleArn = result.ruleArn;
  if (result.annotation) item.annotation = result.annotation;
  if (account.environment) item.environment = account.environment;
  return item;
}

/**
 * Publishes to every target, each independently: a topic that refuses does not keep the message
 * from the other. Throws PublishError when any refused, so the delivery is retried (and the
 * targets that did get it get it again: nothing records that they did).
 */
async function publishAll(
  targets: readonly Target[],
  kind: "finding" | "resolved",
  message: Message,
  deps: StatelessDeps,
): Promise<StatelessReport["sent"]> {
  const outcomes = await Promise.allSettled(
    targets.map((target) => deps.publisher.publish(deps.topics[target], message)),
  );
  const sent: StatelessReport["sent"] = [];
  const failed: unknown[] = [];
  outcomes.forEach((outcome, i) => {
    if (outcome.status === "fulfilled") sent.push({ target: targets[i]!, kind, messageId: outcome.value });
    else failed.push(outcome.reason);
  });
  if (failed.length === 0) return sent;
  if (sent.length > 0) {
    deps.log?.("warn", "some topics accepted the message before another refused it; a retry sends it again", {
      sent,
    });
  }
  const first = failed[0];
  if (failed.length === 1 && first instanceof PublishError) throw first;
  const reasons = failed.map((e) => (e instanceof Error ? e.message : String(e)));
  throw new PublishError(reasons.join("; "), first instanceof PublishError ? first.topicArn : "", {
    cause: first,
  });
}
