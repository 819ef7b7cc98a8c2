// The `AWS::::Account` item the sweep builds (handlers/config/account/), read by the real AWS SDK
// clients from local endpoints that speak each API's own protocol, then judged by the engine
// against policies/account.json: the item's parts, `null` for "not configured", a failed call's
// part left out and named, and only the controls that read it failing.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { evaluate } from "../../../engine/evaluate.ts";
import { normalise } from "../../../engine/normalise.ts";
import type { EvaluationRecord } from "../../../engine/types.ts";
import { createAccountClients } from "../../../handlers/config/account/clients.ts";
import { accountItem } from "../../../handlers/config/account/item.ts";
import { ACCOUNT_PARTS } from "../../../rules/account-part.ts";
import { AccountEndpoint, accountEndpointEnv } from "../../support/account-endpoint.ts";
import { ConfigEndpoint } from "../../support/config-endpoint.ts";
import { ACCOUNT_ID, cleanAccount, cleanRecorder, reportCsv, reportRows } from "./support/account.ts";
import { sourceCatalogue } from "./support/expected.ts";

type Raw = Record<string, unknown>;

let config: ConfigEndpoint;
let account: AccountEndpoint;
const saved = { ...process.env };

beforeAll(async () => {
  config = await ConfigEndpoint.start();
  account = await AccountEndpoint.start(cleanAccount(new Date()));
  Object.assign(process.env, {
    AWS_REGION: "eu-west-1",
    AWS_ACCESS_KEY_ID: "AKIDTEST",
    AWS_SECRET_ACCESS_KEY: "test-secret",
    AWS_ENDPOINT_URL_CONFIG_SERVICE: config.url,
    ...accountEndpointEnv(account.url),
  });
});

afterAll(async () => {
  process.env = saved;
  await account?.close();
  await config?.close();
});

beforeEach(() => {
  config.reset();
  config.recorder = cleanRecorder();
  account.reset(cleanAccount(new Date()));
});

async function build(): Promise<Raw> {
  return accountItem(createAccountClients(), {
    accountId: ACCOUNT_ID,
    awsRegion: "eu-west-1",
    now: new Date(),
  });
}

function judge(item: Raw): EvaluationRecord {
  const { catalogue } = sourceCatalogue();
  return evaluate(normalise(item), catalogue, {
    rating: { c: 3, i: 3, a: 3 },
    now: new Date(),
    waivers: [],
  });
}

const failing = (record: EvaluationRecord) =>
  record.findings.filter((f) => f.status === "FAIL").map((f) => f.controlId);

