// The notifier's configuration, from the environment (CONTRACTS §5).

import { DEFAULT_ACCOUNT_TTL_MS } from "./account-context.ts";
import { ConfigError } from "./errors.ts";

export interface NotifierConfig {
  cisoTopicArn: string;
  ownerTopicArn: string;
  /** Needed by the event, digest and retry-pending modes; owner sync works without it. */
  ledgerTable?: string;
  accountCacheTtlMs: number;
}

const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;

function topic(env: Record<string, string | undefined>, name: string): string {
  const value = env[name]?.trim();
  if (!value) throw new ConfigError(`${name} is not set: the notifier needs the topic's ARN`);
  if (!TOPIC_ARN.test(value)) throw new ConfigError(`${name}: not an SNS topic ARN: ${value}`);
  return value;
}

export function readConfig(env: Record<string, string | undefined>): NotifierConfig {
  const config: NotifierConfig = {
    cisoTopicArn: topic(env, "CISO_TOPIC_ARN"),
    ownerTopicArn: topic(env, "OWNER_TOPIC_ARN"),
    accountCacheTtlMs: DEFAULT_ACCOUNT_TTL_MS,
  };
  const table = env.LEDGER_TABLE?.trim();
  if (table) config.ledgerTable = table;
  const ttl = env.ACCOUNT_CACHE_TTL_SECONDS?.trim();
  if (ttl) {
    const seconds = Number(ttl);
    if (!Number.isFinite(seconds) || seconds < 0) {
      throw new ConfigError(`ACCOUNT_CACHE_TTL_SECONDS: expected a number of seconds, got ${ttl}`);
    }
    config.accountCacheTtlMs = seconds * 1000;
  }
  return config;
}

export function requireLedgerTable(config: NotifierConfig): string {
  if (!config.ledgerTable) {
    throw new ConfigError(
      "LEDGER_TABLE is not set: the notifier needs its findings ledger to notify exactly once",
    );
  }
  return config.ledgerTable;
}
