// AWS Config does not record AWS::Logs::LogGroup, so controls on log groups are `periodic`: the
// scheduled sweep reads the Logs API (DescribeLogGroups, paged) and turns each log group into a
// configuration-item-like object the engine normalises like any other: `configuration` is the
// DescribeLogGroups entry as the SDK returns it.

import { type CloudWatchLogsClient, DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { pages } from "../shared/paging.ts";

export const LOG_GROUP_TYPE = "AWS::Logs::LogGroup";
const PAGE_LIMIT = 50;

export interface ItemContext {
  accountId: string;
  awsRegion: string;
  now: Date;
}

/** The log groups of the account and region, one page (at most 50) at a time. */
export async function* logGroupPages(
  client: CloudWatchLogsClient,
  context: ItemContext,
): AsyncGenerator<Record<string, unknown>[]> {
  const groupPages = pages(
    "CloudWatch Logs DescribeLogGroups",
    (nextToken) =>
      client.send(new DescribeLogGroupsCommand({ limit: PAGE_LIMIT, ...(nextToken ? { nextToken } : {}) })),
    (page) => page.nextToken,
  );
  for await (const out of groupPages) {
    const items: Record<string, unknown>[] = [];
    for (const group of out.logGroups ?? []) {
      if (!group.logGroupName) continue;
      const arn = group.logGroupArn ?? group.arn?.replace(/:\*$/, "");
      items.push({
        resourceType: LOG_GROUP_TYPE,
        resourceId: group.logGroupName,
        resourceName: group.logGroupName,
        ...(arn ? { arn } : {}),
        accountId: context.accountId,
        awsRegion: context.awsRegion,
        configuration: { ...group },
        configurationItemStatus: "OK",
        configurationItemCaptureTime: context.now.toISOString(),
      });
    }
    yield items;
  }
}
