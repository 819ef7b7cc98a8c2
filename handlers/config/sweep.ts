// The scheduled sweep's data: every resource of the rule's scope that exists now, and the
// resources the rule has evaluated that no longer do. Recorded types come from AWS Config; types
// Config does not record (controls marked `periodic`) from their own API, e.g. the Logs API.

import type { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import type { ConfigServiceClient } from "@aws-sdk/client-config-service";
import { type Catalogue, isRecordedType } from "../../engine/catalogue-model.ts";
import { ALLOWED_SERVICES_RULE } from "../../engine/scope.ts";
import { ACCOUNT_ITEM_TYPE } from "../../rules/account-part.ts";
import type { AccountItemReader } from "./account/lazy-reader.ts";
import { batchGetItems, discoveredResourceTypes, resourceKeyPages } from "./discovered.ts";
import type { EvaluatedResource } from "./evaluated.ts";
import { type ItemContext, LOG_GROUP_TYPE, logGroupPages } from "./log-groups.ts";

export interface SweepScope {
  /** Recorded types to list through Config; `all`: every type that has resources (allowed-services). */
  recorded: string[] | "all";
  /** Types Config does not record, read from their own API. */
  periodic: string[];
  /** Types Config does not record and the handler has no reader for: they are not swept (warned). */
  unsupported: string[];
}

export interface SweepClients {
  config: ConfigServiceClient;
  logs: CloudWatchLogsClient;
  /** Reads the `AWS::::Account` item (loaded with its clients on first use: ./account/lazy-reader.ts). */
  accountItem?: AccountItemReader;
}

/** Pages of CI-like items of a type Config does not record. */
type Lister = (clients: SweepClients, context: ItemContext) => AsyncGenerator<Record<string, unknown>[]>;

/** Readers for the resource types AWS Config does not record. */
const PERIODIC_LISTERS: Record<string, Lister> = {
  [LOG_GROUP_TYPE]: (clients, context) => logGroupPages(clients.logs, context),
  // One item per account and region; a failed account-level call leaves its part out of the item
  // (its controls fail closed), it does not make the type unreadable.
  [ACCOUNT_ITEM_TYPE]: async function* (clients, context) {
    if (!clients.accountItem) throw new Error("no account-level API clients");
    yield [await clients.accountItem(context)];
  },
};

/** The resource types a rule's sweep covers: its service's types, or the whole catalogue's. */
export function sweepScope(catalogue: Catalogue, service: string | undefined): SweepScope {
  if (service === ALLOWED_SERVICES_RULE) return { recorded: "all", periodic: [], unsupported: [] };
  const types = service
    ? (catalogue.policies.find((p) => p.service === service)?.resourceTypes ?? [])
    : [...catalogue.allowedTypes];
  const scope: SweepScope = { recorded: [], periodic: [], unsupported: [] };
  for (const type of [...new Set(types)].sort()) {
    if (isRecordedType(type)) (scope.recorded as string[]).push(type);
    else if (PERIODIC_LISTERS[type]) scope.periodic.push(type);
    else scope.unsupported.push(type);
  }
  return scope;
}

export interface SweepData {
  /** Items read (and handed to `onItems`). */
  itemsRead: number;
  /** Evaluated COMPLIANT / NON_COMPLIANT by this rule, of a swept type, and gone now. */
  vanished: EvaluatedResource[];
  /** How many resource types were listed. */
  typesListed: number;
  /** Types that could not be read: refused by ListDiscoveredResources (ValidationException), or
   * not recorded by Config and their own API failed after the SDK's retries. Not swept. */
  unreadable: { resourceType: string; error: string }[];
}

/** Evaluates and writes one page of items before the sweep reads the next. */
export type ItemSink = (items: Record<string, unknown>[]) => Promise<void>;

export const resourceKeyOf = (type: unknown, id: unknown) => `${String(type)}\u0000${String(id)}`;

/**
 * Reads every resource of the scope page by page (a page of keys, then their items) and hands each
 * page to `onItems`, so a sweep cut short by the Lambda timeout has written what it read, and
 * memory holds one page of items, not the account. `previous` is what the rule had recorded before
 * the listing began: a resource created after that read is not in it, so it cannot be mistaken for
 * one that vanished.
 */
export async function sweepResources(
  clients: SweepClients,
  scope: SweepScope,
  previous: readonly EvaluatedResource[],
  context: ItemContext,
  onItems: ItemSink,
  options: { sleep?: (ms: number) => Promise<void> } = {},
): Promise<SweepData> {
  const recorded = scope.recorded === "all" ? await discoveredResourceTypes(clients.config) : scope.recorded;
  const existing = new Set<string>();
  let itemsRead = 0;
  const take = async (items: Record<string, unknown>[]) => {
    for (const i of items) existing.add(resourceKeyOf(i.resourceType, i.resourceId));
    itemsRead += items.length;
    if (items.length > 0) await onItems(items);
  };
  // A type Config refuses to list (ValidationException: not supported in this region or by this
  // endpoint) would refuse on every retry: it is reported and skipped, not allowed to sink the
  // sweep of every other type. Other errors (throttling, 5xx after the SDK's retries) fail the
  // invocation, so that Lambda retries it; the pages written so far stay written.
  const unreadable: SweepData["unreadable"] = [];
  const listed: string[] = [];
  for (const type of recorded) {
    try {
      for await (const keys of resourceKeyPages(clients.config, type)) {
        const items = await batchGetItems(clients.config, keys, options);
        await take(items.map((i): Record<string, unknown> => ({ ...i })));
      }
      listed.push(type);
    } catch (error) {
      if ((error as Error | undefined)?.name !== "ValidationException") throw error;
      unreadable.push({ resourceType: type, error: `${(error as Error).name}: ${(error as Error).message}` });
    }
  }
  // A type read from another API than Config's must not sink the sweep: when that API fails (an
  // endpoint or permission missing, an outage), everything else is still written, and the type is
  // left out of the vanished check so that its resources are not taken for gone.
  const read: string[] = [];
  for (const type of scope.periodic) {
    const lister = PERIODIC_LISTERS[type];
    if (!lister) continue;
    try {
      for await (const items of lister(clients, context)) await take(items);
      read.push(type);
    } catch (error) {
      unreadable.push({ resourceType: type, error: `${(error as Error).name}: ${(error as Error).message}` });
    }
  }

  const swept = scope.recorded === "all" ? undefined : new Set([...listed, ...read]);
  const notRead = new Set(unreadable.map((u) => u.resourceType));
  const seen = new Set<string>();
  const vanished = previous.filter((r) => {
    if (r.complianceType === "NOT_APPLICABLE") return false;
    const key = resourceKeyOf(r.resourceType, r.resourceId);
    if (seen.has(key) || existing.has(key) || notRead.has(r.resourceType)) return false;
    seen.add(key);
    return swept === undefined || swept.has(r.resourceType);
  });
  return { itemsRead, vanished, typesListed: listed.length + read.length, unreadable };
}
