// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub strings, not JavaScript templates
// The central template (security account): the findings bus that admits the organisation, the
// queue (with its dead-letter queue) feeding the notifier, the notifier, the findings ledger, the
// owner and CISO topics, the KMS key they share, and the owner-sync and digest schedules. The
// parameter RolloutMode (default quiet) is the notifier's ROLLOUT_MODE: a quiet go-live.

import { COMPLIANCE_CHANGE, CONFIG_EVENT_SOURCE } from "../engine/config-events.ts";
import { functionAlarm, queueDepthAlarm } from "./alarms.ts";
import {
  allow,
  denyInsecureTransport,
  eventTargetQueuePolicy,
  getAtt,
  ifThen,
  type Json,
  type JsonObject,
  type Parameter,
  policyDocument,
  type Resource,
  ref,
  serviceRole,
  sub,
  type Template,
} from "./cfn.ts";
import { engineKey } from "./kms-key.ts";
import {
  failureDestination,
  LOG_RETENTION_DAYS,
  lambdaFunction,
  runtimeStatements,
  sendFailures,
  writeOwnLogs,
} from "./lambda-function.ts";
import { LEDGER_LOGICAL_ID, LEDGER_WRITE_ACTIONS, ledgerTableResource } from "./ledger-table.ts";
import {
  CISO_TOPIC,
  DIGEST_RULE,
  ENGINE_TAG,
  FINDINGS_BUS,
  FINDINGS_DLQ,
  FINDINGS_QUEUE,
  FINDINGS_RULE,
  KEY_ALIAS,
  NOTIFIER_FAILURES_QUEUE,
  NOTIFIER_FUNCTION,
  NOTIFIER_HANDLER,
  NOTIFIER_ROLE,
  OWNER_SYNC_RULE,
  OWNER_TOPIC,
  PREFIX,
  RETRY_PENDING_RULE,
} from "./names.ts";

/**
 * Memory and timeout of the notifier (docs/DEPLOYMENT.md, "Memory and timeout"): a batch of up
 * to 10 findings costs a few Organizations, DynamoDB and SNS calls each; the scheduled owner sync
 * and digest page through every account and the whole ledger, under Organizations' throttling.
 */
export const NOTIFIER_MEMORY_MB = 512;
export const NOTIFIER_TIMEOUT_SECONDS = 300;
/** AWS's advice for SQS event sources: visibility timeout at least six times the function timeout. */
export const QUEUE_VISIBILITY_SECONDS = 6 * NOTIFIER_TIMEOUT_SECONDS;
/** Deliveries of one message before it goes to the dead-letter queue. */
export const MAX_RECEIVE_COUNT = 5;
/** The ledger's table name: engine-prefixed, so the SCP protects it. */
export const LEDGER_TABLE_NAME = `${PREFIX}findings-ledger`;

export const CENTRAL_PARAMETERS: Record<string, Parameter> = {
  OrganizationId: {
    Type: "String",
    Description: "The AWS Organizations id (o-...): only its accounts may put events on the findings bus.",
    AllowedPattern: "^o-[a-z0-9]{10,32}$",
  },
  ManagementAccountId: {
    Type: "String",
    Description:
      "The organisation's management account: the notifier's Organizations permissions name its accounts.",
    AllowedPattern: "^\\d{12}$",
  },
  CodeBucket: {
    Type: "String",
    Description: "S3 bucket (in this region) holding the notifier package (npm run package).",
    AllowedPattern: "^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$",
  },
  NotifierCodeKey: {
    Type: "String",
    Description: "S3 key of notifier.zip; use a content-addressed key (its sha256).",
  },
  CisoEmail: {
    Type: "String",
    Description: "E-mail address subscribed to the CISO topic (empty: subscribe later).",
    Default: "",
    AllowedPattern: "^$|^[^@\\s]+@[^@\\s]+$",
  },
  OwnerSyncSchedule: {
    Type: "String",
    Description: "When the owner topic's subscriptions are reconciled with the accounts' owner tags.",
    Default: "rate(6 hours)",
  },
  DigestSchedule: {
    Type: "String",
    Description: "When the digest of long-open findings goes out.",
    Default: "cron(0 7 ? * MON *)",
  },
  RetryPendingSchedule: {
    Type: "String",
    Description: "When notifications that SNS refused and no later delivery retried are sent again.",
    Default: "rate(1 hour)",
  },
  RolloutMode: {
    Type: "String",
    Description:
      "quiet for the go-live: every finding is recorded, owners get a daily digest of all their open findings, the CISO one summary per digest, nobody a message per finding. normal: per-finding notices, for transitions after the switch only (findings open at the switch stay in the digest).",
    AllowedValues: ["quiet", "normal"],
    Default: "quiet",
  },
  QuietDigestSchedule: {
    Type: "String",
    Description:
      "When the digest goes out while RolloutMode is quiet (DigestSchedule applies in normal mode).",
    Default: "cron(0 7 * * ? *)",
  },
  DigestDays: {
    Type: "Number",
    Description:
      "Findings open longer than this many days go into the digest (while RolloutMode is quiet: every open finding).",
    Default: 7,
    MinValue: 1,
  },
  PlatformRoleName: {
    Type: "String",
    Description:
      "The platform role (scp.json platformRoleName) that deploys this stack: with the notifier, the only one that may subscribe to the findings topics (the CISO subscription).",
    Default: "compliance-platform",
    AllowedPattern: "^[\\w+=,.@-]{1,64}$",
  },
  LogRetentionDays: {
    Type: "Number",
    Description: "Retention of the notifier's logs: at least a year (the catalogue's log retention rule).",
    AllowedValues: LOG_RETENTION_DAYS,
    Default: 365,
  },
};