describe("the account item", () => {
  it("holds every part, member names as the APIs return them, and a clean account is compliant", async () => {
    const item = await build();
    expect(item).toMatchObject({
      resourceType: "AWS::::Account",
      resourceId: ACCOUNT_ID,
      accountId: ACCOUNT_ID,
      awsRegion: "eu-west-1",
      configurationItemStatus: "OK",
      supplementaryConfiguration: {},
    });
    const c = item.configuration as Raw;
    expect(Object.keys(c).sort()).toEqual(Object.keys(ACCOUNT_PARTS).sort());
    expect(c.configurationRecordersStatus).toEqual(cleanRecorder().ConfigurationRecordersStatus);
    expect(c.trails).toEqual(cleanAccount(new Date()).trails);
    expect(c.publicAccessBlock).toEqual(cleanAccount(new Date()).publicAccessBlock);
    expect(c.accountSummary).toMatchObject({ AccountMFAEnabled: 1, AccountAccessKeysPresent: 0 });
    // ListVirtualMFADevices read over the query protocol: the member names as the SDK returns them.
    expect(c.virtualMFADevices).toEqual(cleanAccount(new Date()).virtualMFADevices);
    expect(account.callsOf("IAM").find((q) => q.operation === "ListVirtualMFADevices")?.body).toContain(
      "AssignmentStatus=Assigned",
    );
    // The CSV parsed to objects keyed by its columns; a quoted user name keeps its comma.
    expect(c.credentialReport).toEqual(
      reportRows(new Date()).map((r) => expect.objectContaining({ user: r.user })),
    );
    expect((c.credentialReport as Raw[])[1]).toMatchObject({ user: "ops,break-glass", mfa_active: "true" });
    expect(c.guardDutyDetectors).toEqual([
      expect.objectContaining({ DetectorId: "12abc34d567e8fa901bc2d34e56789f0", Status: "ENABLED" }),
    ]);
    expect(c.securityHub).toMatchObject({
      HubArn: `arn:aws:securityhub:eu-west-1:${ACCOUNT_ID}:hub/default`,
    });
    expect(c.quotas).toEqual([
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
        usage: 3,
      },
    ]);
    // The DynamoDB quota was never raised: its default came from GetAWSDefaultServiceQuota.
    expect(account.callsOf("ServiceQuotas").map((q) => q.operation)).toEqual([
      "GetServiceQuota",
      "GetServiceQuota",
      "GetAWSDefaultServiceQuota",
    ]);
    // S3 Control reached the local endpoint as configured: no account prefix on a loopback host
    // (on AWS the host is `<account>.s3-control.<region>.amazonaws.com`).
    expect(account.callsOf("S3Control").map((q) => q.host)).toEqual([`localhost:${account.port}`]);

    const record = judge(item);
    expect(failing(record)).toEqual([]);
    expect(record.compliance).toBe("COMPLIANT");
    expect(record.findings.filter((f) => f.status === "PASS").length).toBe(20);
  });

  it("reads the Systems Manager settings and the security contact as the APIs return them", async () => {
    const item = await build();
    const c = item.configuration as Raw;
    const clean = cleanAccount(new Date());
    expect(c.ssmPublicSharingPermission).toEqual(
      clean.serviceSettings["/ssm/documents/console/public-sharing-permission"],
    );
    expect(c.ssmAutomationLogDestination).toEqual(
      clean.serviceSettings["/ssm/automation/customer-script-log-destination"],
    );
    expect(c.securityContact).toEqual(clean.securityContact);
    expect(
      account
        .callsOf("SSM")
        .map((q) => JSON.parse(q.body).SettingId)
        .sort(),
    ).toEqual([
      "/ssm/automation/customer-script-log-destination",
      "/ssm/documents/console/public-sharing-permission",
    ]);
    expect(account.callsOf("Account").map((q) => JSON.parse(q.body))).toEqual([
      { AlternateContactType: "SECURITY" },
    ]);
  });

  it("no security contact (ResourceNotFoundException) is null and fails ACCOUNT.SECURITY-CONTACT alone", async () => {
    account.state.securityContact = null;
    const item = await build();
    expect((item.configuration as Raw).securityContact).toBeNull();
    expect(item.supplementaryConfiguration).toEqual({});
    const record = judge(item);
    expect(failing(record)).toEqual(["ACCOUNT.SECURITY-CONTACT"]);
    expect(record.findings.find((f) => f.controlId === "ACCOUNT.SECURITY-CONTACT")?.message).toContain(
      "configuration.securityContact is null",
    );
  });

  it("any other GetAlternateContact error leaves the part out and fails closed naming the call", async () => {
    account.fail("Account.GetAlternateContact");
    const item = await build();
    expect(item.configuration).not.toHaveProperty("securityContact");
    expect(item.supplementaryConfiguration).toEqual({
      FailedCalls: [
        {
          part: "securityContact",
          call: "Account Management GetAlternateContact (SECURITY)",
          error: expect.stringMatching(/^AccessDeniedException: /),
        },
      ],
    });
    const record = judge(item);
    expect(failing(record)).toEqual(["ACCOUNT.SECURITY-CONTACT"]);
    expect(record.findings.find((f) => f.controlId === "ACCOUNT.SECURITY-CONTACT")?.message).toContain(
      "configuration.securityContact is missing: the call Account Management GetAlternateContact (SECURITY) failed",
    );
  });

  it("public sharing of documents allowed fails ACCOUNT.SSM-DOCUMENT-PUBLIC-SHARING-BLOCKED alone", async () => {
    const id = "/ssm/documents/console/public-sharing-permission";
    account.state.serviceSettings[id] = {
      ...account.state.serviceSettings[id],
      SettingValue: "Enable",
      Status: "Default",
      LastModifiedUser: "System",
    };
    const record = judge(await build());
    expect(failing(record)).toEqual(["ACCOUNT.SSM-DOCUMENT-PUBLIC-SHARING-BLOCKED"]);
  });

  it("a denied GetServiceSetting fails both Systems Manager controls, naming each setting's call", async () => {
    account.fail("SSM.GetServiceSetting");
    const item = await build();
    const c = item.configuration as Raw;
    expect(c).not.toHaveProperty("ssmPublicSharingPermission");
    expect(c).not.toHaveProperty("ssmAutomationLogDestination");
    expect(c).toHaveProperty("securityContact");
    const record = judge(item);
    expect(failing(record).sort()).toEqual([
      "ACCOUNT.SSM-AUTOMATION-LOGGING",
      "ACCOUNT.SSM-DOCUMENT-PUBLIC-SHARING-BLOCKED",
    ]);
    expect(record.findings.find((f) => f.controlId === "ACCOUNT.SSM-AUTOMATION-LOGGING")?.message).toContain(
      "configuration.ssmAutomationLogDestination is missing: the call Systems Manager GetServiceSetting (/ssm/automation/customer-script-log-destination) failed",
    );
  });

  it("one setting that cannot be read leaves only its own part out", async () => {
    delete account.state.serviceSettings["/ssm/automation/customer-script-log-destination"];
    const item = await build();
    expect(item.configuration).not.toHaveProperty("ssmAutomationLogDestination");
    expect(item.configuration).toHaveProperty("ssmPublicSharingPermission");
    expect(item.supplementaryConfiguration).toEqual({
      FailedCalls: [
        expect.objectContaining({
          part: "ssmAutomationLogDestination",
          error: expect.stringMatching(/^ServiceSettingNotFound: /),
        }),
      ],
    });
    expect(failing(judge(item))).toEqual(["ACCOUNT.SSM-AUTOMATION-LOGGING"]);
  });

  it("gives null, not absence, for what is simply not set up, and the controls fail on it", async () => {
    account.state.passwordPolicy = null;
    account.state.securityHub = null;
    account.state.publicAccessBlock = null;
    const item = await build();
    const c = item.configuration as Raw;
    expect([c.passwordPolicy, c.securityHub, c.publicAccessBlock]).toEqual([null, null, null]);
    expect(item.supplementaryConfiguration).toEqual({});
    const record = judge(item);
    expect(failing(record).sort()).toEqual([
      "ACCOUNT.PASSWORD-POLICY",
      "ACCOUNT.S3-PUBLIC-ACCESS-BLOCK",
      "ACCOUNT.SECURITY-HUB",
    ]);
    expect(record.findings.find((f) => f.controlId === "ACCOUNT.SECURITY-HUB")?.message).toContain(
      "configuration.securityHub is null",
    );
  });

  it("leaves a failed call's part out, names the call, and fails only the controls that read it", async () => {
    account.fail("CloudTrail.DescribeTrails");
    const item = await build();
    expect(item.configuration).not.toHaveProperty("trails");
    expect(item.supplementaryConfiguration).toEqual({
      FailedCalls: [
        {
          part: "trails",
          call: ACCOUNT_PARTS.trails,
          error: expect.stringMatching(/^AccessDeniedException: .*not authorized/),
        },
      ],
    });
    const record = judge(item);
    expect(failing(record)).toEqual(["ACCOUNT.ORGANISATION-TRAIL"]);
    expect(record.findings.find((f) => f.controlId === "ACCOUNT.ORGANISATION-TRAIL")?.message).toContain(
      "configuration.trails is missing: the call CloudTrail DescribeTrails",
    );
  });

  it("a failed IAM call fails the credential report controls only; a failed quota read the quota controls only", async () => {
    account.fail("IAM.GetCredentialReport");
    account.fail("CloudWatch.GetMetricData");
    const item = await build();
    expect(Object.keys(item.configuration as Raw)).not.toContain("credentialReport");
    expect(Object.keys(item.configuration as Raw)).not.toContain("quotas");
    const record = judge(item);
    expect(failing(record).sort()).toEqual([
      "ACCOUNT.ACCESS-KEYS-ROTATED",
      "ACCOUNT.CONSOLE-MFA",
      "ACCOUNT.QUOTA-HEADROOM",
      "ACCOUNT.QUOTA-HEADROOM-STRICT",
      "ACCOUNT.UNUSED-CREDENTIALS",
    ]);
    for (const f of record.findings.filter((x) => x.status === "FAIL")) {
      expect(f.message).toMatch(
        /the call (IAM GenerateCredentialReport and GetCredentialReport|Service Quotas GetServiceQuota)/,
      );
    }
  });

  it("fails the hardware-MFA control alone when root's MFA is a virtual device", async () => {
    account.state.virtualMFADevices.push({
      SerialNumber: `arn:aws:iam::${ACCOUNT_ID}:mfa/root-account-mfa-device`,
      User: {
        UserId: ACCOUNT_ID,
        Arn: `arn:aws:iam::${ACCOUNT_ID}:root`,
        CreateDate: "2019-03-04T09:12:00Z",
      },
      EnableDate: "2019-03-04T09:20:11Z",
    });
    const record = judge(await build());
    expect(failing(record)).toEqual(["ACCOUNT.ROOT-HARDWARE-MFA"]);
    // At C2 it is not required: the account stays compliant.
    const { catalogue } = sourceCatalogue();
    const c2 = evaluate(normalise(await build()), catalogue, {
      rating: { c: 2, i: 2, a: 2 },
      now: new Date(),
      waivers: [],
    });
    expect(c2.compliance).toBe("COMPLIANT");
  });

  it("a failed ListVirtualMFADevices fails only the hardware-MFA control, naming the call", async () => {
    account.fail("IAM.ListVirtualMFADevices");
    const item = await build();
    expect(Object.keys(item.configuration as Raw)).not.toContain("virtualMFADevices");
    const record = judge(item);
    expect(failing(record)).toEqual(["ACCOUNT.ROOT-HARDWARE-MFA"]);
    expect(record.findings.find((f) => f.controlId === "ACCOUNT.ROOT-HARDWARE-MFA")?.message).toContain(
      "configuration.virtualMFADevices is missing: the call IAM ListVirtualMFADevices failed",
    );
  });

  it("judges the report's ages against the time the item was read", async () => {
    const rows = reportRows(new Date());
    rows[1]!.access_key_1_last_rotated = "2025-01-01T00:00:00+00:00";
    account.state.credentialReportCsv = reportCsv(rows);
    const record = judge(await build());
    expect(failing(record)).toEqual(["ACCOUNT.ACCESS-KEYS-ROTATED"]);
  });
});
