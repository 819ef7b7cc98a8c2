// Builds the notifier's runtime from its configuration: the AWS SDK clients (endpoints and
// credentials the standard SDK way, so AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE> point them at
// local endpoints), the account directory with its cache, the ledger when there is one, and the
// catalogue's controls. Without LEDGER_TABLE it says once, at cold start, what is given up.

import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { SNSClient } from "@aws-sdk/client-sns";
import { httpTimeouts } from "../shared/http-timeouts.ts";
import { createAccountDirectory } from "./account-context.ts";
import { type NotifierConfig, requireLedgerTable } from "./config.ts";
import type { ControlLookup } from "./controls.ts";
import { createLedger } from "./ledger.ts";
import { organizationsRetryStrategy, THROTTLED_ATTEMPTS } from "./organizations-retry.ts";
import type { NotifierDeps } from "./process-result.ts";
import { createPublisher } from "./publisher.ts";
import {
  createRolloutStore,
  type Rollout,
  type RolloutMode,
  type RolloutStore,
  settleRollout,
} from "./rollout.ts";
import type { Runtime } from "./run.ts";
import type { StatelessDeps } from "./stateless.ts";

/**
 * A claim to publish outlives any invocation: 15 minutes is Lambda's longest timeout, so a claim
 * can only lapse once its holder is certainly gone (crashed or timed out).
 */
export const CLAIM_MS = 15 * 60_000;

export const STATELESS_WARNING =
  "LEDGER_TABLE is not set: stateless mode. Each compliance change is routed on its own, so duplicate " +
  "and re-delivered events cannot be suppressed (the same news may be sent twice) and stale ones are " +
  'not recognised; modes "digest" and "retry-pending" are unavailable.';

export function createRuntime(
  config: NotifierConfig,
  controls: () => ControlLookup,
  log: Runtime["log"],
): Runtime {
  const region = config.region ? { region: config.region } : {};
  // Network timeouts well inside the claim, so a hung call cannot outlive it.
  const requestHandler = httpTimeouts({ connectMs: 3_000, requestMs: 10_000 });
  const sns = new SNSClient({ ...region, maxAttempts: 3, requestHandler });
  // Organizations throttles hard: throttling is retried up to 8 attempts with backoff; an
  // unreachable endpoint only once (the event is then routed fail safe, not held).
  const organizations = new OrganizationsClient({
    ...region,
    maxAttempts: THROTTLED_ATTEMPTS,
    retryStrategy: organizationsRetryStrategy(),
    requestHandler,
  });
  const accounts = createAccountDirectory(organizations, { ttlMs: config.accountCacheTtlMs });
  const publisher = createPublisher(sns);
  const topics = { owner: config.ownerTopicArn, ciso: config.cisoTopicArn };
  if (!config.ledgerTable) log("warn", STATELESS_WARNING);
  let deps: NotifierDeps | undefined;
  let stateless: StatelessDeps | undefined;
  return {
    hasLedger: config.ledgerTable !== undefined,
    sns,
    accounts,
    ownerTopicArn: config.ownerTopicArn,
    dropped: { envelopeAccountMismatch: 0 },
    log,
    deps(what = "compliance change events with a ledger") {
      const table = requireLedgerTable(config, what);
      if (deps) return deps;
      const dynamodb = new DynamoDBClient({ ...region, maxAttempts: 5, requestHandler });
      deps = {
        ledger: createLedger(dynamodb, table),
        rollout: rolloutOnce(createRolloutStore(dynamodb, table), config.rolloutMode, log),
        accounts,
        publisher,
        controls: controls(),
        topics,
        now: Date.now,
        claimMs: CLAIM_MS,
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        log,
      };
      return deps;
    },
    stateless() {
      stateless ??= { accounts, publisher, controls: controls(), topics, log };
      return stateless;
    },
  };
}

/**
 * The rollout, settled (read, and written on a change of mode) once per execution environment: the
 * mode cannot change under a running environment. A failed read is not kept: the invocation fails
 * (and is retried) and the next one asks again.
 */
function rolloutOnce(store: RolloutStore, mode: RolloutMode, log: Runtime["log"]): () => Promise<Rollout> {
  let settled: Promise<Rollout> | undefined;
  return () => {
    settled ??= settleRollout(store, mode, new Date().toISOString()).then(
      (rollout) => {
        log("info", "rollout mode", { ...rollout });
        return rollout;
      },
      (error: unknown) => {
        settled = undefined;
        throw error;
      },
    );
    return settled;
  };
}