const keyArn = getAtt("EngineKey", "Arn");

function queue(name: string, retentionSeconds: number, redrive: boolean): Resource {
  const properties: JsonObject = {
    QueueName: name,
    KmsMasterKeyId: keyArn,
    KmsDataKeyReusePeriodSeconds: 300,
    MessageRetentionPeriod: retentionSeconds,
    VisibilityTimeout: QUEUE_VISIBILITY_SECONDS,
  };
  if (redrive) {
    properties.RedrivePolicy = {
      deadLetterTargetArn: getAtt("FindingsDeadLetterQueue", "Arn"),
      maxReceiveCount: MAX_RECEIVE_COUNT,
    };
  }
  return { Type: "AWS::SQS::Queue", DeletionPolicy: "Delete", Properties: properties };
}

function topic(name: string, displayName: string): Resource {
  return {
    Type: "AWS::SNS::Topic",
    Properties: { TopicName: name, DisplayName: displayName, KmsMasterKeyId: keyArn },
  };
}

const topics = [ref("OwnerTopic"), ref("CisoTopic")];
const alarmTopic = [ref("CisoTopic")];
const queues = [getAtt("FindingsQueue", "Arn"), getAtt("FindingsDeadLetterQueue", "Arn")];
const organisationAccounts = sub(
  "arn:${AWS::Partition}:organizations::${ManagementAccountId}:account/${OrganizationId}/*",
);

/**
 * The ledger policy: only the notifier writes the ledger; everyone else (administrators included)
 * may read it, not change or delete its items. Names, not references: the role's policy already
 * names the table.
 */
const ledgerPolicy = policyDocument([
  {
    Sid: "OnlyTheNotifierWrites",
    Effect: "Deny",
    Principal: "*",
    Action: LEDGER_WRITE_ACTIONS,
    Resource: sub(
      `arn:\${AWS::Partition}:dynamodb:\${AWS::Region}:\${AWS::AccountId}:table/${LEDGER_TABLE_NAME}`,
    ),
    Condition: {
      ArnNotEquals: {
        "aws:PrincipalArn": sub(`arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/${NOTIFIER_ROLE}`),
      },
    },
  },
]);

function notifierRole(): Resource {
  return serviceRole({
    roleName: NOTIFIER_ROLE,
    description:
      "Compliance engine notifier: reads the findings queue and Organizations, writes the ledger and topics",
    service: "lambda.amazonaws.com",
    policyName: "notifier",
    statements: [
      allow(
        "ConsumeFindingsQueue",
        ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"],
        getAtt("FindingsQueue", "Arn"),
      ),
      // SQS messages, SNS publishing and the ledger are encrypted with the engine's key.
      allow("UseEngineKey", ["kms:Decrypt", "kms:GenerateDataKey"], keyArn),
      ...runtimeStatements(keyArn).filter((s) => s.Sid !== "DecryptOwnEnvironment"),
      allow("PublishFindings", ["sns:Publish"], topics),
      allow("ManageOwnerSubscriptions", ["sns:ListSubscriptionsByTopic", "sns:Subscribe"], ref("OwnerTopic")),
      allow(
        "ChangeOwnerSubscriptions",
        ["sns:GetSubscriptionAttributes", "sns:SetSubscriptionAttributes", "sns:Unsubscribe"],
        [ref("OwnerTopic"), sub("${OwnerTopic}:*")],
      ),
      allow(
        "FindingsLedger",
        ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Scan"],
        getAtt(LEDGER_LOGICAL_ID, "Arn"),
      ),
      allow(
        "ReadAccountContext",
        ["organizations:DescribeAccount", "organizations:ListParents", "organizations:ListTagsForResource"],
        organisationAccounts,
      ),
      // ListAccounts supports no resource-level permissions.
      allow("ListAccountsForOwnerSync", ["organizations:ListAccounts"], "*"),
      writeOwnLogs("NotifierLogGroup"),
      sendFailures("NotifierFailuresQueue"),
    ],
  });
}

