// An account's context from AWS Organizations (DescribeAccount, ListTagsForResource, ListParents),
// cached in memory with a time to live: Organizations' read APIs are throttled hard, and one
// Lambda instance sees the same few accounts again and again. Throttling is retried by the SDK
// client (organizations-retry.ts). `get` throws when Organizations fails (owner sync must not act
// on a guess); the event path uses `accountForRouting`, which never does: a notification routed
// fail-safe (highest rating, CISO topic) beats one lost.

import {
  AccountNotFoundException,
  DescribeAccountCommand,
  ListAccountsCommand,
  ListParentsCommand,
  ListTagsForResourceCommand,
  type OrganizationsClient,
} from "@aws-sdk/client-organizations";
import { accountContext } from "../../engine/accounts.ts";
import { describeError } from "../../engine/errors.ts";
import type { AccountContext } from "../../engine/types.ts";

export interface AccountInfo extends AccountContext {
  /** False when Organizations does not know the account: treated as unclassified. */
  found: boolean;
  status?: string;
  /** The account's parent: an OU id (`ou-...`) or the root (`r-...`). */
  parentId?: string;
  /** Why Organizations could not be asked (the account is then routed as unclassified). */
  lookupError?: string;
}

export interface AccountSummary {
  id: string;
  name?: string;
  status?: string;
}

export interface AccountDirectory {
  get(accountId: string): Promise<AccountInfo>;
  /** Every account of the organisation (ListAccounts, all pages). */
  list(): Promise<AccountSummary[]>;
}

export interface AccountDirectoryOptions {
  /** How long an account's context is reused. Default 15 minutes. */
  ttlMs?: number;
  now?: () => number;
}

export const DEFAULT_ACCOUNT_TTL_MS = 15 * 60_000;

export function createAccountDirectory(
  client: OrganizationsClient,
  options: AccountDirectoryOptions = {},
): AccountDirectory {
  const ttl = options.ttlMs ?? DEFAULT_ACCOUNT_TTL_MS;
  const now = options.now ?? Date.now;
  // The promise is cached, so concurrent lookups of one account share a single set of calls.
  const cache = new Map<string, { until: number; value: Promise<AccountInfo> }>();

  async function load(accountId: string): Promise<AccountInfo> {
    let described: { Name?: string; Status?: string; State?: string } | undefined;
    try {
      described = (await client.send(new DescribeAccountCommand({ AccountId: accountId }))).Account;
    } catch (error) {
      if (error instanceof AccountNotFoundException) {
        return { ...accountContext(accountId, {}), found: false };
      }
      throw error;
    }
    const tags: Record<string, string> = {};
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListTagsForResourceCommand({ ResourceId: accountId, NextToken: token }),
      );
      for (const tag of page.Tags ?? []) if (tag.Key) tags[tag.Key] = tag.Value ?? "";
      token = page.NextToken;
    } while (token);
    const info: AccountInfo = { ...accountContext(accountId, tags, described?.Name), found: true };
    const status = described?.State ?? described?.Status;
    if (status) info.status = status;
    // The parent only decorates messages: without it the account is still fully known.
    const parents = await client.send(new ListParentsCommand({ ChildId: accountId })).catch(() => undefined);
    const parentId = parents?.Parents?.[0]?.Id;
    if (parentId) info.parentId = parentId;
    return info;
  }

  return {
    get(accountId) {
      const hit = cache.get(accountId);
      if (hit && hit.until > now()) return hit.value;
      const value = load(accountId);
      cache.set(accountId, { until: now() + ttl, value });
      // A failed lookup is not cached: the next delivery asks again.
      value.catch(() => {
        if (cache.get(accountId)?.value === value) cache.delete(accountId);
      });
      return value;
    },
    async list() {
      const accounts: AccountSummary[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(new ListAccountsCommand({ NextToken: token }));
        for (const a of page.Accounts ?? []) {
          if (!a.Id) continue;
          const summary: AccountSummary = { id: a.Id };
          if (a.Name) summary.name = a.Name;
          const status = a.State ?? a.Status;
          if (status) summary.status = status;
          accounts.push(summary);
        }
        token = page.NextToken;
      } while (token);
      return accounts;
    },
  };
}

export type RoutingLog = (level: "warn", message: string, details?: Record<string, unknown>) => void;

/**
 * The account's context for routing a notification: never fails. When Organizations cannot
 * answer (unreachable, AccessDenied outside the management or delegated administrator account,
 * throttled past every retry), the account is unclassified: the highest rating, and the CISO
 * topic gets the finding. The failure is not cached, so the next event asks again.
 */
export async function accountForRouting(
  accounts: AccountDirectory,
  accountId: string,
  log?: RoutingLog,
): Promise<AccountInfo> {
  try {
    return await accounts.get(accountId);
  } catch (error) {
    const lookupError = error instanceof Error ? `${error.name}: ${describeError(error)}` : String(error);
    log?.("warn", "AWS Organizations lookup failed: the account is routed as unclassified", {
      accountId,
      error: lookupError,
    });
    return { ...accountContext(accountId, {}), found: false, lookupError };
  }
}
