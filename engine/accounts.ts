// An account's context (CIA rating, environment, owner) from its tags: what the notifier reads
// from AWS Organizations (DescribeAccount and the account's tags) and what an accounts file
// (./accounts-file.ts) gives offline. No schema library: the notifier bundle imports this module.

import { ratingFromTags } from "./cia.ts";
import type { AccountContext } from "./types.ts";

/**
 * The context of an account from its tags (missing or malformed rating: the highest). Tag keys are
 * matched case-insensitively and values trimmed, as people type them in the console.
 */
export function accountContext(
  accountId: string,
  tags: Record<string, string> = {},
  name?: string,
): AccountContext {
  const { rating, unclassified } = ratingFromTags(tags);
  const lower = Object.fromEntries(Object.entries(tags).map(([k, v]) => [k.toLowerCase(), v.trim()]));
  const context: AccountContext = { accountId, rating, unclassified, tags };
  if (name) context.name = name;
  if (lower.environment) context.environment = lower.environment.toLowerCase();
  if (lower.owner) context.owner = lower.owner;
  return context;
}

/**
 * The context of each account id, from `accounts` when it is there, else made from the id alone
 * (the highest rating) and remembered in `accounts`.
 */
export function contextLookup(accounts: Map<string, AccountContext>): (accountId: string) => AccountContext {
  return (accountId) => {
    let ctx = accounts.get(accountId);
    if (!ctx) {
      ctx = accountContext(accountId);
      accounts.set(accountId, ctx);
    }
    return ctx;
  };
}
