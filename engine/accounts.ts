// Account contexts from AWS Organizations-shaped data: `{ "<accountId>": { "tags": {...}, "name"? } }`,
// the offline form of what the notifier reads from Organizations (DescribeAccount and the
// account's tags).

import { z } from "zod";
import { ratingFromTags } from "./cia.ts";
import { InputError } from "./errors.ts";
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

/** The accounts file: account id -> optional name and the account's tags (strict: a typo is an error). */
const AccountsFile = z.record(
  z.string().regex(/^\d{12}$/, "is not a 12-digit account id"),
  z.strictObject(
    {
      name: z.string({ error: "must be a string" }).optional(),
      tags: z
        .record(
          z.string(),
          z.union([z.string(), z.number(), z.boolean()], { error: "a tag value must be a string" }),
          {
            error: "must be an object of tag names to values",
          },
        )
        .default({}),
    },
    { error: 'must be an object { "name"?: ..., "tags": { ... } }' },
  ),
);

/** `/222222222222/tags/owner: expected string` from a zod issue. */
function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String);
  if (issue.code === "invalid_key") return `"${path.join("/")}" ${issue.issues[0]?.message ?? issue.message}`;
  if (issue.code === "unrecognized_keys") {
    return `/${path.join("/")}: unknown field ${issue.keys.map((k) => `"${k}"`).join(", ")} (expected "name" and "tags")`;
  }
  return `/${path.join("/")}: ${issue.message}`;
}

/** Parses an accounts file's JSON value; throws InputError naming the bad field. */
export function parseAccounts(value: unknown, source: string): Map<string, AccountContext> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InputError('expected an object { "<accountId>": { "tags": { ... } } }', source);
  }
  const parsed = AccountsFile.safeParse(value);
  if (!parsed.success) {
    const [first] = parsed.error.issues;
    throw new InputError(first ? describeIssue(first) : "not an accounts file", source);
  }
  const accounts = new Map<string, AccountContext>();
  for (const [accountId, entry] of Object.entries(parsed.data)) {
    const tags = Object.fromEntries(Object.entries(entry.tags).map(([k, v]) => [k, String(v)]));
    accounts.set(accountId, accountContext(accountId, tags, entry.name));
  }
  return accounts;
}
