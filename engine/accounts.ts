// Account contexts from AWS Organizations-shaped data: `{ "<accountId>": { "tags": {...}, "name"? } }`,
// the offline form of what the notifier reads from Organizations (CONTRACTS §3).

import { ratingFromTags } from "./cia.ts";
import { InputError } from "./errors.ts";
import type { AccountContext } from "./types.ts";

/** The context of an account from its tags (missing or malformed rating: the highest). */
export function accountContext(
  accountId: string,
  tags: Record<string, string> = {},
  name?: string,
): AccountContext {
  const { rating, unclassified } = ratingFromTags(tags);
  const lower = Object.fromEntries(Object.entries(tags).map(([k, v]) => [k.toLowerCase(), v]));
  const context: AccountContext = { accountId, rating, unclassified, tags };
  if (name !== undefined) context.name = name;
  if (lower.environment) context.environment = lower.environment.toLowerCase();
  if (lower.owner) context.owner = lower.owner;
  return context;
}

/** Parses an accounts file's JSON value; throws InputError naming the bad field. */
export function parseAccounts(value: unknown, source: string): Map<string, AccountContext> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InputError('expected an object { "<accountId>": { "tags": { ... } } }', source);
  }
  const accounts = new Map<string, AccountContext>();
  for (const [accountId, entry] of Object.entries(value)) {
    if (!/^\d{12}$/.test(accountId))
      throw new InputError(`"${accountId}" is not a 12-digit account id`, source);
    const e = (entry ?? {}) as { tags?: unknown; name?: unknown };
    const tags = e.tags ?? {};
    if (typeof tags !== "object" || tags === null || Array.isArray(tags)) {
      throw new InputError(`/${accountId}/tags must be an object of tag names to values`, source);
    }
    const stringTags = Object.fromEntries(Object.entries(tags).map(([k, v]) => [k, String(v)]));
    accounts.set(
      accountId,
      accountContext(accountId, stringTags, typeof e.name === "string" ? e.name : undefined),
    );
  }
  return accounts;
}
