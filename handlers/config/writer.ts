// The one way evaluations reach AWS Config from an invocation: `write` sends a batch (at most 100
// a call, FailedEvaluations retried: ./put-evaluations.ts) and keeps the totals. A sweep writes
// page by page; when one page cannot be written the others still go out, and `finish` then
// throws EvaluationsNotWrittenError with the totals, so that Lambda retries the invocation (the
// retry skips what was written, as it is then unchanged).

import type { ConfigServiceClient, Evaluation } from "@aws-sdk/client-config-service";
import type { Compliance } from "../../engine/types.ts";
import { EvaluationsNotWrittenError } from "./errors.ts";
import { isTestMode } from "./event.ts";
import { type PutOptions, putEvaluations } from "./put-evaluations.ts";

export interface WriteTotals {
  /** Evaluations handed to `write`. */
  sent: number;
  written: number;
  calls: number;
  retried: number;
  notWritten: number;
  testMode: boolean;
  byCompliance: Record<Compliance, number>;
}

export interface EvaluationWriter {
  readonly totals: WriteTotals;
  write(evaluations: Evaluation[]): Promise<void>;
  /** Throws EvaluationsNotWrittenError when any batch could not be written. */
  finish(): void;
}

export function createWriter(client: ConfigServiceClient, options: PutOptions): EvaluationWriter {
  const totals: WriteTotals = {
    sent: 0,
    written: 0,
    calls: 0,
    retried: 0,
    notWritten: 0,
    testMode: isTestMode(options.resultToken),
    byCompliance: { COMPLIANT: 0, NON_COMPLIANT: 0, NOT_APPLICABLE: 0 },
  };
  let firstCause: unknown;
  return {
    totals,
    async write(evaluations) {
      if (evaluations.length === 0) return;
      totals.sent += evaluations.length;
      for (const e of evaluations) totals.byCompliance[e.ComplianceType as Compliance]++;
      try {
        const put = await putEvaluations(client, evaluations, options);
        totals.written += put.written;
        totals.calls += put.calls;
        totals.retried += put.retried;
      } catch (error) {
        if (!(error instanceof EvaluationsNotWrittenError)) throw error;
        totals.notWritten += error.notWritten;
        totals.written += error.total - error.notWritten;
        firstCause ??= error.cause;
      }
    },
    finish() {
      if (totals.notWritten > 0) {
        throw new EvaluationsNotWrittenError(totals.notWritten, totals.sent, { cause: firstCause });
      }
    },
  };
}
