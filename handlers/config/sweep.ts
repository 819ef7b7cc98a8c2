// The scheduled sweep's data: every resource of the rule's scope that exists now, and the
// resources the rule has evaluated that no longer do. Recorded types come from AWS Config; types
// Config does not record (controls marked `periodic`) from their own API, e.g. the Logs API.

import type { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import type { ConfigServiceClient } from "@aws-sdk/client-config-service";
import { type Catalogue, isRecordedType } from "../../engine/catalogue.ts";
import { ALLOWED_SERVICES_RULE } from "../../engine/scope.ts";
import { batchGetItems, discoveredResourceTypes, listResourceKeys } from "./discovered.ts";
import { type EvaluatedResource, evaluatedResources } from "./evaluated.ts";
import { type ItemContext, LOG_GROUP_TYPE, logGroupItems } from "./log-groups.ts";

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
}

type Lister = (clients: SweepClients, context: ItemContext) => Promise<Record<string, unknown>[]>;

/** Readers for the resource types AWS Config does not record. */
const PERIODIC_LISTERS: Record<string, Lister> = {
  [LOG_GROUP_TYPE]: (clients, context) => logGroupItems(clients.logs, context),
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
  /** Current items: API shape from Config, CI-like objects from the periodic readers. */
  items: Record<string, unknown>[];
  /** Evaluated COMPLIANT / NON_COMPLIANT by this rule, of a swept type, and gone now. */
  vanished: EvaluatedResource[];
  /** How many resource types were listed. */
  typesListed: number;
  /** Types that could not be read: refused by ListDiscoveredResources (ValidationException), or
   * not recorded by Config and their own API failed after the SDK's retries. Not swept. */
  unreadable: { resourceType: string; error: string }[];
}

const keyOf = (type: unknown, id: unknown) => `${String(type)}\u0000${String(id)}`;

export async function collectSweep(
  clients: SweepClients,
  scope: SweepScope,
  configRuleName: string,
  context: ItemContext,
  options: { sleep?: (ms: number) => Promise<void> } = {},
): Promise<SweepData> {
  // Read what the rule has evaluated first: a resource created after this read is not in it, so it
  // cannot be mistaken for one that vanished.
  const evaluated = await evaluatedResources(clients.config, configRuleName);
  const recorded = scope.recorded === "all" ? await discoveredResourceTypes(clients.config) : scope.recorded;
  // A type Config refuses to list (ValidationException: not supported in this region or by this
  // endpoint) would refuse on every retry: it is reported and skipped, not allowed to sink the
  // sweep of every other type. Other errors (throttling, 5xx after the SDK's retries) fail the
  // invocation, so that Lambda retries it.
  const unreadable: SweepData["unreadable"] = [];
  const listed: string[] = [];
  const keys = [];
  for (const type of recorded) {
    try {
      keys.push(...(await listResourceKeys(clients.config, type)));
      listed.push(type);
    } catch (error) {
      if ((error as Error | undefined)?.name !== "ValidationException") throw error;
      unreadable.push({ resourceType: type, error: `${(error as Error).name}: ${(error as Error).message}` });
    }
  }
  const items: Record<string, unknown>[] = (await batchGetItems(clients.config, keys, options)).map((i) => ({
    ...i,
  }));
  // A type read from another API than Config's must not sink the sweep: when that API fails (an
  // endpoint or permission missing, an outage), everything else is still written, and the type is
  // left out of the vanished check so that its resources are not taken for gone.
  const read: string[] = [];
  for (const type of scope.periodic) {
    const lister = PERIODIC_LISTERS[type];
    if (!lister) continue;
    try {
      items.push(...(await lister(clients, context)));
      read.push(type);
    } catch (error) {
      unreadable.push({ resourceType: type, error: `${(error as Error).name}: ${(error as Error).message}` });
    }
  }

  const existing = new Set(items.map((i) => keyOf(i.resourceType, i.resourceId)));
  const swept = scope.recorded === "all" ? undefined : new Set([...listed, ...read]);
  const notRead = new Set(unreadable.map((u) => u.resourceType));
  const seen = new Set<string>();
  const vanished = evaluated.filter((r) => {
    const key = keyOf(r.resourceType, r.resourceId);
    if (seen.has(key) || existing.has(key) || notRead.has(r.resourceType)) return false;
    seen.add(key);
    return swept === undefined || swept.has(r.resourceType);
  });
  return { items, vanished, typesListed: listed.length + read.length, unreadable };
}
