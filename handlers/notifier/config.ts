// The notifier's configuration, from the environment (docs/NOTIFIER.md lists the variables). The two topics are required;
// the ledger (LEDGER_TABLE) is optional: without it the notifier runs stateless (stateless.ts).

import { DEFAULT_ACCOUNT_TTL_MS } from "./account-context.ts";
import { ConfigError } from "./errors.ts";
import { type RolloutMode, readRolloutMode } from "./rollout.ts";

export interface NotifierConfig {
  cisoTopicArn: string;
  ownerTopicArn: string;
  /** The findings ledger. Without it: stateless events, no digest, no retry-pending. */
  ledgerTable?: string;
  accountCacheTtlMs: number;
  /** ROLLOUT_MODE: `quiet` (go-live: digest only, needs the ledger) or `normal` (the default). */
  rolloutMode: RolloutMode;
  /**
   * Set only when the environment names no region (AWS_REGION, AWS_DEFAULT_REGION): the CISO
   * topic's region, so the clients still have one. Otherwise the SDK's own chain decides.
   */
  region?: string;
}

/** arn:<partition>:sns:<region>:<account>:<topic>; the fields are not second-guessed beyond that. */
const TOPIC_ARN = /^arn:[a-z0-9-]+:sns:([a-z0-9-]*):[^:\s]*:[^:\s]+$/;

function topic(env: Record<string, string | undefined>, name: string): string {
  const value = env[name]?.trim();
  if (!value) throw new ConfigError(`${name} is not set: the notifier needs the SNS topic's ARN`);
  if (!TOPIC_ARN.test(value)) throw new ConfigError(`${name}: not an SNS topic ARN: ${value}`);
  return value;
}

export function readConfig(env: Record<string, string | undefined>): NotifierConfig {
  const config: NotifierConfig = {
    cisoTopicArn: topic(env, "CISO_TOPIC_ARN"),
    ownerTopicArn: topic(env, "OWNER_TOPIC_ARN"),
    accountCacheTtlMs: DEFAULT_ACCOUNT_TTL_MS,
    rolloutMode: readRolloutMode(env),
  };
  const table = env.LEDGER_TABLE?.trim();
  if (table) config.ledgerTable = table;
  // Quiet mode sends only digests, which read the ledger: without it nobody would hear anything.
  if (config.rolloutMode === "quiet" && !config.ledgerTable) {
    throw new ConfigError('ROLLOUT_MODE "quiet" needs the findings ledger, and LEDGER_TABLE is not set');
  }
  const ttl = env.ACCOUNT_CACHE_TTL_SECONDS?.trim();
  if (ttl) {
    const seconds = Number(ttl);
    if (!Number.isFinite(seconds) || seconds < 0) {
      throw new ConfigError(`ACCOUNT_CACHE_TTL_SECONDS: expected a number of seconds, got ${ttl}`);
    }
    config.accountCacheTtlMs = seconds * 1000;
  }
  if (!env.AWS_REGION?.trim()) {
    const region = env.AWS_DEFAULT_REGION?.trim() || config.cisoTopicArn.match(TOPIC_ARN)?.[1];
    if (region) config.region = region;
  }
  return config;
}

/** The ledger's table, for the modes that cannot work without it: a one-line error otherwise. */
export function requireLedgerTable(config: NotifierConfig, what: string): string {
  if (!config.ledgerTable) {
    throw new ConfigError(`${what} needs the findings ledger, and LEDGER_TABLE is not set`);
  }
  return config.ledgerTable;
}
