// CloudWatch alarms on the engine's own health: messages waiting in a failure or dead-letter
// queue, and a function's errors or throttles. Each alarm fires on the first occurrence in five
// minutes (a failure queue is never expected to hold anything) and treats missing data as fine:
// queues and functions that see no traffic publish no data points.

import type { Json, JsonObject, Resource } from "./cfn.ts";
import { getAtt, ref } from "./cfn.ts";

/** The period every alarm evaluates, in seconds. */
export const ALARM_PERIOD_SECONDS = 300;

export interface AlarmWindow {
  periodSeconds: number;
  /** Consecutive periods that must each breach. */
  periods: number;
}
const FIRST_OCCURRENCE: AlarmWindow = { periodSeconds: ALARM_PERIOD_SECONDS, periods: 1 };
/**
 * The evaluator is throttled by design when the sweeps of all rules start together (its reserved
 * concurrency; Lambda retries the throttled invocations): only throttling in three consecutive
 * hours, a backlog that does not drain, is worth an alarm.
 */
export const SUSTAINED_HOURS: AlarmWindow = { periodSeconds: 3600, periods: 3 };

function alarm(
  description: string,
  namespace: string,
  metricName: string,
  dimensions: { Name: string; Value: Json }[],
  statistic: "Maximum" | "Sum",
  actions: Json,
  window: AlarmWindow = FIRST_OCCURRENCE,
): Resource {
  const properties: JsonObject = {
    AlarmDescription: description,
    Namespace: namespace,
    MetricName: metricName,
    Dimensions: dimensions,
    Statistic: statistic,
    Period: window.periodSeconds,
    EvaluationPeriods: window.periods,
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
  window: AlarmWindow = FIRST_OCCURRENCE,
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
    window,
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
