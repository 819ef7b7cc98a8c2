// How the Organizations client retries. Throttling (TooManyRequestsException) is Organizations'
// normal answer under load: up to 8 attempts with backoff. A network failure or a 5xx answer is
// retried once only: when Organizations cannot be reached, the notifier routes the account as
// unclassified (account-context.ts `accountForRouting`) instead of holding every event for
// the SDK's full backoff. Anything else (AccessDenied, validation) is not retried at all.

import type { OrganizationsClientConfig } from "@aws-sdk/client-organizations";

type RetryStrategy = Extract<
  NonNullable<OrganizationsClientConfig["retryStrategy"]>,
  { acquireInitialRetryToken: unknown }
>;

export const THROTTLED_ATTEMPTS = 8;
export const UNAVAILABLE_ATTEMPTS = 2;
const BASE_DELAY_MS = 100;
const MAX_DELAY_MS = 20_000;

const token = (retries: number, delayMs: number) => ({
  getRetryCount: () => retries,
  getRetryDelay: () => delayMs,
});

/** Attempts allowed for an error of the SDK's retry classification. */
export function attemptsFor(errorType: string): number {
  if (errorType === "THROTTLING") return THROTTLED_ATTEMPTS;
  if (errorType === "TRANSIENT") return UNAVAILABLE_ATTEMPTS;
  return 1;
}

export function organizationsRetryStrategy(random: () => number = Math.random): RetryStrategy {
  return {
    acquireInitialRetryToken: async () => token(0, 0),
    async refreshRetryTokenForRetry(previous, info) {
      const made = previous.getRetryCount() + 1;
      if (made >= attemptsFor(info.errorType)) throw info.error ?? new Error("no retry");
      // Full jitter, as the SDK's standard strategy: a random delay up to an exponential cap.
      return token(made, Math.floor(random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** made)));
    },
    recordSuccess: () => {},
  };
}
