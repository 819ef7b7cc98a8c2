// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub strings, not JavaScript templates
// The engine's health alarms: which metrics each stack watches, and that the central alarms can
// actually reach the CISO topic (topic policy and key policy let CloudWatch publish) while
// nobody else gains the right to publish.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Resource, Template } from "../../deploy/cfn.ts";
import { readScpSettings } from "../../deploy/scp-settings.ts";
import { synthesise } from "../../deploy/synth.ts";
import { repositoryCatalogue } from "../support/catalogue.ts";

const { templates } = synthesise(repositoryCatalogue(), readScpSettings());
const { member, central } = templates;

// biome-ignore lint/suspicious/noExplicitAny: the assertions read deep into template JSON
const props = (r: Resource) => r.Properties as Record<string, any>;
const alarms = (t: Template) =>
  Object.fromEntries(Object.entries(t.Resources).filter(([, r]) => r.Type === "AWS::CloudWatch::Alarm"));
/** What an alarm watches: namespace, metric and its dimensions, as one readable line. */
const watched = (r: Resource) => {
  const p = props(r);
  const dims = (p.Dimensions as { Name: string; Value: unknown }[])
    .map((d) => `${d.Name}=${JSON.stringify(d.Value)}`)
    .join(",");
  return `${p.Namespace} ${p.MetricName} ${dims}`;
};

describe("central alarms", () => {
  const found = alarms(central);

  it("watch the dead-letter and on-failure queues and the notifier's errors and throttles", () => {
    expect(Object.fromEntries(Object.entries(found).map(([id, r]) => [id, watched(r)]))).toEqual({
      FindingsDeadLetterQueueAlarm:
        'AWS/SQS ApproximateNumberOfMessagesVisible QueueName={"Fn::GetAtt":["FindingsDeadLetterQueue","QueueName"]}',
      NotifierFailuresQueueAlarm:
        'AWS/SQS ApproximateNumberOfMessagesVisible QueueName={"Fn::GetAtt":["NotifierFailuresQueue","QueueName"]}',
      NotifierErrorsAlarm: 'AWS/Lambda Errors FunctionName={"Ref":"NotifierFunction"}',
      NotifierThrottlesAlarm: 'AWS/Lambda Throttles FunctionName={"Ref":"NotifierFunction"}',
    });
  });

  it("fire on the first occurrence, stay quiet without data, and notify the CISO topic", () => {
    for (const alarm of Object.values(found)) {
      expect(props(alarm)).toMatchObject({
        Threshold: 1,
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
        EvaluationPeriods: 1,
        TreatMissingData: "notBreaching",
        AlarmActions: [{ Ref: "CisoTopic" }],
      });
    }
  });

  it("let CloudWatch publish to the CISO topic for this account's alarms only", () => {
    const statements = props(central.Resources.FindingsTopicPolicy!).PolicyDocument.Statement;
    const publishDeny = statements.find((s: { Sid: string }) => s.Sid === "OnlyTheNotifierPublishes");
    expect(publishDeny.Condition.StringNotEquals).toEqual({
      "aws:PrincipalServiceName": "cloudwatch.amazonaws.com",
    });
    const allowAlarms = statements.find((s: { Sid: string }) => s.Sid === "EngineAlarmsOfThisAccount");
    expect(allowAlarms).toMatchObject({
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: "sns:Publish",
      Resource: { Ref: "CisoTopic" },
      Condition: { StringEquals: { "aws:SourceAccount": { Ref: "AWS::AccountId" } } },
    });
    // The owner topic (whose subscribers are account owners) gets no alarm.
    expect(JSON.stringify(allowAlarms.Resource)).not.toContain("OwnerTopic");
  });

  it("let CloudWatch use the engine's key, which encrypts the topic, from this account only", () => {
    const key = props(central.Resources.EngineKey!).KeyPolicy.Statement as Record<string, unknown>[];
    expect(key.find((s) => s.Sid === "CloudWatchAlarmsToEncryptedTopic")).toEqual({
      Sid: "CloudWatchAlarmsToEncryptedTopic",
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Resource: "*",
      Condition: {
        // Only for the CISO topic: SNS's encryption context names the topic.
        StringEquals: {
          "aws:SourceAccount": { Ref: "AWS::AccountId" },
          "kms:EncryptionContext:aws:sns:topicArn": {
            "Fn::Sub": "arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:compliance-ciso-findings",
          },
        },
      },
    });
    // The member key encrypts no topic an alarm publishes to.
    const memberKey = props(member.Resources.EngineKey!).KeyPolicy.Statement as Record<string, unknown>[];
    expect(memberKey.map((s) => s.Sid)).not.toContain("CloudWatchAlarmsToEncryptedTopic");
  });
});

describe("member alarms", () => {
  const found = alarms(member);

  it("watch the evaluator, its unwritten evaluations and both failure queues", () => {
    expect(Object.fromEntries(Object.entries(found).map(([id, r]) => [id, watched(r)]))).toEqual({
      EvaluatorErrorsAlarm: 'AWS/Lambda Errors FunctionName={"Ref":"EvaluatorFunction"}',
      EvaluatorThrottlesAlarm: 'AWS/Lambda Throttles FunctionName={"Ref":"EvaluatorFunction"}',
      EvaluationsNotWrittenAlarm: 'ComplianceEngine EvaluationsNotWritten service="config-rule"',
      EvaluatorFailuresQueueAlarm:
        'AWS/SQS ApproximateNumberOfMessagesVisible QueueName={"Fn::GetAtt":["EvaluatorFailuresQueue","QueueName"]}',
      ForwardDeadLetterQueueAlarm:
        'AWS/SQS ApproximateNumberOfMessagesVisible QueueName={"Fn::GetAtt":["ForwardDeadLetterQueue","QueueName"]}',
    });
  });

  it("notify AlarmTopicArn when it is given, and nothing otherwise", () => {
    expect(member.Conditions?.HasAlarmTopic).toEqual({
      "Fn::Not": [{ "Fn::Equals": [{ Ref: "AlarmTopicArn" }, ""] }],
    });
    // Throttling is expected when all sweeps start together: only three throttled hours in a row alarm.
    for (const [id, alarm] of Object.entries(found)) {
      const window = id === "EvaluatorThrottlesAlarm" ? [3600, 3] : [300, 1];
      expect([props(alarm).Period, props(alarm).EvaluationPeriods], id).toEqual(window);
    }
    for (const alarm of Object.values(found)) {
      expect(props(alarm).AlarmActions).toEqual({
        "Fn::If": ["HasAlarmTopic", [{ Ref: "AlarmTopicArn" }], { Ref: "AWS::NoValue" }],
      });
    }
    const pattern = new RegExp(member.Parameters?.AlarmTopicArn?.AllowedPattern ?? "^$");
    expect(pattern.test("")).toBe(true);
    expect(pattern.test("arn:aws:sns:eu-west-1:111122223333:aws-controltower-SecurityNotifications")).toBe(
      true,
    );
    expect(pattern.test("arn:aws:sqs:eu-west-1:111122223333:queue")).toBe(false);
  });

  it("watch the metric name and dimension the evaluator really emits", () => {
    // The handler's metrics: powertools Metrics with this namespace and serviceName, which it
    // publishes as the `service` dimension; the failing write adds EvaluationsNotWritten.
    const handler = readFileSync(new URL("../../handlers/config-rule.ts", import.meta.url), "utf8");
    expect(handler).toContain('new Metrics({ namespace: "ComplianceEngine", serviceName: "config-rule" })');
    expect(handler).toContain('metrics.addMetric("EvaluationsNotWritten"');
  });
});
