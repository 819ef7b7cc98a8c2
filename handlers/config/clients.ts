// The AWS clients of the Config rule. Endpoints, region and credentials come the standard SDK way
// (AWS_REGION, AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_CONFIG_SERVICE, AWS_ACCESS_KEY_ID, the Lambda
// role...): nothing is hard-coded, so the same bundle runs against a local endpoint.
//
// Retries: AWS Config throttles hard (PutEvaluations, BatchGetResourceConfig and the list calls
// share small per-account rates when a whole organisation's rules fire), so the clients use the
// SDK's standard retry strategy (exponential backoff with full jitter, throttling retried with a
// longer base delay, a retry quota against storms) with more attempts than the SDK's default of 3.
// AWS_MAX_ATTEMPTS and AWS_RETRY_MODE (standard | adaptive) override, as for any SDK client.
// The Logs client keeps the SDK's default of 3 attempts: the log-group read is best effort (when
// it fails, the sweep writes everything else and reads the log groups again next time), so an
// unreachable Logs endpoint must not hold the whole sweep for seconds of backoff.

import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { ConfigServiceClient } from "@aws-sdk/client-config-service";
import { httpTimeouts } from "../shared/http-timeouts.ts";

export const DEFAULT_MAX_ATTEMPTS = 8;
export const LOGS_MAX_ATTEMPTS = 3;

export interface RetrySettings {
  maxAttempts: number;
  retryMode: "standard" | "adaptive";
}

export function retrySettings(
  env: Record<string, string | undefined> = process.env,
  defaultAttempts = DEFAULT_MAX_ATTEMPTS,
): RetrySettings {
  const attempts = Number.parseInt(env.AWS_MAX_ATTEMPTS ?? "", 10);
  return {
    maxAttempts: attempts > 0 ? attempts : defaultAttempts,
    retryMode: env.AWS_RETRY_MODE === "adaptive" ? "adaptive" : "standard",
  };
}

/** A stuck connection fails (and is retried) instead of running into the Lambda timeout. */
const requestHandler = httpTimeouts({ connectMs: 5_000, requestMs: 30_000 });

export function createConfigClient(): ConfigServiceClient {
  return new ConfigServiceClient({ ...retrySettings(), requestHandler });
}

export function createLogsClient(): CloudWatchLogsClient {
  return new CloudWatchLogsClient({ ...retrySettings(process.env, LOGS_MAX_ATTEMPTS), requestHandler });
}
