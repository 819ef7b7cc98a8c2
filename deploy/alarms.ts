// CloudWatch alarms on the engine's own health: messages waiting in a failure or dead-letter
// queue, and a function's errors or throttles. Each alarm fires on the first occurrence in five
// minutes (a failure queue is never expected to hold anything) and treats missing data as fine:
// queues and functions that see no traffic publish no data points.

import type { Json, JsonObject, Resource } from "./cfn.ts";
import { getAtt, ref } from "./cfn.ts";

/** The period every alarm evaluates, in seconds. */
export const ALARM_PERIOD_SECONDS = 300;

function alarm(
  description: string,
  namespace: string,
  metricName: string,
  dimensions: { Name: string; Value: Json }[],
  statistic: "Maximum" | "Sum",
  actions: Json,
): Resource {
  const properties: JsonObject = {
    AlarmDescription: description,
    Namespace: namespace,
    MetricName: metricName,
    Dimensions: dimensions,
    Statistic: statistic,
    Period: ALARM_PERIOD_SECONDS,
    EvaluationPeriods: 1,
    Threshold: 1,
    ComparisonOperator: "GreaterThanOrEqualToThreshold",
    TreatMissingData: "notBreaching",
    AlarmActions: actions,
  };
  return { Type: "AWS::CloudWatch::Alarm", Properties: properties };
}

/** Messages visible in a queue that should stay empty (a dead-letter or on-failure queue). */
export function queueDepthAlarm(queueLogicalId: string, what: string, actions: Json): Resource {
  return alarm(
    `Compliance engine: ${what} holds messages; inspect and redrive them`,
    "AWS/SQS",
    "ApproximateNumberOfMessagesVisible",
    [{ Name: "QueueName", Value: getAtt(queueLogicalId, "QueueName") }],
    "Maximum",
    actions,
  );
}

/** Lambda's Errors or Throttles of one function. */
export function functionAlarm(
  functionLogicalId: string,
  metric: "Errors" | "Throttles",
  what: string,
  actions: Json,
): Resource {
  const text =
    metric === "Errors"
      ? `Compliance engine: the ${what} failed invocations (see its logs)`
      : `Compliance engine: invocations of the ${what} were throttled (reserved concurrency)`;
  return alarm(
    text,
    "AWS/Lambda",
    metric,
    [{ Name: "FunctionName", Value: ref(functionLogicalId) }],
    "Sum",
    actions,
  );
}

/** A metric the engine's handlers emit (embedded metric format, namespace ComplianceEngine). */
export function engineMetricAlarm(
  metricName: string,
  service: string,
  description: string,
  actions: Json,
): Resource {
  return alarm(
    `Compliance engine: ${description}`,
    ENGINE_METRICS_NAMESPACE,
    metricName,
    [{ Name: "service", Value: service }],
    "Sum",
    actions,
  );
}

/** The namespace of the handlers' embedded-format metrics. */
export const ENGINE_METRICS_NAMESPACE = "ComplianceEngine";
