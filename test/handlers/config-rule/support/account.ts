// A clean account as the account-level APIs describe it, in the shapes the AWS SDK returns
// (the examples of each API's reference, made compliant): every ACCOUNT.* control passes at
// C3I3A3. Tests change one thing at a time. Dates in the credential report are relative to `now`,
// because the handler reads the item at the real time.

import type { AccountState } from "../../../support/account-endpoint.ts";

type Raw = Record<string, unknown>;

export const ACCOUNT_ID = "111111111111";

const daysBefore = (now: Date, days: number) =>
  new Date(now.getTime() - days * 86_400_000).toISOString().replace(/\.\d{3}Z$/, "+00:00");

export const REPORT_COLUMNS = [
  "user",
  "arn",
  "user_creation_time",
  "password_enabled",
  "password_last_used",
  "password_last_changed",
  "password_next_rotation",
  "mfa_active",
  "access_key_1_active",
  "access_key_1_last_rotated",
  "access_key_1_last_used_date",
  "access_key_1_last_used_region",
  "access_key_1_last_used_service",
  "access_key_2_active",
  "access_key_2_last_rotated",
  "access_key_2_last_used_date",
  "access_key_2_last_used_region",
  "access_key_2_last_used_service",
  "cert_1_active",
  "cert_1_last_rotated",
  "cert_2_active",
  "cert_2_last_rotated",
] as const;

export type ReportRow = Record<(typeof REPORT_COLUMNS)[number], string>;

export function reportRows(now: Date): ReportRow[] {
  const row = (values: string[]) =>
    Object.fromEntries(REPORT_COLUMNS.map((c, i) => [c, values[i] ?? "N/A"])) as ReportRow;
  return [
    row([
      "<root_account>",
      `arn:aws:iam::${ACCOUNT_ID}:root`,
      "2019-03-04T09:12:00+00:00",
      "not_supported",
      daysBefore(now, 12),
      "not_supported",
      "not_supported",
      "true",
      "false",
      "N/A",
      "N/A",
      "N/A",
      "N/A",
      "false",
      "N/A",
      "N/A",
      "N/A",
      "N/A",
      "false",
      "N/A",
      "false",
      "N/A",
    ]),
    row([
      "ops,break-glass", // IAM user names may contain commas: the report quotes them
      `arn:aws:iam::${ACCOUNT_ID}:user/ops,break-glass`,
      "2024-02-12T10:20:30+00:00",
      "true",
      daysBefore(now, 3),
      daysBefore(now, 60),
      daysBefore(now, -30),
      "true",
      "true",
      daysBefore(now, 47),
      daysBefore(now, 1),
      "eu-west-1",
      "cloudformation",
      "false",
      "N/A",
      "N/A",
      "N/A",
      "N/A",
      "false",
      "N/A",
      "false",
      "N/A",
    ]),
  ];
}

/** The report as IAM's GetCredentialReport returns it: CSV with a header line. */
export function reportCsv(rows: ReportRow[]): string {
  const field = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [
    REPORT_COLUMNS.join(","),
    ...rows.map((r) => REPORT_COLUMNS.map((c) => field(r[c])).join(",")),
  ].join("\n");
}

