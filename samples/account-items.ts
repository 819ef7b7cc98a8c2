// The sample organisation's account items: one `AWS::::Account` item per sample account, as the
// account rule's scheduled sweep builds it (handlers/config/account/item.ts) from the account-level
// APIs. AWS Config records no such item, so these are built from the response examples of each
// API's reference (AWS CLI Command Reference, IAM User Guide's credential report format), with the
// changes each account's story needs, listed below:
//   111111111111 payments-prod   clean, but Lambda concurrent executions at 72% of the quota
//                                (fails the 60% headroom required at availability 3)
//   222222222222 payments-dev    no Security Hub, no GuardDuty, an access key 200 days old: none of
//                                that is required at C1I1A1
//   333333333333 data-sandbox    root has an access key and the Config recorder is stopped
//   444444444444 ledger-staging  the CloudTrail calls were denied: the trail part is missing and
//                                named in FailedCalls
// Written by samples/generate.ts next to the Config snapshots, as `<account>_Account_<region>.json`.

import { writeFileSync } from "node:fs";
import { join } from "node:path";

type Raw = Record<string, unknown>;

const REGION = "eu-west-1";
/** When the sample sweep read the accounts; the credential report's ages count from here. */
export const CAPTURED = "2026-11-01T06:00:00.000Z";

const REPORT_COLUMNS =
  "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated".split(
    ",",
  );

const row = (values: string[]) => Object.fromEntries(REPORT_COLUMNS.map((c, i) => [c, values[i] ?? "N/A"]));

function credentialReport(account: string, deployerKeyRotated: string): Raw[] {
  const na = (n: number) => Array.from({ length: n }, () => "N/A");
  return [
    row([
      "<root_account>",
      `arn:aws:iam::${account}:root`,
      "2019-03-04T09:12:00+00:00",
      "not_supported",
      "2026-10-20T08:01:44+00:00",
      "not_supported",
      "not_supported",
      "true",
      "false",
      ...na(4),
      "false",
      ...na(4),
      "false",
      "N/A",
      "false",
      "N/A",
    ]),
    row([
      "ci-deployer",
      `arn:aws:iam::${account}:user/ci-deployer`,
      "2025-06-02T12:00:00+00:00",
      "false",
      "N/A",
      "N/A",
      "N/A",
      "false",
      "true",
      deployerKeyRotated,
      "2026-10-31T23:10:00+00:00",
      REGION,
      "cloudformation",
      "false",
      ...na(4),
      "false",
      "N/A",
      "false",
      "N/A",
    ]),
  ];
}

