// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub strings, not JavaScript templates
// The member template: what the StackSet deploys in every account and region of the target OUs.
// The evaluator function, its log group and least-privilege role, one Config rule per catalogue
// service (plus the allowed-services rule), and the forwarding of compliance changes to the
// central bus.

import { truncate } from "../engine/annotation.ts";
import type { Catalogue } from "../engine/catalogue.ts";
import { isRecordedType } from "../engine/catalogue.ts";
import { COMPLIANCE_CHANGE, CONFIG_EVENT_SOURCE, MESSAGE_TYPE } from "../engine/config-events.ts";
import { ALLOWED_SERVICES_RULE } from "../engine/scope.ts";
import { engineMetricAlarm, functionAlarm, queueDepthAlarm, SUSTAINED_HOURS } from "./alarms.ts";
import {
  allow,
  eventTargetQueuePolicy,
  getAtt,
  ifThen,
  type JsonObject,
  NO_VALUE,
  type Parameter,
  type Resource,
  ref,
  serviceRole,
  sub,
  type Template,
} from "./cfn.ts";
import { HOOK_CONDITIONS, HOOK_PARAMETERS, hookResources } from "./hook-template.ts";
import { engineKey } from "./kms-key.ts";
import {
  failureDestination,
  LOG_RETENTION_DAYS,
  lambdaFunction,
  runtimeStatements,
  sendFailures,
  writeOwnLogs,
} from "./lambda-function.ts";
import {
  ALLOWED_SERVICES_RULE_NAME,
  configRuleName,
  EVALUATOR_FAILURES_QUEUE,
  EVALUATOR_FUNCTION,
  EVALUATOR_HANDLER,
  EVALUATOR_ROLE,
  FORWARD_DLQ,
  FORWARD_RULE,
  FORWARDER_ROLE,
  PREFIX,
} from "./names.ts";

/**
 * Memory and timeout of the evaluator (docs/DEPLOYMENT.md, "Memory and timeout"): a change
 * notification evaluates one item in milliseconds; the scheduled sweep of a rule lists every
 * resource of its types, fetches them 100 at a time and writes evaluations 100 at a time, so the
 * timeout covers a large account's sweep with room for throttling retries.
 */
export const EVALUATOR_MEMORY_MB = 512;
/** Lambda's longest: a sweep writes page by page, so a sweep cut short has still written what it read. */
export const EVALUATOR_TIMEOUT_SECONDS = 900;

/** AWS Config's limit on a rule's scope. */
export const MAX_SCOPE_TYPES = 100;
export const EXECUTION_FREQUENCIES = [
  "One_Hour",
  "Three_Hours",
  "Six_Hours",
  "Twelve_Hours",
  "TwentyFour_Hours",
];

export const MEMBER_PARAMETERS: Record<string, Parameter> = {
  CodeBucket: {
    Type: "String",
    Description:
      "S3 bucket holding the evaluator package (npm run package). It must be in the region of each stack: with CodeBucketRegionSuffix=true the name used is <CodeBucket>-<region>.",
    AllowedPattern: "^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$",
  },
  CodeBucketRegionSuffix: {
    Type: "String",
    Description: "true: the bucket of each region is <CodeBucket>-<region> (one bucket per region).",
    AllowedValues: ["true", "false"],
    Default: "true",
  },
  EvaluatorCodeKey: {
    Type: "String",
    Description:
      "S3 key of config-rule.zip; use a content-addressed key (its sha256) so that a new package updates the function.",
  },
  CentralEventBusArn: {
    Type: "String",
    Description: "ARN of the central findings bus (output FindingsBusArn of the central stack).",
    AllowedPattern: "^arn:aws[a-z-]*:events:[a-z0-9-]+:\\d{12}:event-bus/.+$",
  },
  CiaRating: {
    Type: "String",
    Description:
      "Rating the rules evaluate against (a member account cannot read its Organizations tags). Default: the highest.",
    AllowedPattern: "^C[1-3]I[1-3]A[1-3]$",
    Default: "C3I3A3",
  },
  MaximumExecutionFrequency: {
    Type: "String",
    Description: "How often the scheduled sweep of each rule runs.",
    AllowedValues: EXECUTION_FREQUENCIES,
    Default: "TwentyFour_Hours",
  },
  EvaluatorReservedConcurrency: {
    Type: "Number",
    Description:
      "Concurrent evaluator invocations at most, per account and region: all rules' sweeps fire together, and AWS Config throttles PutEvaluations per account. Throttled invocations are retried by Lambda.",
    Default: 10,
    MinValue: 1,
    MaxValue: 100,
  },
  LogRetentionDays: {
    Type: "Number",
    Description: "Retention of the evaluator's logs: at least a year (the catalogue's log retention rule).",
    AllowedValues: LOG_RETENTION_DAYS,
    Default: 365,
  },
  AlarmTopicArn: {
    Type: "String",
    Description:
      "SNS topic of this account and region that the engine's health alarms (evaluator errors, throttles, unwritten evaluations, failure queues) notify; empty: the alarms only change state.",
    Default: "",
    AllowedPattern: "^$|^arn:aws[a-z-]*:sns:[a-z0-9-]+:\\d{12}:[\\w-]{1,256}$",
  },
  ...HOOK_PARAMETERS,
};