/** What AWS Config's Describe* calls answer for a recorder that records everything. */
export function cleanRecorder(): {
  ConfigurationRecorders: Raw[];
  ConfigurationRecordersStatus: Raw[];
  DeliveryChannels: Raw[];
} {
  return {
    ConfigurationRecorders: [
      {
        name: "default",
        roleARN: `arn:aws:iam::${ACCOUNT_ID}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
        recordingGroup: { allSupported: true, includeGlobalResourceTypes: true, resourceTypes: [] },
      },
    ],
    ConfigurationRecordersStatus: [
      {
        name: "default",
        lastStartTime: "2025-09-01T10:13:17.819Z",
        lastStopTime: "2025-09-01T10:13:12.835Z",
        recording: true,
        lastStatus: "SUCCESS",
        lastStatusChangeTime: "2026-11-01T05:50:34.344Z",
      },
    ],
    DeliveryChannels: [
      {
        name: "default",
        s3BucketName: "config-bucket-222222222222",
        snsTopicARN: `arn:aws:sns:eu-west-1:${ACCOUNT_ID}:config-topic`,
      },
    ],
  };
}

export function cleanAccount(now: Date): AccountState {
  return {
    trails: [
      {
        Name: "organisation-trail",
        S3BucketName: "org-cloudtrail-222222222222",
        IncludeGlobalServiceEvents: true,
        IsMultiRegionTrail: true,
        HomeRegion: "eu-west-1",
        TrailARN: "arn:aws:cloudtrail:eu-west-1:222222222222:trail/organisation-trail",
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
      Roles: 24,
      RolesQuota: 1000,
      Policies: 3,
      MFADevices: 2,
      MFADevicesInUse: 2,
      AccountMFAEnabled: 1,
      AccountAccessKeysPresent: 0,
      AccountSigningCertificatesPresent: 0,
    },
    // Root uses a hardware device: the one virtual device is an IAM user's (IAM API Reference,
    // ListVirtualMFADevices response elements).
    virtualMFADevices: [
      {
        SerialNumber: `arn:aws:iam::${ACCOUNT_ID}:mfa/ops-admin`,
        User: {
          Path: "/",
          UserName: "ops-admin",
          UserId: "AIDACKCEVSQ6C2EXAMPLE",
          Arn: `arn:aws:iam::${ACCOUNT_ID}:user/ops-admin`,
          CreateDate: "2024-02-12T10:20:30.000Z",
        },
        EnableDate: "2024-02-12T10:31:02.000Z",
      },
    ],
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
    credentialReportCsv: reportCsv(reportRows(now)),
    analyzers: [
      {
        arn: `arn:aws:access-analyzer:eu-west-1:${ACCOUNT_ID}:analyzer/ConsoleAnalyzer-8a2e1b3c`,
        name: "ConsoleAnalyzer-8a2e1b3c",
        type: "ACCOUNT",
        createdAt: "2025-09-01T10:30:00.000Z",
        status: "ACTIVE",
        tags: {},
      },
    ],
    securityHub: {
      HubArn: `arn:aws:securityhub:eu-west-1:${ACCOUNT_ID}:hub/default`,
      SubscribedAt: "2025-09-01T10:35:10.046Z",
      AutoEnableControls: true,
      ControlFindingGenerator: "SECURITY_CONTROL",
    },
    guardDutyDetectors: [
      {
        DetectorId: "12abc34d567e8fa901bc2d34e56789f0",
        CreatedAt: "2025-09-01T10:36:00.000Z",
        FindingPublishingFrequency: "SIX_HOURS",
        ServiceRole: `arn:aws:iam::${ACCOUNT_ID}:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty`,
        Status: "ENABLED",
        UpdatedAt: "2026-10-01T09:00:00.000Z",
        Tags: {},
        // GetDetector's protection plans (GuardDuty API Reference, DetectorFeatureConfigurationResult).
        Features: [
          { Name: "S3_DATA_EVENTS", Status: "ENABLED" },
          { Name: "LAMBDA_NETWORK_LOGS", Status: "ENABLED" },
        ],
      },
    ],
    quotas: [
      {
        ServiceCode: "lambda",
        QuotaCode: "L-B99A9384",
        QuotaName: "Concurrent executions",
        Value: 1000,
        Unit: "None",
        applied: true,
        UsageMetric: {
          MetricNamespace: "AWS/Usage",
          MetricName: "ConcurrentExecutions",
          MetricDimensions: {
            Class: "None",
            Resource: "ConcurrentExecutions",
            Service: "Lambda",
            Type: "Resource",
          },
          MetricStatisticRecommendation: "Maximum",
        },
      },
      // Never raised: Service Quotas has no applied value, the default holds.
      {
        ServiceCode: "dynamodb",
        QuotaCode: "L-F98FE922",
        QuotaName: "Maximum number of tables",
        Value: 2500,
        applied: false,
      },
    ],
    metrics: { ConcurrentExecutions: [120, 212, 87] },
    tables: ["orders", "payments-ledger", "sessions"],
    // GetServiceSetting (Systems Manager API Reference, response syntax), both set as FSBP asks.
    serviceSettings: Object.fromEntries(
      [
        ["/ssm/documents/console/public-sharing-permission", "Disable"],
        ["/ssm/automation/customer-script-log-destination", "CloudWatch"],
      ].map(([SettingId, SettingValue]) => [
        SettingId,
        {
          SettingId,
          SettingValue,
          LastModifiedDate: "2026-03-09T08:12:44.000Z",
          LastModifiedUser: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/platform-admin/ops`,
          ARN: `arn:aws:ssm:eu-west-1:${ACCOUNT_ID}:servicesetting${SettingId}`,
          Status: "Customized",
        },
      ]),
    ),
    // GetAlternateContact SECURITY (AWS Account Management API Reference, response syntax).
    securityContact: {
      AlternateContactType: "SECURITY",
      EmailAddress: "secops@example.com",
      Name: "Security operations",
      PhoneNumber: "+44 20 7946 0000",
      Title: "Security team",
    },
  };
}
