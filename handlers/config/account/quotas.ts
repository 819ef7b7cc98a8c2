// The service quotas a serverless account runs into first, each with its current usage.
//
// Which quotas: the ones that stop a serverless workload when reached, not merely slow it.
// - Lambda "Concurrent executions" (L-B99A9384): one account-wide pool shared by every function
//   of the region; when it is used up, synchronous invocations are throttled (429) and
//   asynchronous ones queue. Usage: the AWS/Usage metric Service Quotas names for it
//   (ConcurrentExecutions), its Maximum over the last 24 hours.
// - DynamoDB "Maximum number of tables" (L-F98FE922): CreateTable fails when it is reached, so a
//   deployment that adds a table breaks. Service Quotas names no usage metric for it; usage is the
//   service's own count (ListTables, paged).
// The value is the applied quota (GetServiceQuota), or AWS's default (GetAWSDefaultServiceQuota)
// when none was ever applied. A quota whose usage metric has no data points in the window has
// usage 0: Config records no concurrency when nothing ran.

import { type CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { type DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import {
  GetAWSDefaultServiceQuotaCommand,
  GetServiceQuotaCommand,
  type ServiceQuota,
  type ServiceQuotasClient,
} from "@aws-sdk/client-service-quotas";

export interface QuotaUsage {
  serviceCode: string;
  quotaCode: string;
  quotaName: string;
  value: number;
  usage: number;
}

interface QuotaClients {
  serviceQuotas: ServiceQuotasClient;
  cloudWatch: CloudWatchClient;
  dynamoDb: DynamoDBClient;
}

type UsageReader = (clients: QuotaClients) => Promise<number>;

async function tableCount(clients: QuotaClients): Promise<number> {
  let count = 0;
  let start: string | undefined;
  do {
    const out = await clients.dynamoDb.send(
      new ListTablesCommand({ Limit: 100, ...(start ? { ExclusiveStartTableName: start } : {}) }),
    );
    count += out.TableNames?.length ?? 0;
    start = out.LastEvaluatedTableName;
  } while (start);
  return count;
}

/** The quotas read, with the usage reader for those Service Quotas gives no metric for. */
export const QUOTAS: readonly { serviceCode: string; quotaCode: string; usage?: UsageReader }[] = [
  { serviceCode: "lambda", quotaCode: "L-B99A9384" },
  { serviceCode: "dynamodb", quotaCode: "L-F98FE922", usage: tableCount },
];

export const USAGE_WINDOW_HOURS = 24;

async function appliedOrDefault(clients: QuotaClients, serviceCode: string, quotaCode: string) {
  try {
    return (
      await clients.serviceQuotas.send(
        new GetServiceQuotaCommand({ ServiceCode: serviceCode, QuotaCode: quotaCode }),
      )
    ).Quota;
  } catch (error) {
    // No applied value for this quota in this account: AWS's default holds.
    if ((error as Error).name !== "NoSuchResourceException") throw error;
    return (
      await clients.serviceQuotas.send(
        new GetAWSDefaultServiceQuotaCommand({ ServiceCode: serviceCode, QuotaCode: quotaCode }),
      )
    ).Quota;
  }
}

async function metricUsage(clients: QuotaClients, quota: ServiceQuota, now: Date): Promise<number> {
  const metric = quota.UsageMetric;
  if (!metric?.MetricNamespace || !metric.MetricName)
    throw new Error(`no usage metric for ${quota.QuotaCode}`);
  const out = await clients.cloudWatch.send(
    new GetMetricDataCommand({
      StartTime: new Date(now.getTime() - USAGE_WINDOW_HOURS * 3_600_000),
      EndTime: now,
      MetricDataQueries: [
        {
          Id: "usage",
          ReturnData: true,
          MetricStat: {
            Metric: {
              Namespace: metric.MetricNamespace,
              MetricName: metric.MetricName,
              Dimensions: Object.entries(metric.MetricDimensions ?? {}).map(([Name, Value]) => ({
                Name,
                Value,
              })),
            },
            Period: 3600,
            Stat: metric.MetricStatisticRecommendation ?? "Maximum",
          },
        },
      ],
    }),
  );
  const values = out.MetricDataResults?.find((r) => r.Id === "usage")?.Values ?? [];
  return values.length > 0 ? Math.max(...values) : 0;
}

/** Every quota of QUOTAS with its usage; any failed call fails the whole part. */
export async function readQuotas(clients: QuotaClients, now: Date): Promise<QuotaUsage[]> {
  const out: QuotaUsage[] = [];
  for (const wanted of QUOTAS) {
    const quota = await appliedOrDefault(clients, wanted.serviceCode, wanted.quotaCode);
    if (quota?.Value === undefined) throw new Error(`Service Quotas gave no value for ${wanted.quotaCode}`);
    const usage = wanted.usage ? await wanted.usage(clients) : await metricUsage(clients, quota, now);
    out.push({
      serviceCode: wanted.serviceCode,
      quotaCode: wanted.quotaCode,
      quotaName: quota.QuotaName ?? wanted.quotaCode,
      value: quota.Value,
      usage,
    });
  }
  return out;
}
