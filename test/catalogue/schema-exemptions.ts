// Where a control may read a path that AWS Config's resource property schema does not list, and why.
// Each entry is checked by test/catalogue/truth-to-aws.test.ts: it must be used by a control, must
// really be missing from the schema, and an embedded document must really be decoded by the normaliser.

import type { AnalyzerSummary } from "@aws-sdk/client-accessanalyzer";
import type { AlternateContact } from "@aws-sdk/client-account";
import type {
  AdvancedEventSelector,
  AdvancedFieldSelector,
  EventSelector,
  GetTrailStatusCommandOutput,
  Trail,
} from "@aws-sdk/client-cloudtrail";
import type { LogGroup } from "@aws-sdk/client-cloudwatch-logs";
import type {
  ConfigurationRecorder,
  ConfigurationRecorderStatus,
  DeliveryChannel,
  RecordingGroup,
} from "@aws-sdk/client-config-service";
import type { DetectorFeatureConfigurationResult, GetDetectorCommandOutput } from "@aws-sdk/client-guardduty";
import type { PasswordPolicy, SummaryKeyType, User, VirtualMFADevice } from "@aws-sdk/client-iam";
import type { PublicAccessBlockConfiguration } from "@aws-sdk/client-s3-control";
import type { DescribeHubCommandOutput } from "@aws-sdk/client-securityhub";
import type { ServiceSetting } from "@aws-sdk/client-ssm";
import type { AccountPart } from "../../rules/account-part.ts";

/** Fields of the canonical item (engine/types.ts ConfigurationItem) outside `configuration`. */
export const ITEM_FIELDS = new Set([
  "version",
  "accountId",
  "arn",
  "resourceType",
  "resourceId",
  "resourceName",
  "awsRegion",
  "availabilityZone",
  "configurationItemCaptureTime",
  "configurationItemStatus",
  "configurationStateId",
  "resourceCreationTime",
  "tags",
  "relationships",
]);

export interface EmbeddedDocument {
  resourceType: string;
  /** Dotted path, as the schema files spell paths. */
  path: string;
  /** JSON pointer into a raw notification-shape item, to prove the normaliser decodes it. */
  probe: string;
}

/**
 * Policy documents AWS Config records as JSON strings (URL-encoded for IAM through the API). The
 * property schemas leave them out; the normaliser decodes and canonicalises them, so a control may
 * read anything at or below these paths.
 */
export const EMBEDDED_DOCUMENTS: EmbeddedDocument[] = [
  {
    resourceType: "AWS::S3::Bucket",
    path: "supplementaryConfiguration.BucketPolicy.policyText",
    probe: "/supplementaryConfiguration/BucketPolicy/policyText",
  },
  { resourceType: "AWS::SNS::Topic", path: "configuration.Policy", probe: "/configuration/Policy" },
  { resourceType: "AWS::SQS::Queue", path: "configuration.Policy", probe: "/configuration/Policy" },
  {
    resourceType: "AWS::KMS::Key",
    path: "supplementaryConfiguration.Policy",
    probe: "/supplementaryConfiguration/Policy",
  },
  {
    resourceType: "AWS::Lambda::Function",
    path: "supplementaryConfiguration.Policy",
    probe: "/supplementaryConfiguration/Policy",
  },
  {
    resourceType: "AWS::IAM::Policy",
    path: "configuration.policyVersionList.document",
    probe: "/configuration/policyVersionList/0/document",
  },
  {
    resourceType: "AWS::IAM::Role",
    path: "configuration.assumeRolePolicyDocument",
    probe: "/configuration/assumeRolePolicyDocument",
  },
  {
    resourceType: "AWS::IAM::Role",
    path: "configuration.rolePolicyList.policyDocument",
    probe: "/configuration/rolePolicyList/0/policyDocument",
  },
  { resourceType: "AWS::Events::EventBus", path: "configuration.Policy", probe: "/configuration/Policy" },
  {
    resourceType: "AWS::IAM::Group",
    path: "configuration.groupPolicyList.policyDocument",
    probe: "/configuration/groupPolicyList/0/policyDocument",
  },
];

export interface SchemaGap {
  resourceType: string;
  path: string;
  /** Why AWS Config records it although the schema snapshot does not list it. */
  evidence: string;
  /** A fixture (under policies/fixtures/) that shows the path recorded, when a real item has it. */
  fixture?: string;
}

/** Properties AWS Config records that the resource property schema snapshot does not list. */
export const SCHEMA_GAPS: SchemaGap[] = [
  {
    resourceType: "AWS::S3::Bucket",
    path: "supplementaryConfiguration.AccessControlList",
    evidence:
      "GetBucketAcl as AWS Config records it for every bucket (owner, grantList), a JSON string the normaliser decodes; the AWS Config managed rule s3-bucket-acl-prohibited evaluates it",
    fixture: "AWS_S3_Bucket/c7n-s3-lifecycle.json",
  },
  {
    resourceType: "AWS::DynamoDB::Table",
    path: "configuration.deletionProtectionEnabled",
    evidence:
      "DescribeTable's DeletionProtectionEnabled (added in 2023, after the schema snapshot) under its Java-bean name, like ssedescription; the AWS Config managed rule dynamodb-table-deletion-protection-enabled evaluates it on configuration changes",
  },
  {
    resourceType: "AWS::ApiGateway::Stage",
    path: "configuration.methodSettings.*",
    evidence:
      'GetStage\'s methodSettings, a map keyed by resourcePath/httpMethod ("*/*" for all methods); the schema files list no map-valued properties',
    fixture: "AWS_ApiGateway_Stage/c7n-select-rest-stage-certificate-filter-config-source-0.json",
  },
  {
    resourceType: "AWS::ApiGatewayV2::Stage",
    path: "configuration.routeSettings.*",
    evidence:
      "GetStage's routeSettings, a map keyed by route key ($connect, $default, sendmessage...) of the same fields as defaultRouteSettings; the real item records it (empty); the schema files list no map-valued properties",
    fixture: "AWS_ApiGatewayV2_Stage/rdk-sample-ci.json",
  },
  {
    resourceType: "AWS::SQS::Queue",
    path: "configuration.RedrivePolicy",
    evidence:
      'the queue\'s configuration is GetQueueAttributes\' attribute map (the real items record Policy, which the schema leaves out too); RedrivePolicy is the attribute naming the dead-letter queue, a JSON string ({"deadLetterTargetArn": ..., "maxReceiveCount": ...}) present only when set',
  },
  {
    resourceType: "AWS::SQS::Queue",
    path: "configuration.RedriveAllowPolicy",
    evidence:
      'GetQueueAttributes\' RedriveAllowPolicy, set on a dead-letter queue to name which source queues may use it, a JSON string ({"redrivePermission": "byQueue", "sourceQueueArns": [...]}) present only when set',
  },
];

