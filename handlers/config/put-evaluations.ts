// Writes evaluations to AWS Config: PutEvaluations takes at most 100 a call, each annotation 1..256
// characters; `TestMode` for the TESTMODE token; evaluations Config returns as FailedEvaluations
// are sent again (with backoff) a few times. Throttling and 5xx are retried inside the SDK client
// (./clients.ts). Whatever still cannot be written makes this throw EvaluationsNotWrittenError,
// so the invocation fails and Lambda retries it: nothing is silently dropped.

import {
  type ConfigServiceClient,
  type Evaluation,
  PutEvaluationsCommand,
} from "@aws-sdk/client-config-service";
import { MAX_ANNOTATION, truncate } from "../../engine/annotation.ts";
import type { EvaluationRecord } from "../../engine/types.ts";
import { EvaluationsNotWrittenError } from "./errors.ts";
import { isTestMode } from "./event.ts";

export const MAX_EVALUATIONS_PER_CALL = 100;
export const MAX_RESOURCE_ID = 768;

const DEFAULT_ANNOTATION: Record<EvaluationRecord["compliance"], string> = {
  COMPLIANT: "Compliant.",
  NON_COMPLIANT: "Non-compliant.",
  NOT_APPLICABLE: "Not applicable.",
};

/** 1..256 characters, never splitting a surrogate pair. */
export function configAnnotation(text: string, compliance: EvaluationRecord["compliance"]): string {
  return truncate(text.trim() || DEFAULT_ANNOTATION[compliance], MAX_ANNOTATION);
}

/** The evaluation Config stores for one record. */
export function toEvaluation(record: EvaluationRecord, orderingTimestamp: Date): Evaluation {
  return {
    ComplianceResourceType: record.resourceType,
    ComplianceResourceId: record.resourceId,
    ComplianceType: record.compliance,
    Annotation: configAnnotation(record.annotation, record.compliance),
    OrderingTimestamp: orderingTimestamp,
  };
}

export interface PutOptions {
  resultToken: string;
  /** Rounds of re-sending FailedEvaluations. Default 4. */
  maxRetryRounds?: number;
  /** Waits between rounds; tests pass a fake. */
  sleep?: (ms: number) => Promise<void>;
}

export interface PutResult {
  written: number;
  calls: number;
  /** Evaluations sent again after Config returned them as FailedEvaluations. */
  retried: number;
  testMode: boolean;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const keyOf = (e: Evaluation) => `${e.ComplianceResourceType}\u0000${e.ComplianceResourceId}`;

function* chunks<T>(items: T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/** Sends every evaluation; throws EvaluationsNotWrittenError when some could not be written. */
export async function putEvaluations(
  client: ConfigServiceClient,
  evaluations: Evaluation[],
  options: PutOptions,
): Promise<PutResult> {
  const testMode = isTestMode(options.resultToken);
  const maxRounds = options.maxRetryRounds ?? 4;
  const sleep = options.sleep ?? realSleep;
  const result: PutResult = { written: 0, calls: 0, retried: 0, testMode };
  const unwritten: Evaluation[] = [];
  let lastError: unknown;
  let pending = evaluations;

  for (let round = 0; pending.length > 0; round++) {
    if (round > maxRounds) {
      unwritten.push(...pending);
      break;
    }
    if (round > 0) {
      result.retried += pending.length;
      await sleep(Math.random() * 100 * 2 ** round);
    }
    const failedAgain: Evaluation[] = [];
    for (const chunk of chunks(pending, MAX_EVALUATIONS_PER_CALL)) {
      result.calls++;
      try {
        const out = await client.send(
          new PutEvaluationsCommand({
            Evaluations: chunk,
            ResultToken: options.resultToken,
            ...(testMode ? { TestMode: true } : {}),
          }),
        );
        const failed = out.FailedEvaluations ?? [];
        const byKey = new Map(chunk.map((e) => [keyOf(e), e]));
        for (const f of failed) failedAgain.push(byKey.get(keyOf(f)) ?? f);
        result.written += chunk.length - failed.length;
      } catch (error) {
        // The SDK has already retried throttling and 5xx; the rest of the chunks still go out.
        lastError = error;
        unwritten.push(...chunk);
      }
    }
    pending = failedAgain;
    if (pending.length > 0 && lastError === undefined) {
      lastError = new Error(`AWS Config returned ${pending.length} FailedEvaluations`);
    }
  }
  if (unwritten.length > 0) {
    throw new EvaluationsNotWrittenError(unwritten.length, evaluations.length, { cause: lastError });
  }
  return result;
}
