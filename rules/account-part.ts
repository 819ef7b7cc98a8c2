// Rule RULE.ACCOUNT-PART, keyword `accountPart`: the account item holds the part a control reads.
//
// An `AWS::::Account` item's `configuration` is assembled from account-level API calls, one part
// per call (or group of calls). When a call fails, its part is absent, and every control that
// reads it must fail closed, saying which call failed: `"accountPart": "trails"` requires
// `configuration.trails` and, when it is missing, the message names CloudTrail DescribeTrails.
// The table below is the one home of which call fills which part: the sweep's item builder
// (handlers/config/account/) labels its failures with it too.
//
// A macro keyword: it expands to plain JSON Schema (its words are the `description` the engine
// appends to "is missing"), so Ajv's standalone code generation (the Lambda bundles) still applies.

import type { MacroKeywordDefinition } from "ajv";

export const RULE_ID = "RULE.ACCOUNT-PART";

/** Each part of an account item's configuration and the API call that fills it. */
export const ACCOUNT_PARTS = {
  configurationRecordersStatus: "AWS Config DescribeConfigurationRecorderStatus",
  configurationRecorders: "AWS Config DescribeConfigurationRecorders",
  deliveryChannels: "AWS Config DescribeDeliveryChannels",
  trails: "CloudTrail DescribeTrails, GetTrailStatus and GetEventSelectors",
  publicAccessBlock: "S3 Control GetPublicAccessBlock",
  accountSummary: "IAM GetAccountSummary",
  virtualMFADevices: "IAM ListVirtualMFADevices",
  passwordPolicy: "IAM GetAccountPasswordPolicy",
  credentialReport: "IAM GenerateCredentialReport and GetCredentialReport",
  analyzers: "IAM Access Analyzer ListAnalyzers",
  securityHub: "Security Hub DescribeHub",
  guardDutyDetectors: "GuardDuty ListDetectors and GetDetector",
  ssmPublicSharingPermission:
    "Systems Manager GetServiceSetting (/ssm/documents/console/public-sharing-permission)",
  ssmAutomationLogDestination:
    "Systems Manager GetServiceSetting (/ssm/automation/customer-script-log-destination)",
  securityContact: "Account Management GetAlternateContact (SECURITY)",
  quotas:
    "Service Quotas GetServiceQuota and the usage reads (CloudWatch GetMetricData, DynamoDB ListTables)",
} as const;

export type AccountPart = keyof typeof ACCOUNT_PARTS;

export const ACCOUNT_ITEM_TYPE = "AWS::::Account";

/** The words after "configuration.<part> is missing". */
export function missingPartMessage(part: AccountPart): string {
  return `the call ${ACCOUNT_PARTS[part]} failed or was not made, so this control fails closed`;
}

export const accountPartKeyword: MacroKeywordDefinition = {
  keyword: "accountPart",
  type: "object",
  metaSchema: { type: "string", enum: Object.keys(ACCOUNT_PARTS) },
  macro: (part: AccountPart) => ({
    type: "object",
    required: ["configuration"],
    properties: {
      configuration: {
        type: "object",
        required: [part],
        properties: { [part]: true },
        description: missingPartMessage(part),
      },
    },
  }),
};