const alarmActions = ifThen("HasAlarmTopic", [ref("AlarmTopicArn")], NO_VALUE);

/** A CloudFormation logical id from a service name: `dynamodb` -> `DynamodbRule`. */
export function ruleLogicalId(service: string): string {
  const words = service.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return `${words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join("")}Rule`;
}

function sourceDetails(changeTriggered: boolean): JsonObject[] {
  const details: JsonObject[] = [];
  if (changeTriggered) {
    details.push(
      { EventSource: CONFIG_EVENT_SOURCE, MessageType: MESSAGE_TYPE.change },
      { EventSource: CONFIG_EVENT_SOURCE, MessageType: MESSAGE_TYPE.oversized },
    );
  }
  details.push({
    EventSource: CONFIG_EVENT_SOURCE,
    MessageType: MESSAGE_TYPE.scheduled,
    MaximumExecutionFrequency: ref("MaximumExecutionFrequency"),
  });
  return details;
}

function configRule(
  name: string,
  description: string,
  service: string,
  scope: string[] | "all" | "none",
): Resource {
  const properties: JsonObject = {
    ConfigRuleName: name,
    Description: description,
    InputParameters: { service, ciaRating: ref("CiaRating") },
    Source: {
      Owner: "CUSTOM_LAMBDA",
      SourceIdentifier: getAtt("EvaluatorFunction", "Arn"),
      SourceDetails: sourceDetails(scope !== "none"),
    },
  };
  if (Array.isArray(scope)) properties.Scope = { ComplianceResourceTypes: scope };
  // CloudFormation cannot tag a Config rule (no Tags property): the SCP's tag protection of the
  // rules needs them tagged once after deployment (docs/DEPLOYMENT.md, "Tag the engine's rules").
  return { Type: "AWS::Config::ConfigRule", DependsOn: "EvaluatorConfigPermission", Properties: properties };
}

/** The Config rules: one per catalogue service with resource types, plus the allowed-services rule. */
export function configRules(catalogue: Catalogue): Record<string, Resource> {
  const rules: Record<string, Resource> = {};
  for (const policy of [...catalogue.policies].sort((a, b) => a.service.localeCompare(b.service))) {
    const controls = catalogue.controls.filter((c) => c.service === policy.service).length;
    // A service without controls could only ever say NOT_APPLICABLE, billed per account and region.
    if (policy.resourceTypes.length === 0 || controls === 0) continue;
    const recorded = [...new Set(policy.resourceTypes.filter(isRecordedType))].sort();
    if (recorded.length > MAX_SCOPE_TYPES) {
      throw new Error(
        `${policy.file}: ${recorded.length} resource types, over AWS Config's limit of ${MAX_SCOPE_TYPES} for one rule's scope`,
      );
    }
    const id = ruleLogicalId(policy.service);
    if (rules[id])
      throw new Error(`${policy.file}: service "${policy.service}" gives a duplicate logical id ${id}`);
    // Types AWS Config does not record (AWS::Logs::LogGroup) are checked in the scheduled sweep only.
    const scope = recorded.length > 0 ? recorded : "none";
    rules[id] = configRule(
      configRuleName(policy.service),
      truncate(
        `Compliance engine: ${policy.title}, ${controls} controls (${policy.file.split(/[\\/]/).pop()})`,
        256,
      ),
      policy.service,
      scope,
    );
  }
  rules.AllowedServicesRule = configRule(
    ALLOWED_SERVICES_RULE_NAME,
    "Compliance engine: every recorded resource belongs to a service the catalogue allows",
    ALLOWED_SERVICES_RULE,
    "all",
  );
  return rules;
}

/**
 * What the AWS::::Account item is read with (handlers/config/account/item.ts and quotas.ts), each
 * action on the narrowest resource IAM lets it name: `*` where the action has no resource type
 * (or, for cloudwatch:GetMetricData, only one that AWS/Usage metrics are not: CloudWatch
 * authorises metric reads on `*`). The organisation trail lives in the management account.
 */
