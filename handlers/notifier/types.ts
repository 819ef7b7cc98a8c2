// The notifier's own types: a compliance result read from an event, what the ledger records for
// one finding, and the recipients of a notification.

import type { Severity } from "../../engine/types.ts";

/** What AWS Config reports in a compliance change (INSUFFICIENT_DATA is dropped at parse time). */
export type ResultCompliance = "COMPLIANT" | "NON_COMPLIANT" | "NOT_APPLICABLE";

/** A finding's severity: from the annotation or the catalogue; `unknown` for rules outside it. */
export type FindingSeverity = Severity | "unknown";

/** Who is told: the owner topic (filtered by accountId) or the platform/CISO topic. */
export type Target = "owner" | "ciso";

/** One "Config Rules Compliance Change", reduced to what the notifier uses. */
export interface ComplianceResult {
  accountId: string;
  region: string;
  ruleName: string;
  ruleArn?: string;
  resourceType: string;
  resourceId: string;
  compliance: ResultCompliance;
  /** ISO 8601: Config's ordering timestamp of the evaluation (the item's capture time). */
  orderingTimestamp: string;
  /** ISO 8601: when Config recorded the result; breaks ties between equal ordering timestamps. */
  resultRecordedTime: string;
  annotation?: string;
  /** The result this one replaces (`oldEvaluationResult`), absent the first time. */
  previous?: PreviousResult;
}

/** What `oldEvaluationResult` says: any compliance type Config wrote, INSUFFICIENT_DATA included. */
export interface PreviousResult {
  compliance: string;
  annotation?: string;
  orderingTimestamp?: string;
}

/** Why a finding goes where it goes, for the message and the logs. */
export type CisoReason = "production account" | "unclassified account" | "critical finding" | "no owner tag";

/** The finding as judged against the account's own rating. */
export interface Assessment {
  /** The account's rating requires at least one failing control (else: recorded, not sent). */
  required: boolean;
  severity: FindingSeverity;
  /** Failing control ids, most severe first (from the annotation). */
  controlIds: string[];
  /** Targets owed a finding message when the result is NON_COMPLIANT and required. */
  targets: Target[];
  cisoReasons: CisoReason[];
}

/** One item of the findings ledger: the newest applied result of one (account, region, rule, resource). */
export interface LedgerItem {
  pk: string;
  /** Incremented on every write: every write is conditional on the revision it read. */
  rev: number;
  accountId: string;
  region: string;
  ruleName: string;
  ruleArn?: string;
  resourceType: string;
  resourceId: string;
  state: ResultCompliance;
  /** Whether the (last) NON_COMPLIANT result was required by the account's rating. */
  required: boolean;
  severity: FindingSeverity;
  controlIds: string[];
  cisoReasons: CisoReason[];
  annotation?: string;
  /** The account's rating when the newest result was applied, e.g. C2I2A1. */
  rating: string;
  unclassified: boolean;
  environment?: string;
  /** `<orderingTimestamp>|<resultRecordedTime>`, both ISO: newer results sort higher. */
  seq: string;
  orderingTimestamp: string;
  firstSeenAt: string;
  lastSeenAt: string;
  /** When the current (or last) open episode began. */
  openedAt?: string;
  /** When the last open episode ended; absent while open. */
  resolvedAt?: string;
  lastNotifiedAt?: string;
  /** Targets that were told the finding is open and not yet told it is resolved. */
  told: Target[];
  /**
   * The open episode began while the notifier was quiet (rollout mode): nobody is sent a message
   * for it while it stays open; the digest lists it. Cleared when it closes.
   */
  backlog?: boolean;
  /** Messages the ledger still owes for the current state (sent, then removed one by one). */
  pending: Target[];
  pendingKind?: "finding" | "resolved";
  /** The invocation currently publishing this item's pending messages, and until when (epoch ms). */
  claimId?: string;
  claimUntil?: number;
  /** Epoch seconds: DynamoDB deletes a closed finding this long after it was resolved. */
  expiresAt?: number;
}
