// Runs one invocation: compliance change events (single or an SQS batch, where each record fails
// alone through `batchItemFailures`) or a scheduled mode. The caller wires the dependencies.

import type { SNSClient } from "@aws-sdk/client-sns";
import { describeError } from "../../engine/errors.ts";
import type { AccountDirectory } from "./account-context.ts";
import { runDigest } from "./digest.ts";
import { parseComplianceChange } from "./event.ts";
import { classify, unwrapBody } from "./input.ts";
import { syncOwnerSubscriptions } from "./owner-sync.ts";
import { type NotifierDeps, processResult, type ResultReport } from "./process-result.ts";
import { retryPending } from "./retry-pending.ts";

export interface Runtime {
  /** Built on first use: the ledger is needed by every mode but owner sync. */
  deps(): NotifierDeps;
  sns: SNSClient;
  accounts: AccountDirectory;
  ownerTopicArn: string;
  log: (level: "info" | "warn" | "error", message: string, details?: Record<string, unknown>) => void;
}

/** Records of a batch processed at the same time. */
export const BATCH_CONCURRENCY = 8;

export interface SqsBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

export type EventReport = ResultReport | { outcome: "ignored"; reason: string };

async function processEvent(event: unknown, runtime: Runtime): Promise<EventReport> {
  const result = parseComplianceChange(event);
  if (!result) return { outcome: "ignored", reason: "INSUFFICIENT_DATA carries no verdict" };
  const report = await processResult(result, runtime.deps());
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
      const queue = [...invocation.records];
      const worker = async () => {
        for (let record = queue.shift(); record; record = queue.shift()) {
          try {
            await processEvent(unwrapBody(record.body), runtime);
          } catch (error) {
            runtime.log("error", "record failed", {
              messageId: record.messageId,
              error: describeError(error),
            });
            failures.push({ itemIdentifier: record.messageId });
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(BATCH_CONCURRENCY, queue.length) }, worker));
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
      const report = await runDigest(runtime.deps(), invocation.days);
      runtime.log("info", "digest sent", { ...report });
      return report;
    }
    case "retry-pending": {
      const report = await retryPending(runtime.deps());
      runtime.log("info", "owed messages retried", { ...report });
      return report;
    }
  }
}