export function accountReadStatements(): JsonObject[] {
  const here = (service: string, resource: string) =>
    sub(`arn:\${AWS::Partition}:${service}:\${AWS::Region}:\${AWS::AccountId}:${resource}`);
  return [
    allow(
      "ReadAccountSettings",
      [
        "access-analyzer:ListAnalyzers",
        "cloudtrail:DescribeTrails",
        "cloudwatch:GetMetricData",
        "config:DescribeDeliveryChannels",
        "dynamodb:ListTables",
        "guardduty:ListDetectors",
        "iam:GenerateCredentialReport",
        "iam:GetAccountPasswordPolicy",
        "iam:GetAccountSummary",
        "iam:GetCredentialReport",
        "iam:ListVirtualMFADevices",
        "s3:GetAccountPublicAccessBlock",
        "servicequotas:GetAWSDefaultServiceQuota",
      ],
      "*",
    ),
    allow(
      "ReadTrailStatus",
      ["cloudtrail:GetEventSelectors", "cloudtrail:GetTrailStatus"],
      sub("arn:${AWS::Partition}:cloudtrail:*:*:trail/*"),
    ),
    allow(
      "ReadRecorders",
      ["config:DescribeConfigurationRecorderStatus", "config:DescribeConfigurationRecorders"],
      here("config", "configuration-recorder/*"),
    ),
    allow("ReadDetectors", ["guardduty:GetDetector"], here("guardduty", "detector/*")),
    allow("ReadHub", ["securityhub:DescribeHub"], here("securityhub", "hub/default")),
    allow("ReadQuotas", ["servicequotas:GetServiceQuota"], here("servicequotas", "*")),
    // Only the two Systems Manager settings the SSM controls judge.
    allow(
      "ReadSsmSettings",
      ["ssm:GetServiceSetting"],
      [
        here("ssm", "servicesetting/ssm/documents/console/public-sharing-permission"),
        here("ssm", "servicesetting/ssm/automation/customer-script-log-destination"),
      ],
    ),
    // This account's own alternate contacts (the security contact), not other accounts' of the organisation.
    allow(
      "ReadSecurityContact",
      ["account:GetAlternateContact"],
      sub("arn:${AWS::Partition}:account::${AWS::AccountId}:account"),
    ),
  ];
}

