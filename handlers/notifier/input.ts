// What the notifier was invoked with: compliance change events (one EventBridge event; an SQS
// batch whose bodies are such events, raw or wrapped in an SNS notification; the records of an
// SNS-triggered invocation; or a plain JSON array of events), or a scheduled mode:
//   {"mode": "sync-owners", "dryRun"?: boolean}
//   {"mode": "digest", "days"?: number}        (default 7)
//   {"mode": "retry-pending"}
// Bad input throws EventError naming the field.

import { EventError } from "./errors.ts";

export const DEFAULT_DIGEST_DAYS = 7;
export const MAX_DIGEST_DAYS = 3_650;

export type Invocation =
  | { kind: "event"; event: unknown }
  | { kind: "batch"; source: BatchSource; records: BatchRecord[] }
  | { kind: "sync-owners"; dryRun: boolean }
  | { kind: "digest"; days: number }
  | { kind: "retry-pending" };

/**
 * Where a batch comes from: SQS answers `batchItemFailures` (each record fails alone); SNS and a
 * plain array have no partial answer, so a failed record fails the invocation after the others ran.
 */
export type BatchSource = "sqs" | "sns" | "array";

/**
 * One record: a JSON text to unwrap (SQS body, SNS message), an event as it is (array), or a
 * record that is not one (`problem`): it fails alone, reported by its messageId when it has one.
 */
export type BatchRecord =
  | { messageId: string; body: string }
  | { messageId: string; event: unknown }
  | { messageId?: string; problem: string };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

export function classify(event: unknown): Invocation {
  if (Array.isArray(event)) {
    return {
      kind: "batch",
      source: "array",
      records: event.map((e, i) => ({ messageId: String(i), event: e })),
    };
  }
  if (!isObject(event)) throw new EventError(`event: expected a JSON object, got ${typeof event}`);
  if (Array.isArray(event.Records)) {
    const sns = event.Records.some((r) => isObject(r) && isObject(r.Sns));
    const records = event.Records.map((r, i): BatchRecord => {
      if (isObject(r) && isObject(r.Sns) && typeof r.Sns.Message === "string") {
        return {
          messageId: typeof r.Sns.MessageId === "string" ? r.Sns.MessageId : String(i),
          body: r.Sns.Message,
        };
      }
      if (
        !isObject(r) ||
        typeof r.messageId !== "string" ||
        r.messageId === "" ||
        typeof r.body !== "string"
      ) {
        // One malformed record must not fail the batch: the others are processed.
        const messageId =
          isObject(r) && typeof r.messageId === "string" && r.messageId ? r.messageId : undefined;
        return {
          ...(messageId ? { messageId } : {}),
          problem: `Records[${i}]: expected an SQS record with a string messageId and body, or an SNS record`,
        };
      }
      return { messageId: r.messageId, body: r.body };
    });
    return { kind: "batch", source: sns ? "sns" : "sqs", records };
  }
  if ("mode" in event) return classifyMode(event);
  return { kind: "event", event };
}

function classifyMode(event: Record<string, unknown>): Invocation {
  switch (event.mode) {
    case "sync-owners": {
      if (event.dryRun !== undefined && typeof event.dryRun !== "boolean") {
        throw new EventError(`dryRun: expected true or false, got ${JSON.stringify(event.dryRun)}`);
      }
      return { kind: "sync-owners", dryRun: event.dryRun === true };
    }
    case "digest": {
      const days = event.days ?? DEFAULT_DIGEST_DAYS;
      if (typeof days !== "number" || !Number.isFinite(days) || days < 0 || days > MAX_DIGEST_DAYS) {
        throw new EventError(
          `days: expected a number of days from 0 to ${MAX_DIGEST_DAYS}, got ${JSON.stringify(event.days)}`,
        );
      }
      return { kind: "digest", days };
    }
    case "retry-pending":
      return { kind: "retry-pending" };
    default:
      throw new EventError(
        `mode: expected "sync-owners", "digest" or "retry-pending", got ${JSON.stringify(event.mode)}`,
      );
  }
}

/** The compliance change inside an SQS body: the EventBridge event itself, or an SNS notification of it. */
export function unwrapBody(body: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new EventError("body: not valid JSON");
  }
  if (isObject(parsed) && parsed.Type === "Notification" && typeof parsed.Message === "string") {
    try {
      return JSON.parse(parsed.Message);
    } catch {
      throw new EventError("body.Message: not valid JSON");
    }
  }
  return parsed;
}
