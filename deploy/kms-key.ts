// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub strings, not JavaScript templates
// The customer-managed KMS key of a stack (the catalogue requires customer-managed keys for data at
// the highest confidentiality level): rotated yearly, administered by the account, usable through
// IAM policies, and by the services that encrypt the engine's data on its behalf.

import { type JsonObject, policyDocument, type Resource, ref, sub } from "./cfn.ts";
import { ENGINE_TAG, PREFIX } from "./names.ts";

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

const thisAccount = { "aws:SourceAccount": ref("AWS::AccountId") };
const arnOf = (service: string, resource: string) =>
  sub(`arn:\${AWS::Partition}:${service}:\${AWS::Region}:\${AWS::AccountId}:${resource}`);

/** EventBridge checks the key of a customer-managed-key bus, and of encrypted queue targets. */
const eventBridgeDescribeStatement: JsonObject = {
  Sid: "EventBridgeChecksTheKey",
  Effect: "Allow",
  Principal: { Service: "events.amazonaws.com" },
  Action: ["kms:DescribeKey"],
  Resource: "*",
  Condition: { StringEquals: thisAccount },
};

/**
 * The services use the key only with the encryption context AWS documents for each, naming the
 * engine's own resource (by name, not by reference: the resources name the key, a reference back
 * would be circular): EventBridge `aws:events:event-bus:arn`, SQS `aws:sqs:arn`, SNS
 * `aws:sns:topicArn`.
 */
function serviceStatement(
  sid: string,
  service: string,
  actions: string[],
  context: JsonObject,
  operator: "StringEquals" | "StringLike",
): JsonObject {
  // The context values are strings to KMS (as the services' own examples compare them).
  const condition: JsonObject =
    operator === "StringEquals"
      ? { StringEquals: { ...thisAccount, ...context } }
      : { StringEquals: thisAccount, StringLike: context };
  return {
    Sid: sid,
    Effect: "Allow",
    Principal: { Service: service },
    Action: actions,
    Resource: "*",
    Condition: condition,
  };
}

export interface EngineKeyOptions {
  /** The name of the event bus the key encrypts. */
  eventBus?: string;
  /** EventBridge delivers to queues (targets, dead-letter queues) the key encrypts. */
  eventBridgeQueues: boolean;
  /** The name of the topic CloudWatch alarms publish to, encrypted with the key. */
  alarmTopic?: string;
  retain: boolean;
}

export function engineKey(description: string, options: EngineKeyOptions): Resource {
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
  if (options.eventBus || options.eventBridgeQueues) statements.push(eventBridgeDescribeStatement);
  if (options.eventBus) {
    statements.push(
      serviceStatement(
        "EventBridgeEncryptsTheBus",
        "events.amazonaws.com",
        ["kms:Decrypt", "kms:GenerateDataKey"],
        {
          "kms:EncryptionContext:aws:events:event-bus:arn": arnOf("events", `event-bus/${options.eventBus}`),
        },
        "StringEquals",
      ),
    );
  }
  if (options.eventBridgeQueues) {
    statements.push(
      serviceStatement(
        "EventBridgeSendsToEngineQueues",
        "events.amazonaws.com",
        ["kms:Decrypt", "kms:GenerateDataKey"],
        { "kms:EncryptionContext:aws:sqs:arn": arnOf("sqs", `${PREFIX}*`) },
        "StringLike",
      ),
    );
  }
  if (options.alarmTopic) {
    statements.push(
      serviceStatement(
        "CloudWatchAlarmsToEncryptedTopic",
        "cloudwatch.amazonaws.com",
        ["kms:Decrypt", "kms:GenerateDataKey*"],
        { "kms:EncryptionContext:aws:sns:topicArn": arnOf("sns", options.alarmTopic) },
        "StringEquals",
      ),
    );
  }
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
