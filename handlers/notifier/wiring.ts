// Builds the notifier's runtime from its configuration: the AWS SDK clients (endpoints and
// credentials the standard SDK way, so AWS_ENDPOINT_URL_<SERVICE> points them at local endpoints),
// the account directory with its cache, the ledger and the catalogue's controls.

import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { SNSClient } from "@aws-sdk/client-sns";
import { createAccountDirectory } from "./account-context.ts";
import { type NotifierConfig, requireLedgerTable } from "./config.ts";
import type { ControlLookup } from "./controls.ts";
import { createLedger } from "./ledger.ts";
import type { NotifierDeps } from "./process-result.ts";
import { createPublisher } from "./publisher.ts";
import type { Runtime } from "./run.ts";

/**
 * A claim to publish outlives any invocation: 15 minutes is Lambda's longest timeout, so a claim
 * can only lapse once its holder is certainly gone (crashed or timed out).
 */
export const CLAIM_MS = 15 * 60_000;

// Network timeouts well inside the claim, so a hung call cannot outlive it.
const requestHandler = { connectionTimeout: 3_000, requestTimeout: 10_000 };

export function createRuntime(
  config: NotifierConfig,
  controls: () => ControlLookup,
  log: Runtime["log"],
): Runtime {
  const sns = new SNSClient({ maxAttempts: 3, requestHandler });
  // Organizations throttles hard: more attempts; TooManyRequestsException is retried with backoff.
  const organizations = new OrganizationsClient({ maxAttempts: 8, requestHandler });
  const accounts = createAccountDirectory(organizations, { ttlMs: config.accountCacheTtlMs });
  let deps: NotifierDeps | undefined;
  return {
    sns,
    accounts,
    ownerTopicArn: config.ownerTopicArn,
    log,
    deps() {
      deps ??= {
        ledger: createLedger(
          new DynamoDBClient({ maxAttempts: 5, requestHandler }),
          requireLedgerTable(config),
        ),
        accounts,
        publisher: createPublisher(sns),
        controls: controls(),
        topics: { owner: config.ownerTopicArn, ciso: config.cisoTopicArn },
        now: Date.now,
        claimMs: CLAIM_MS,
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        log,
      };
      return deps;
    },
  };
}
