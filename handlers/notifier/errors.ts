// Errors of the notifier. A bad event is permanent (retrying it cannot help); a failed publish or
// a ledger held by another invocation is transient: the delivery fails so that it is retried.

/** The handler's configuration (environment) is missing or wrong. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/** An event or record the notifier cannot read; names the field. Permanent. */
export class EventError extends Error {
  override name = "EventError";
}

/** SNS did not accept a message; the ledger still owes it, so the next delivery sends it. */
export class PublishError extends Error {
  override name = "PublishError";
  constructor(
    message: string,
    readonly topicArn: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The ledger item kept changing or stayed claimed by another invocation; retry the delivery. */
export class LedgerBusyError extends Error {
  override name = "LedgerBusyError";
}
