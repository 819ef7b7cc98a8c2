// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub strings, not JavaScript templates
// The customer-managed KMS key of a stack (the catalogue requires customer-managed keys for data at
// the highest confidentiality level): rotated yearly, administered by the account, usable through
// IAM policies, and by the services that encrypt the engine's data on its behalf.

import { type JsonObject, policyDocument, type Resource, ref, sub } from "./cfn.ts";
import { ENGINE_TAG } from "./names.ts";

const ACCOUNT_ROOT = { AWS: sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root") };

/** The key administration actions (no kms:*: the account administers, it does not get everything). */
const ADMINISTRATION = [
  "kms:CancelKeyDeletion",
  "kms:Create*",
  "kms:Delete*",
  "kms:Describe*",
  "kms:Disable*",
  "kms:Enable*",
  "kms:Get*",
  "kms:List*",
  "kms:Put*",
  "kms:Revoke*",
  "kms:ScheduleKeyDeletion",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:Update*",
];

/** CloudWatch Logs encrypting the log groups of this account and region. */
const logsStatement: JsonObject = {
  Sid: "CloudWatchLogsOfTheEngine",
  Effect: "Allow",
  Principal: { Service: sub("logs.${AWS::Region}.amazonaws.com") },
  Action: ["kms:Decrypt*", "kms:Describe*", "kms:Encrypt*", "kms:GenerateDataKey*", "kms:ReEncrypt*"],
  Resource: "*",
  Condition: {
    ArnLike: {
      "kms:EncryptionContext:aws:logs:arn": sub(
        "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:*",
      ),
    },
  },
};

/** EventBridge encrypting the bus and sending to encrypted queues, for this account only. */
const eventBridgeStatement: JsonObject = {
  Sid: "EventBridgeBusAndQueueTargets",
  Effect: "Allow",
  Principal: { Service: "events.amazonaws.com" },
  // DescribeKey: EventBridge checks the key of a customer-managed-key bus with it.
  Action: ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey"],
  Resource: "*",
  Condition: { StringEquals: { "aws:SourceAccount": ref("AWS::AccountId") } },
};

/** CloudWatch alarms of this account publishing to a topic encrypted with the key. */
const cloudWatchAlarmsStatement: JsonObject = {
  Sid: "CloudWatchAlarmsToEncryptedTopics",
  Effect: "Allow",
  Principal: { Service: "cloudwatch.amazonaws.com" },
  Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
  Resource: "*",
  Condition: { StringEquals: { "aws:SourceAccount": ref("AWS::AccountId") } },
};

export function engineKey(
  description: string,
  options: { eventBridge: boolean; cloudWatchAlarms?: boolean; retain: boolean },
): Resource {
  const statements: JsonObject[] = [
    {
      Sid: "KeyAdministrationByTheAccount",
      Effect: "Allow",
      Principal: ACCOUNT_ROOT,
      Action: ADMINISTRATION,
      Resource: "*",
    },
    {
      Sid: "KeyUseGrantedByIamPolicies",
      Effect: "Allow",
      Principal: ACCOUNT_ROOT,
      Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"],
      Resource: "*",
    },
    logsStatement,
  ];
  if (options.eventBridge) statements.push(eventBridgeStatement);
  if (options.cloudWatchAlarms) statements.push(cloudWatchAlarmsStatement);
  const policy = options.retain ? "Retain" : "Delete";
  return {
    Type: "AWS::KMS::Key",
    DeletionPolicy: policy,
    UpdateReplacePolicy: policy,
    Properties: {
      Description: description,
      EnableKeyRotation: true,
      PendingWindowInDays: 30,
      KeyPolicy: policyDocument(statements),
      // The SCP protects the engine's keys by this tag (ScheduleKeyDeletion, DisableKey, PutKeyPolicy).
      Tags: [{ ...ENGINE_TAG }],
    },
  };
}