function cleanConfiguration(account: string): Raw {
  return {
    configurationRecordersStatus: [
      {
        name: "default",
        lastStartTime: "2025-09-01T10:13:17.819Z",
        lastStopTime: "2025-09-01T10:13:12.835Z",
        recording: true,
        lastStatus: "SUCCESS",
        lastStatusChangeTime: "2026-11-01T05:50:34.344Z",
      },
    ],
    configurationRecorders: [
      {
        name: "default",
        roleARN: `arn:aws:iam::${account}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
        recordingGroup: { allSupported: true, includeGlobalResourceTypes: true, resourceTypes: [] },
      },
    ],
    deliveryChannels: [
      {
        name: "default",
        s3BucketName: "org-config-555555555555",
        snsTopicARN: `arn:aws:sns:${REGION}:${account}:config-topic`,
      },
    ],
    trails: [
      {
        Name: "organisation-trail",
        S3BucketName: "org-cloudtrail-555555555555",
        IncludeGlobalServiceEvents: true,
        IsMultiRegionTrail: true,
        HomeRegion: REGION,
        TrailARN: `arn:aws:cloudtrail:${REGION}:555555555555:trail/organisation-trail`,
        LogFileValidationEnabled: true,
        HasCustomEventSelectors: false,
        HasInsightSelectors: false,
        IsOrganizationTrail: true,
        status: {
          IsLogging: true,
          LatestDeliveryTime: "2026-11-01T05:58:02.869Z",
          StartLoggingTime: "2025-09-01T10:20:00.695Z",
          TimeLoggingStarted: "2025-09-01T10:20:00Z",
        },
        eventSelectors: [{ ReadWriteType: "All", IncludeManagementEvents: true, DataResources: [] }],
      },
    ],
    publicAccessBlock: {
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    },
    accountSummary: {
      Users: 1,
      Roles: 31,
      RolesQuota: 1000,
      Policies: 6,
      MFADevices: 1,
      MFADevicesInUse: 1,
      AccountMFAEnabled: 1,
      AccountAccessKeysPresent: 0,
      AccountSigningCertificatesPresent: 0,
    },
    // IAM ListVirtualMFADevices (assigned): none, root's MFA device is a hardware key.
    virtualMFADevices: [],
    passwordPolicy: {
      MinimumPasswordLength: 14,
      RequireSymbols: true,
      RequireNumbers: true,
      RequireUppercaseCharacters: true,
      RequireLowercaseCharacters: true,
      AllowUsersToChangePassword: true,
      ExpirePasswords: false,
      PasswordReusePrevention: 24,
    },
    credentialReport: credentialReport(account, "2026-09-15T12:00:00+00:00"),
    analyzers: [
      {
        arn: `arn:aws:access-analyzer:${REGION}:${account}:analyzer/organisation`,
        name: "organisation",
        type: "ORGANIZATION",
        createdAt: "2025-09-01T10:30:00.000Z",
        status: "ACTIVE",
        tags: {},
      },
    ],
    securityHub: {
      HubArn: `arn:aws:securityhub:${REGION}:${account}:hub/default`,
      SubscribedAt: "2025-09-01T10:35:10.046Z",
      AutoEnableControls: true,
      ControlFindingGenerator: "SECURITY_CONTROL",
    },
    guardDutyDetectors: [
      {
        DetectorId: "12abc34d567e8fa901bc2d34e56789f0",
        CreatedAt: "2025-09-01T10:36:00.000Z",
        FindingPublishingFrequency: "SIX_HOURS",
        ServiceRole: `arn:aws:iam::${account}:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty`,
        Status: "ENABLED",
        UpdatedAt: "2026-10-01T09:00:00.000Z",
        Tags: {},
        Features: [
          { Name: "S3_DATA_EVENTS", Status: "ENABLED" },
          { Name: "LAMBDA_NETWORK_LOGS", Status: "ENABLED" },
        ],
      },
    ],
    // GetServiceSetting's ServiceSetting (Systems Manager API Reference), set as FSBP SSM.7 and SSM.6 ask.
    ssmPublicSharingPermission: serviceSetting(
      account,
      "/ssm/documents/console/public-sharing-permission",
      "Disable",
    ),
    ssmAutomationLogDestination: serviceSetting(
      account,
      "/ssm/automation/customer-script-log-destination",
      "CloudWatch",
    ),
    // GetAlternateContact SECURITY's AlternateContact (AWS Account Management API Reference).
    securityContact: {
      AlternateContactType: "SECURITY",
      EmailAddress: "secops@example.com",
      Name: "Security operations",
      PhoneNumber: "+44 20 7946 0000",
      Title: "Security team",
    },
    quotas: [
      {
        serviceCode: "lambda",
        quotaCode: "L-B99A9384",
        quotaName: "Concurrent executions",
        value: 1000,
        usage: 212,
      },
      {
        serviceCode: "dynamodb",
        quotaCode: "L-F98FE922",
        quotaName: "Maximum number of tables",
        value: 2500,
        usage: 14,
      },
    ],
  };
}

function serviceSetting(account: string, SettingId: string, SettingValue: string): Raw {
  return {
    SettingId,
    SettingValue,
    LastModifiedDate: "2025-09-01T10:40:00.000Z",
    LastModifiedUser: `arn:aws:sts::${account}:assumed-role/platform-admin/ops`,
    ARN: `arn:aws:ssm:${REGION}:${account}:servicesetting${SettingId}`,
    Status: "Customized",
  };
}

function item(account: string, configuration: Raw, failedCalls: Raw[] = []): Raw {
  return {
    version: "1.3",
    resourceType: "AWS::::Account",
    resourceId: account,
    resourceName: account,
    accountId: account,
    awsRegion: REGION,
    configurationItemCaptureTime: CAPTURED,
    configurationItemStatus: "OK",
    configuration,
    supplementaryConfiguration: failedCalls.length > 0 ? { FailedCalls: failedCalls } : {},
    tags: {},
    relationships: [],
  };
}

/** One account item per sample account. */
export function sampleAccountItems(): Record<string, Raw> {
  const prod = cleanConfiguration("111111111111");
  (prod.quotas as Raw[])[0]!.usage = 720;

  const dev = cleanConfiguration("222222222222");
  dev.securityHub = null;
  dev.guardDutyDetectors = [];
  dev.credentialReport = credentialReport("222222222222", "2026-04-15T12:00:00+00:00");

  const sandbox = cleanConfiguration("333333333333");
  (sandbox.accountSummary as Raw).AccountAccessKeysPresent = 1;
  const status = (sandbox.configurationRecordersStatus as Raw[])[0]!;
  status.recording = false;
  status.lastStopTime = "2026-10-28T17:42:10.102Z";

  const staging = cleanConfiguration("444444444444");
  delete staging.trails;
  return {
    "111111111111": item("111111111111", prod),
    "222222222222": item("222222222222", dev),
    "333333333333": item("333333333333", sandbox),
    "444444444444": item("444444444444", staging, [
      {
        part: "trails",
        call: "CloudTrail DescribeTrails, GetTrailStatus and GetEventSelectors",
        error:
          "AccessDeniedException: User: arn:aws:sts::444444444444:assumed-role/compliance-evaluator/compliance-evaluator is not authorized to perform: cloudtrail:DescribeTrails",
      },
    ]),
  };
}

/** Writes `<account>_Account_<region>.json` into the sample's items folder. */
export function writeAccountItems(itemsDir: string): void {
  for (const [account, raw] of Object.entries(sampleAccountItems())) {
    writeFileSync(join(itemsDir, `${account}_Account_${REGION}.json`), `${JSON.stringify(raw, null, 2)}\n`);
  }
}
