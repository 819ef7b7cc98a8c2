// What AWS Config knows exists, for the scheduled sweep: ListDiscoveredResources (paged, 100 a
// page, yielded page by page) per resource type, BatchGetResourceConfig (at most 100 keys a call; unprocessed keys sent
// again with backoff), and GetDiscoveredResourceCounts for the allowed-services rule, which
// covers every recorded type that has resources.

import {
  type BaseConfigurationItem,
  BatchGetResourceConfigCommand,
  type ConfigServiceClient,
  GetDiscoveredResourceCountsCommand,
  ListDiscoveredResourcesCommand,
  type ResourceKey,
  type ResourceType,
} from "@aws-sdk/client-config-service";
import { appendAll, pages } from "../shared/paging.ts";
import { ConfigDataUnavailableError } from "./errors.ts";

export const PAGE_LIMIT = 100;
export const MAX_BATCH_KEYS = 100;

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Every resource of a type that exists now (deleted ones are not listed), one page (at most 100
 * keys) at a time: the sweep evaluates and writes each page before it reads the next.
 */
export async function* resourceKeyPages(
  client: ConfigServiceClient,
  resourceType: string,
): AsyncGenerator<ResourceKey[]> {
  const listed = pages(
    "Config ListDiscoveredResources",
    (nextToken) =>
      client.send(
        new ListDiscoveredResourcesCommand({
          resourceType: resourceType as ResourceType,
          limit: PAGE_LIMIT,
          ...(nextToken ? { nextToken } : {}),
        }),
      ),
    (page) => page.nextToken,
  );
  for await (const out of listed) {
    const keys: ResourceKey[] = [];
    for (const r of out.resourceIdentifiers ?? []) {
      if (r.resourceId)
        keys.push({
          resourceType: (r.resourceType ?? resourceType) as ResourceKey["resourceType"],
          resourceId: r.resourceId,
        });
    }
    yield keys;
  }
}

/** Every resource type that has at least one recorded resource. */
export async function discoveredResourceTypes(client: ConfigServiceClient): Promise<string[]> {
  const types: string[] = [];
  const counted = pages(
    "Config GetDiscoveredResourceCounts",
    (nextToken) =>
      client.send(
        new GetDiscoveredResourceCountsCommand({ limit: PAGE_LIMIT, ...(nextToken ? { nextToken } : {}) }),
      ),
    (page) => page.nextToken,
  );
  for await (const out of counted) {
    for (const c of out.resourceCounts ?? [])
      if (c.resourceType && (c.count ?? 0) > 0) types.push(c.resourceType);
  }
  return types;
}

export interface BatchGetOptions {
  /** Rounds of re-sending unprocessed keys. Default 4. */
  maxRetryRounds?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * The current configuration item of every key, in the API shape. Resources deleted since they
 * were listed are simply absent. Throws ConfigDataUnavailableError when keys stay unprocessed:
 * the sweep must not treat them as gone.
 */
export async function batchGetItems(
  client: ConfigServiceClient,
  keys: ResourceKey[],
  options: BatchGetOptions = {},
): Promise<BaseConfigurationItem[]> {
  const maxRounds = options.maxRetryRounds ?? 4;
  const sleep = options.sleep ?? realSleep;
  const items: BaseConfigurationItem[] = [];
  for (let i = 0; i < keys.length; i += MAX_BATCH_KEYS) {
    let pending = keys.slice(i, i + MAX_BATCH_KEYS);
    for (let round = 0; pending.length > 0; round++) {
      if (round > maxRounds) {
        throw new ConfigDataUnavailableError(
          `BatchGetResourceConfig left ${pending.length} keys unprocessed after ${maxRounds} retries`,
        );
      }
      if (round > 0) await sleep(Math.random() * 100 * 2 ** round);
      const out = await client.send(new BatchGetResourceConfigCommand({ resourceKeys: pending }));
      appendAll(items, out.baseConfigurationItems ?? []);
      pending = out.unprocessedResourceKeys ?? [];
    }
  }
  return items;
}
