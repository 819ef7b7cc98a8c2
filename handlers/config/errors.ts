// Errors of the Config rule handler. A malformed event is the sender's fault and is reported, not
// retried; the others make the invocation fail so that Lambda retries it.

/** The invocation event is not a Config rule event the handler can read. Logged, never retried. */
export class MalformedEventError extends Error {
  override name = "MalformedEventError";
}

/** Some evaluations could not be written to AWS Config even after retries. */
export class EvaluationsNotWrittenError extends Error {
  override name = "EvaluationsNotWrittenError";
  constructor(
    readonly notWritten: number,
    readonly total: number,
    options?: { cause?: unknown },
  ) {
    const cause = options?.cause instanceof Error ? `: ${options.cause.name}: ${options.cause.message}` : "";
    super(`${notWritten} of ${total} evaluations could not be written to AWS Config${cause}`, options);
  }
}

/** AWS Config could not give the data an evaluation needs (yet): retrying the invocation may help. */
export class ConfigDataUnavailableError extends Error {
  override name = "ConfigDataUnavailableError";
}