/** AWS::Logs::LogGroup has no schema (AWS Config does not record it): its controls read DescribeLogGroups entries. */
export const LOG_GROUP_FIELDS: readonly (keyof LogGroup)[] = ["retentionInDays", "kmsKeyId"];

/** Resource types for which no real configuration item exists in public sources: their cases are inline. */
export const NO_REAL_ITEM = new Set([
  "AWS::Logs::LogGroup",
  "AWS::::Account",
  "AWS::SecretsManager::Secret",
  "AWS::StepFunctions::StateMachine",
  "AWS::Events::EventBus",
  "AWS::Events::Rule",
  "AWS::Events::Endpoint",
  "AWS::S3::AccessPoint",
  "AWS::S3::MultiRegionAccessPoint",
]);

/**
 * AWS::::Account has no schema (AWS Config does not record it; the sweep builds it from the
 * account-level APIs): its controls read these members of each part, spelled as the SDK's output
 * types spell them, so a misspelt member does not compile. `credentialReport` rows are keyed by
 * the report's CSV column names (IAM User Guide, "Getting credential reports").
 */
export const ACCOUNT_FIELDS: Record<AccountPart, readonly string[]> = {
  configurationRecordersStatus: ["recording"] satisfies (keyof ConfigurationRecorderStatus)[],
  configurationRecorders: ["recordingGroup", "recordingGroup.allSupported"] satisfies (
    | keyof ConfigurationRecorder
    | `recordingGroup.${keyof RecordingGroup}`
  )[],
  deliveryChannels: [] satisfies (keyof DeliveryChannel)[],
  trails: [
    "IsMultiRegionTrail",
    "IsOrganizationTrail",
    "LogFileValidationEnabled",
    "status",
    "status.IsLogging",
    "eventSelectors",
    "eventSelectors.IncludeManagementEvents",
    "eventSelectors.ReadWriteType",
    "advancedEventSelectors",
    "advancedEventSelectors.FieldSelectors",
    "advancedEventSelectors.FieldSelectors.Field",
    "advancedEventSelectors.FieldSelectors.Equals",
  ] satisfies (
    | keyof Trail
    | "status"
    | `status.${keyof GetTrailStatusCommandOutput}`
    | "eventSelectors"
    | `eventSelectors.${keyof EventSelector}`
    | "advancedEventSelectors"
    | `advancedEventSelectors.${keyof AdvancedEventSelector}`
    | `advancedEventSelectors.FieldSelectors.${keyof AdvancedFieldSelector}`
  )[],
  publicAccessBlock: [
    "BlockPublicAcls",
    "IgnorePublicAcls",
    "BlockPublicPolicy",
    "RestrictPublicBuckets",
  ] satisfies (keyof PublicAccessBlockConfiguration)[],
  accountSummary: ["AccountAccessKeysPresent", "AccountMFAEnabled"] satisfies `${SummaryKeyType}`[],
  virtualMFADevices: ["User", "User.Arn"] satisfies (keyof VirtualMFADevice | `User.${keyof User}`)[],
  passwordPolicy: [
    "MinimumPasswordLength",
    "PasswordReusePrevention",
    "RequireSymbols",
    "RequireNumbers",
    "RequireUppercaseCharacters",
    "RequireLowercaseCharacters",
  ] satisfies (keyof PasswordPolicy)[],
  credentialReport: [
    "password_enabled",
    "password_last_used",
    "password_last_changed",
    "mfa_active",
    "access_key_1_active",
    "access_key_1_last_rotated",
    "access_key_1_last_used_date",
    "access_key_2_active",
    "access_key_2_last_rotated",
    "access_key_2_last_used_date",
  ],
  analyzers: ["status"] satisfies (keyof AnalyzerSummary)[],
  securityHub: ["HubArn"] satisfies (keyof DescribeHubCommandOutput)[],
  guardDutyDetectors: ["Status", "Features", "Features.Name", "Features.Status"] satisfies (
    | keyof GetDetectorCommandOutput
    | `Features.${keyof DetectorFeatureConfigurationResult}`
  )[],
  ssmPublicSharingPermission: ["SettingValue"] satisfies (keyof ServiceSetting)[],
  ssmAutomationLogDestination: ["SettingValue"] satisfies (keyof ServiceSetting)[],
  securityContact: ["EmailAddress"] satisfies (keyof AlternateContact)[],
  quotas: [],
};