export function memberTemplate(catalogue: Catalogue): Template {
  const codeBucket = ifThen("RegionalCodeBucket", sub("${CodeBucket}-${AWS::Region}"), ref("CodeBucket"));
  const { logGroup, fn } = lambdaFunction({
    functionName: EVALUATOR_FUNCTION,
    description: "Compliance engine: custom AWS Config rule evaluator (config-rule.handler)",
    handler: EVALUATOR_HANDLER,
    roleLogicalId: "EvaluatorRole",
    codeBucket,
    codeKey: ref("EvaluatorCodeKey"),
    memorySize: EVALUATOR_MEMORY_MB,
    timeout: EVALUATOR_TIMEOUT_SECONDS,
    environment: { LOG_LEVEL: "INFO" },
    logGroupLogicalId: "EvaluatorLogGroup",
    kmsKeyArn: getAtt("EngineKey", "Arn"),
    retainLogs: false,
    reservedConcurrency: ref("EvaluatorReservedConcurrency"),
    deadLetterTargetArn: getAtt("EvaluatorFailuresQueue", "Arn"),
  });
  const evaluatorRole = serviceRole({
    roleName: EVALUATOR_ROLE,
    description: "Compliance engine evaluator: reads AWS Config, writes evaluations and its own logs",
    service: "lambda.amazonaws.com",
    policyName: "evaluator",
    statements: [
      // These Config and Logs actions support no resource-level permissions ("*" is the only form).
      allow(
        "ReadConfigAndPutEvaluations",
        [
          "config:BatchGetResourceConfig",
          "config:GetDiscoveredResourceCounts",
          "config:GetResourceConfigHistory",
          "config:ListDiscoveredResources",
          "config:PutEvaluations",
          "logs:DescribeLogGroups",
        ],
        "*",
      ),
      // The account rule's sweep reads account-level settings for the AWS::::Account item.
      ...accountReadStatements(),
      allow(
        "ReadOwnRulesResults",
        ["config:GetComplianceDetailsByConfigRule"],
        sub("arn:${AWS::Partition}:config:${AWS::Region}:${AWS::AccountId}:config-rule/*"),
      ),
      writeOwnLogs("EvaluatorLogGroup"),
      sendFailures("EvaluatorFailuresQueue"),
      allow("EncryptFailedInvocations", ["kms:GenerateDataKey"], getAtt("EngineKey", "Arn")),
      ...runtimeStatements(getAtt("EngineKey", "Arn")),
    ],
  });
  const forwarderRole = serviceRole({
    roleName: FORWARDER_ROLE,
    description: "Compliance engine: EventBridge forwards compliance changes to the central bus",
    service: "events.amazonaws.com",
    policyName: "forward-to-central-bus",
    statements: [allow("PutEventsOnCentralBus", ["events:PutEvents"], ref("CentralEventBusArn"))],
    sourceAccount: true,
  });

  return {
    AWSTemplateFormatVersion: "2010-09-09",
    Description:
      "Compliance engine, member account (deployed by the compliance-member StackSet; generated by `compliance synth`, do not edit)",
    Parameters: MEMBER_PARAMETERS,
    Conditions: {
      RegionalCodeBucket: { "Fn::Equals": [ref("CodeBucketRegionSuffix"), "true"] },
      HasAlarmTopic: { "Fn::Not": [{ "Fn::Equals": [ref("AlarmTopicArn"), ""] }] },
      ...HOOK_CONDITIONS,
    },
    Resources: {
      EngineKey: engineKey("Compliance engine: encrypts the evaluator's environment, logs and dead letters", {
        eventBridgeQueues: true,
        retain: false,
      }),
      EvaluatorLogGroup: logGroup,
      EvaluatorRole: evaluatorRole,
      EvaluatorFunction: fn,
      ...failureDestination(
        "EvaluatorFunction",
        "EvaluatorFailuresQueue",
        EVALUATOR_FAILURES_QUEUE,
        getAtt("EngineKey", "Arn"),
      ),
      EvaluatorConfigPermission: {
        Type: "AWS::Lambda::Permission",
        Properties: {
          FunctionName: getAtt("EvaluatorFunction", "Arn"),
          Action: "lambda:InvokeFunction",
          Principal: "config.amazonaws.com",
          // SourceAccount, not SourceArn: the rules depend on this permission (circular otherwise).
          SourceAccount: ref("AWS::AccountId"),
        },
      },
      ...configRules(catalogue),
      ForwarderRole: forwarderRole,
      ForwardDeadLetterQueue: {
        Type: "AWS::SQS::Queue",
        Properties: {
          QueueName: FORWARD_DLQ,
          KmsMasterKeyId: getAtt("EngineKey", "Arn"),
          KmsDataKeyReusePeriodSeconds: 300,
          MessageRetentionPeriod: 14 * 86400,
        },
      },
      ForwardDeadLetterQueuePolicy: {
        Type: "AWS::SQS::QueuePolicy",
        Properties: {
          Queues: [ref("ForwardDeadLetterQueue")],
          PolicyDocument: eventTargetQueuePolicy(getAtt("ForwardDeadLetterQueue", "Arn"), [
            getAtt("ForwardFindingsRule", "Arn"),
          ]),
        },
      },
      EvaluatorErrorsAlarm: functionAlarm("EvaluatorFunction", "Errors", "evaluator", alarmActions),
      EvaluatorThrottlesAlarm: functionAlarm(
        "EvaluatorFunction",
        "Throttles",
        "evaluator",
        alarmActions,
        SUSTAINED_HOURS,
      ),
      // The handler's own count of evaluations AWS Config refused after every retry (PutEvaluations).
      EvaluationsNotWrittenAlarm: engineMetricAlarm(
        "EvaluationsNotWritten",
        "config-rule",
        "evaluations could not be written to AWS Config (PutEvaluations failed after retries)",
        alarmActions,
      ),
      EvaluatorFailuresQueueAlarm: queueDepthAlarm(
        "EvaluatorFailuresQueue",
        "the evaluator's on-failure queue",
        alarmActions,
      ),
      ForwardDeadLetterQueueAlarm: queueDepthAlarm(
        "ForwardDeadLetterQueue",
        "the dead-letter queue of compliance changes not forwarded to the central bus",
        alarmActions,
      ),
      ForwardFindingsRule: {
        Type: "AWS::Events::Rule",
        Properties: {
          Name: FORWARD_RULE,
          Description: "Compliance engine: forwards the compliance changes of its rules to the central bus",
          State: "ENABLED",
          EventPattern: {
            source: [CONFIG_EVENT_SOURCE],
            "detail-type": [COMPLIANCE_CHANGE],
            detail: { configRuleName: [{ prefix: PREFIX }] },
          },
          Targets: [
            {
              Id: "central-bus",
              Arn: ref("CentralEventBusArn"),
              RoleArn: getAtt("ForwarderRole", "Arn"),
              // Undeliverable changes wait here (14 days) instead of being dropped.
              DeadLetterConfig: { Arn: getAtt("ForwardDeadLetterQueue", "Arn") },
              RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 },
            },
          ],
        },
      },
      ...hookResources(catalogue, codeBucket, getAtt("EngineKey", "Arn")),
    },
    Outputs: {
      EvaluatorFunctionArn: {
        Description: "The evaluator function",
        Value: getAtt("EvaluatorFunction", "Arn"),
      },
    },
  };
}
