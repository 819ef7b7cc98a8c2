// AWS Config does not record AWS::Logs::LogGroup, so controls on log groups are `periodic`: the
// scheduled sweep reads the Logs API (DescribeLogGroups, paged) and turns each log group into a
// configuration-item-like object the engine normalises like any other: `configuration` is the
// DescribeLogGroups entry as the SDK returns it.

import { type CloudWatchLogsClient, DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";

export const LOG_GROUP_TYPE = "AWS::Logs::LogGroup";
const PAGE_LIMIT = 50;

export interface ItemContext {
  accountId: string;
  awsRegion: string;
  now: Date;
}

export async function logGroupItems(
  client: CloudWatchLogsClient,
  context: ItemContext,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let nextToken: string | undefined;
  do {
    const out = await client.send(
      new DescribeLogGroupsCommand({ limit: PAGE_LIMIT, ...(nextToken ? { nextToken } : {}) }),
    );
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
    nextToken = out.nextToken || undefined;
  } while (nextToken);
  return items;
}
