// Runs one invocation: compliance change events (single or an SQS batch, where each record fails
// alone through `batchItemFailures`) or a scheduled mode. The caller wires the dependencies.
// With a ledger, events go through it (process-result.ts); without, each is routed on its own
// (stateless.ts), and the modes that read the ledger fail with a one-line ConfigError.

import type { SNSClient } from "@aws-sdk/client-sns";
import { describeError } from "../../engine/errors.ts";
import type { AccountDirectory } from "./account-context.ts";
import { runDigest } from "./digest.ts";
import { ACCOUNT_ID, envelopeMismatch, parseComplianceChange } from "./event.ts";
import { classify, unwrapBody } from "./input.ts";
import { syncOwnerSubscriptions } from "./owner-sync.ts";
import { type NotifierDeps, processResult, type ResultReport } from "./process-result.ts";
import { retryPending } from "./retry-pending.ts";
import { processStateless, type StatelessDeps, type StatelessReport } from "./stateless.ts";

export interface Runtime {
  /** Whether LEDGER_TABLE names a findings ledger. */
  hasLedger: boolean;
  /**
   * The ledger's dependencies, built on first use; throws ConfigError naming `what` (the mode
   * asking) when there is no ledger.
   */
  deps(what?: string): NotifierDeps;
  /** What stateless mode needs (no ledger). */
  stateless(): StatelessDeps;
  sns: SNSClient;
  accounts: AccountDirectory;
  ownerTopicArn: string;
  /** Events dropped since the execution environment started, by reason. */
  dropped: { envelopeAccountMismatch: number };
  log: (level: "info" | "warn" | "error", message: string, details?: Record<string, unknown>) => void;
}

/** Records of a batch processed at the same time. */
export const BATCH_CONCURRENCY = 8;

export interface SqsBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

export type EventReport =
  | ResultReport
  | StatelessReport
  | { outcome: "ignored"; reason: string }
  | { outcome: "dropped"; reason: string };

async function processEvent(event: unknown, runtime: Runtime): Promise<EventReport> {
  const mismatch = envelopeMismatch(event);
  if (mismatch) {
    runtime.dropped.envelopeAccountMismatch++;
    runtime.log("warn", "event dropped: its envelope account differs from detail.awsAccountId", {
      metric: "EnvelopeAccountMismatch",
      envelopeAccount: mismatch.envelope,
      detailAccount: mismatch.detail,
      dropped: runtime.dropped.envelopeAccountMismatch,
    });
    return { outcome: "dropped", reason: "envelope account differs from detail.awsAccountId" };
  }
  const result = parseComplianceChange(event);
  if (!result) return { outcome: "ignored", reason: "INSUFFICIENT_DATA carries no verdict" };
  if (!ACCOUNT_ID.test(result.accountId)) {
    runtime.log("warn", "the event's account id is not 12 digits; it is routed all the same", {
      accountId: result.accountId,
    });
  }
  const report = runtime.hasLedger
    ? await processResult(result, runtime.deps())
    : await processStateless(result, runtime.stateless());
  runtime.log("info", "compliance change processed", { ...report });
  return report;
}

export async function run(event: unknown, runtime: Runtime): Promise<unknown> {
  const invocation = classify(event);
  switch (invocation.kind) {
    case "event":
      return processEvent(invocation.event, runtime);
    case "batch": {
      const failures: { itemIdentifier: string }[] = [];
      const errors: string[] = [];
      const queue = [...invocation.records];
      let unidentified = 0;
      const worker = async () => {
        for (let record = queue.shift(); record; record = queue.shift()) {
          if ("problem" in record) {
            if (record.messageId !== undefined) {
              failures.push({ itemIdentifier: record.messageId });
              errors.push(`${record.messageId}: ${record.problem}`);
            } else {
              // No messageId to name in batchItemFailures (an unknown identifier would fail the
              // whole batch): logged as an error and counted, the others are processed.
              unidentified++;
            }
            runtime.log("error", "malformed record", {
              problem: record.problem,
              ...(record.messageId !== undefined ? { messageId: record.messageId } : {}),
            });
            continue;
          }
          try {
            await processEvent("body" in record ? unwrapBody(record.body) : record.event, runtime);
          } catch (error) {
            runtime.log("error", "record failed", {
              messageId: record.messageId,
              error: describeError(error),
            });
            failures.push({ itemIdentifier: record.messageId });
            errors.push(`${record.messageId}: ${describeError(error)}`);
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(BATCH_CONCURRENCY, queue.length) }, worker));
      // SNS and a plain array take no partial answer: fail the invocation so it is retried.
      if (unidentified > 0) {
        runtime.log("error", "records without a messageId were not processed and cannot be retried alone", {
          count: unidentified,
        });
      }
      if (invocation.source !== "sqs" && errors.length > 0) {
        throw new Error(
          `${errors.length} of ${invocation.records.length} events failed: ${errors.join("; ")}`,
        );
      }
      return { batchItemFailures: failures } satisfies SqsBatchResponse;
    }
    case "sync-owners": {
      const report = await syncOwnerSubscriptions(
        { sns: runtime.sns, accounts: runtime.accounts, ownerTopicArn: runtime.ownerTopicArn },
        { dryRun: invocation.dryRun },
      );
      runtime.log("info", "owner subscriptions reconciled", { ...report });
      return report;
    }
    case "digest": {
      const report = await runDigest(runtime.deps('mode "digest"'), invocation.days);
      runtime.log("info", "digest sent", { ...report });
      return report;
    }
    case "retry-pending": {
      const report = await retryPending(runtime.deps('mode "retry-pending"'));
      runtime.log("info", "owed messages retried", { ...report });
      return report;
    }
  }
}
