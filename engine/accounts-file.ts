// The accounts file (`--accounts FILE` of evaluate and diff): AWS Organizations-shaped data,
// `{ "<accountId>": { "tags": {...}, "name"? } }`, the offline form of what the notifier reads
// from Organizations. Checked with zod, strictly: a typo is an error naming the field.

import { z } from "zod";
import { accountContext } from "./accounts.ts";
import { InputError } from "./errors.ts";
import type { AccountContext } from "./types.ts";

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