function scheduleRule(name: string, description: string, schedule: Json, input: Json): Resource {
  return {
    Type: "AWS::Events::Rule",
    Properties: {
      Name: name,
      Description: description,
      State: "ENABLED",
      ScheduleExpression: typeof schedule === "string" ? ref(schedule) : schedule,
      Targets: [
        {
          Id: "notifier",
          Arn: getAtt("NotifierFunction", "Arn"),
          Input: input,
          // A schedule that cannot invoke the notifier leaves its event in the dead-letter queue.
          DeadLetterConfig: { Arn: getAtt("FindingsDeadLetterQueue", "Arn") },
        },
      ],
    },
  };
}

function invokeFromRule(rule: string): Resource {
  return {
    Type: "AWS::Lambda::Permission",
    Properties: {
      FunctionName: getAtt("NotifierFunction", "Arn"),
      Action: "lambda:InvokeFunction",
      Principal: "events.amazonaws.com",
      SourceArn: getAtt(rule, "Arn"),
    },
  };
}

export function centralTemplate(): Template {
  const ledger = ledgerTableResource();
  const { logGroup, fn } = lambdaFunction({
    functionName: NOTIFIER_FUNCTION,
    description: "Compliance engine: routes compliance changes to owners and the CISO (notifier.handler)",
    handler: NOTIFIER_HANDLER,
    roleLogicalId: "NotifierRole",
    codeBucket: ref("CodeBucket"),
    codeKey: ref("NotifierCodeKey"),
    memorySize: NOTIFIER_MEMORY_MB,
    timeout: NOTIFIER_TIMEOUT_SECONDS,
    environment: {
      CISO_TOPIC_ARN: ref("CisoTopic"),
      OWNER_TOPIC_ARN: ref("OwnerTopic"),
      LEDGER_TABLE: ref(LEDGER_LOGICAL_ID),
      ROLLOUT_MODE: ref("RolloutMode"),
      LOG_LEVEL: "INFO",
    },
    logGroupLogicalId: "NotifierLogGroup",
    kmsKeyArn: keyArn,
    retainLogs: true,
    deadLetterTargetArn: getAtt("NotifierFailuresQueue", "Arn"),
  });

  const template: Template = {
    AWSTemplateFormatVersion: "2010-09-09",
    Description:
      "Compliance engine, central (security) account: findings bus, notifier, ledger, topics (generated by `compliance synth`, do not edit)",
    Parameters: CENTRAL_PARAMETERS,
    Conditions: {
      HasCisoEmail: { "Fn::Not": [{ "Fn::Equals": [ref("CisoEmail"), ""] }] },
      QuietRollout: { "Fn::Equals": [ref("RolloutMode"), "quiet"] },
    },
    Resources: {
      EngineKey: engineKey("Compliance engine: encrypts the findings bus, queues, topics, ledger and logs", {
        eventBus: FINDINGS_BUS,
        eventBridgeQueues: true,
        alarmTopic: CISO_TOPIC,
        retain: true,
      }),
      EngineKeyAlias: {
        Type: "AWS::KMS::Alias",
        Properties: { AliasName: KEY_ALIAS, TargetKeyId: ref("EngineKey") },
      },
      FindingsBus: {
        Type: "AWS::Events::EventBus",
        Properties: {
          Name: FINDINGS_BUS,
          Description:
            "Compliance changes of the engine's Config rules, from every account of the organisation",
          KmsKeyIdentifier: keyArn,
          Policy: policyDocument([
            {
              Sid: "OrganisationAccountsPutEvents",
              Effect: "Allow",
              Principal: "*",
              Action: "events:PutEvents",
              Resource: sub(
                `arn:\${AWS::Partition}:events:\${AWS::Region}:\${AWS::AccountId}:event-bus/${FINDINGS_BUS}`,
              ),
              // Only Config's compliance changes, as EventBridge documents these condition keys.
              Condition: {
                StringEquals: {
                  "aws:PrincipalOrgID": ref("OrganizationId"),
                  "events:source": "aws.config",
                  "events:detail-type": "Config Rules Compliance Change",
                },
              },
            },
          ]),
        },
      },
      FindingsRule: {
        Type: "AWS::Events::Rule",
        Properties: {
          Name: FINDINGS_RULE,
          Description: "Compliance changes of the engine's rules, to the notifier's queue",
          EventBusName: ref("FindingsBus"),
          State: "ENABLED",
          EventPattern: {
            source: [CONFIG_EVENT_SOURCE],
            "detail-type": [COMPLIANCE_CHANGE],
            detail: { configRuleName: [{ prefix: PREFIX }] },
          },
          Targets: [
            {
              Id: "findings-queue",
              Arn: getAtt("FindingsQueue", "Arn"),
              DeadLetterConfig: { Arn: getAtt("FindingsDeadLetterQueue", "Arn") },
              RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 },
            },
          ],
        },
      },
      FindingsQueue: queue(FINDINGS_QUEUE, 4 * 86400, true),
      FindingsDeadLetterQueue: queue(FINDINGS_DLQ, 14 * 86400, false),
      FindingsQueuePolicy: {
        Type: "AWS::SQS::QueuePolicy",
        Properties: {
          Queues: [ref("FindingsQueue"), ref("FindingsDeadLetterQueue")],
          // Set below from the rules that send to the queues (queueSenders).
          PolicyDocument: {},
        },
      },
      NotifierLogGroup: logGroup,
      NotifierRole: notifierRole(),
      NotifierFunction: fn,
      ...failureDestination("NotifierFunction", "NotifierFailuresQueue", NOTIFIER_FAILURES_QUEUE, keyArn),
      NotifierQueueMapping: {
        Type: "AWS::Lambda::EventSourceMapping",
        Properties: {
          EventSourceArn: getAtt("FindingsQueue", "Arn"),
          FunctionName: ref("NotifierFunction"),
          BatchSize: 10,
          MaximumBatchingWindowInSeconds: 5,
          FunctionResponseTypes: ["ReportBatchItemFailures"],
          // The SCP protects the mapping by this tag (its ARN holds a UUID, not a name).
          Tags: [{ ...ENGINE_TAG }],
          // Few concurrent pollers: AWS Organizations throttles hard.
          ScalingConfig: { MaximumConcurrency: 5 },
        },
      },
      [LEDGER_LOGICAL_ID]: {
        ...ledger,
        Properties: {
          ...ledger.Properties,
          TableName: LEDGER_TABLE_NAME,
          SSESpecification: { SSEEnabled: true, SSEType: "KMS", KMSMasterKeyId: keyArn },
          ResourcePolicy: { PolicyDocument: ledgerPolicy },
        },
      },
      OwnerTopic: topic(OWNER_TOPIC, "Compliance findings for account owners"),
      CisoTopic: topic(CISO_TOPIC, "Compliance findings for the CISO"),
      FindingsTopicPolicy: {
        Type: "AWS::SNS::TopicPolicy",
        Properties: {
          Topics: topics,
          PolicyDocument: policyDocument([
            {
              Sid: "OnlyTheNotifierPublishes",
              Effect: "Deny",
              Principal: "*",
              Action: "sns:Publish",
              Resource: topics,
              // CloudWatch publishes the engine's alarms to the CISO topic (statement below).
              Condition: {
                ArnNotEquals: { "aws:PrincipalArn": getAtt("NotifierRole", "Arn") },
                StringNotEquals: { "aws:PrincipalServiceName": "cloudwatch.amazonaws.com" },
              },
            },
            {
              // Whoever subscribes reads every finding of the organisation.
              Sid: "OnlyTheNotifierAndPlatformSubscribe",
              Effect: "Deny",
              Principal: "*",
              Action: "sns:Subscribe",
              Resource: topics,
              Condition: {
                ArnNotLike: {
                  "aws:PrincipalArn": [
                    getAtt("NotifierRole", "Arn"),
                    sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${PlatformRoleName}"),
                  ],
                },
              },
            },
            denyInsecureTransport(["sns:Publish", "sns:Subscribe"], topics),
            {
              Sid: "EngineAlarmsOfThisAccount",
              Effect: "Allow",
              Principal: { Service: "cloudwatch.amazonaws.com" },
              Action: "sns:Publish",
              Resource: ref("CisoTopic"),
              Condition: {
                ArnLike: {
                  "aws:SourceArn": sub(
                    "arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:*",
                  ),
                },
                StringEquals: { "aws:SourceAccount": ref("AWS::AccountId") },
              },
            },
          ]),
        },
      },
      CisoSubscription: {
        Type: "AWS::SNS::Subscription",
        Condition: "HasCisoEmail",
        Properties: { TopicArn: ref("CisoTopic"), Protocol: "email", Endpoint: ref("CisoEmail") },
      },
      OwnerSyncRule: scheduleRule(
        OWNER_SYNC_RULE,
        "Compliance engine: reconcile owner subscriptions",
        "OwnerSyncSchedule",
        JSON.stringify({ mode: "sync-owners" }),
      ),
      OwnerSyncPermission: invokeFromRule("OwnerSyncRule"),
      DigestRule: scheduleRule(
        DIGEST_RULE,
        "Compliance engine: digest of open findings (daily while the rollout is quiet)",
        ifThen("QuietRollout", ref("QuietDigestSchedule"), ref("DigestSchedule")),
        {
          "Fn::Sub": '{"mode":"digest","days":${DigestDays}}',
        },
      ),
      DigestPermission: invokeFromRule("DigestRule"),
      RetryPendingRule: scheduleRule(
        RETRY_PENDING_RULE,
        "Compliance engine: send notifications still owed",
        "RetryPendingSchedule",
        JSON.stringify({ mode: "retry-pending" }),
      ),
      RetryPendingPermission: invokeFromRule("RetryPendingRule"),
      // The engine's own health goes to the CISO (platform) topic.
      FindingsDeadLetterQueueAlarm: queueDepthAlarm(
        "FindingsDeadLetterQueue",
        "the findings dead-letter queue",
        alarmTopic,
      ),
      NotifierFailuresQueueAlarm: queueDepthAlarm(
        "NotifierFailuresQueue",
        "the notifier's on-failure queue",
        alarmTopic,
      ),
      NotifierErrorsAlarm: functionAlarm("NotifierFunction", "Errors", "notifier", alarmTopic),
      NotifierThrottlesAlarm: functionAlarm("NotifierFunction", "Throttles", "notifier", alarmTopic),
    },
    Outputs: {
      FindingsBusArn: {
        Description: "The member stacks' CentralEventBusArn",
        Value: getAtt("FindingsBus", "Arn"),
      },
      OwnerTopicArn: { Description: "Topic of the account owners", Value: ref("OwnerTopic") },
      CisoTopicArn: { Description: "Topic of the CISO", Value: ref("CisoTopic") },
      LedgerTableName: { Description: "The findings ledger", Value: ref(LEDGER_LOGICAL_ID) },
      DeadLetterQueueUrl: {
        Description: "Findings that failed 5 times; alarm on its depth",
        Value: ref("FindingsDeadLetterQueue"),
      },
    },
  };
  // EventBridge delivers to a queue, as a rule's target or its dead-letter queue, only if the
  // queue's policy admits that rule: every such rule is admitted, so one added later cannot be
  // left out (its failed events would be dropped instead of reaching the dead-letter queue).
  template.Resources.FindingsQueuePolicy!.Properties.PolicyDocument = eventTargetQueuePolicy(
    queues,
    queueSenders(template.Resources, queues).map((rule) => getAtt(rule, "Arn")),
  );
  return template;
}

/** The EventBridge rules with a target, or a target's dead-letter queue, among `queueArns`. */
function queueSenders(resources: Record<string, Resource>, queueArns: readonly Json[]): string[] {
  const wanted = new Set(queueArns.map((arn) => JSON.stringify(arn)));
  const sends = (arn: unknown) => arn !== undefined && wanted.has(JSON.stringify(arn));
  return Object.entries(resources)
    .filter(([, resource]) => resource.Type === "AWS::Events::Rule")
    .filter(([, resource]) =>
      ((resource.Properties.Targets ?? []) as { Arn?: Json; DeadLetterConfig?: { Arn?: Json } }[]).some(
        (target) => sends(target.Arn) || sends(target.DeadLetterConfig?.Arn),
      ),
    )
    .map(([id]) => id);
}
