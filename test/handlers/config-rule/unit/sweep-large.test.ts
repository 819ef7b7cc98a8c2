// An account with more resources than a spread into call arguments survives (`push(...keys)`
// overflows the stack at about 125,000 elements): 150,000 tables are listed, fetched and handed on
// page by page, never more than one page of items at a time. A stand-in client answers in
// process (the local endpoint tests cover the wire; this covers the size).

import type { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import {
  BatchGetResourceConfigCommand,
  type ConfigServiceClient,
  ListDiscoveredResourcesCommand,
  type ResourceKey,
} from "@aws-sdk/client-config-service";
import { describe, expect, it } from "vitest";
import { sweepResources } from "../../../../handlers/config/sweep.ts";

const TOTAL = 150_000;
const TYPE = "AWS::DynamoDB::Table";

function fakeConfig(): ConfigServiceClient {
  return {
    async send(command: unknown) {
      if (command instanceof ListDiscoveredResourcesCommand) {
        const start = Number(command.input.nextToken ?? 0);
        const end = Math.min(start + 100, TOTAL);
        const resourceIdentifiers = [];
        for (let i = start; i < end; i++)
          resourceIdentifiers.push({ resourceType: TYPE, resourceId: `t-${i}` });
        return { resourceIdentifiers, ...(end < TOTAL ? { nextToken: String(end) } : {}) };
      }
      if (command instanceof BatchGetResourceConfigCommand) {
        const keys = command.input.resourceKeys as ResourceKey[];
        return {
          baseConfigurationItems: keys.map((k) => ({
            resourceType: k.resourceType,
            resourceId: k.resourceId,
          })),
          unprocessedResourceKeys: [],
        };
      }
      throw new Error(`unexpected command ${(command as object).constructor.name}`);
    },
  } as unknown as ConfigServiceClient;
}

describe("a sweep of 150,000 resources", () => {
  it("hands every item on, one page at a time, and finds none vanished", async () => {
    let items = 0;
    let largestPage = 0;
    const data = await sweepResources(
      { config: fakeConfig(), logs: {} as CloudWatchLogsClient },
      { recorded: [TYPE], periodic: [], unsupported: [] },
      [{ resourceType: TYPE, resourceId: "t-149999", complianceType: "COMPLIANT" }],
      { accountId: "123456789012", awsRegion: "eu-west-1", now: new Date(0) },
      async (page) => {
        items += page.length;
        largestPage = Math.max(largestPage, page.length);
      },
    );
    expect(items).toBe(TOTAL);
    expect(data.itemsRead).toBe(TOTAL);
    expect(largestPage).toBe(100);
    expect(data.vanished).toEqual([]);
  });
});
