// Scheduled mode `{"mode": "retry-pending"}`: sends every message the ledger still owes. A failed
// publish is normally retried by the next delivery of the event; this sweep covers the case where
// every retry of a delivery ran out (for example SNS down for longer than the event's retries).

import type { NotifierDeps } from "./process-result.ts";
import { sendPending } from "./process-result.ts";

export interface RetryPendingReport {
  mode: "retry-pending";
  owed: number;
  sent: number;
  failed: { key: string; error: string }[];
  /** Rollout mode quiet: nothing is sent per finding; the owed messages wait for normal mode. */
  held?: true;
}

export async function retryPending(deps: NotifierDeps): Promise<RetryPendingReport> {
  const report: RetryPendingReport = { mode: "retry-pending", owed: 0, sent: 0, failed: [] };
  const owing = [];
  for await (const item of deps.ledger.scan()) if (item.pending.length > 0) owing.push(item);
  report.owed = owing.length;
  if ((await deps.rollout?.())?.mode === "quiet") return { ...report, held: true };
  for (const item of owing) {
    try {
      const fresh = await deps.ledger.get(item.pk);
      if (!fresh) continue;
      report.sent += (await sendPending(fresh, deps)).sent.length;
    } catch (error) {
      report.failed.push({ key: item.pk, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return report;
}
