// The `AWS::::Account` item: account-level facts that no single resource carries (is the Config
// recorder on, is there an organisation trail, does root have access keys, is a quota nearly used
// up...), read from the account-level APIs in the scheduled sweep and judged like any other item
// by the controls of resource type `AWS::::Account` (policies/account.json).
//
// Each part of `configuration` is one API response, its members spelled as the API returns them
// (docs/ACCOUNT-ITEMS.md lists them). A part whose call failed is absent: the controls that read
// it fail closed naming the call (rules/account-part.ts), and the failures are listed in
// `supplementaryConfiguration.FailedCalls` (`{part, call, error}`) for the people reading the item.
// "Not configured" is not a failure: no password policy and Security Hub not enabled are `null`.

import { ListAnalyzersCommand } from "@aws-sdk/client-accessanalyzer";
import { GetAlternateContactCommand } from "@aws-sdk/client-account";
import {
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
} from "@aws-sdk/client-cloudtrail";
import {
  DescribeConfigurationRecorderStatusCommand,
  DescribeConfigurationRecordersCommand,
  DescribeDeliveryChannelsCommand,
} from "@aws-sdk/client-config-service";
import { GetDetectorCommand, ListDetectorsCommand } from "@aws-sdk/client-guardduty";
import {
  GenerateCredentialReportCommand,
  GetAccountPasswordPolicyCommand,
  GetAccountSummaryCommand,
  GetCredentialReportCommand,
  ListVirtualMFADevicesCommand,
} from "@aws-sdk/client-iam";
import { GetPublicAccessBlockCommand } from "@aws-sdk/client-s3-control";
import { DescribeHubCommand } from "@aws-sdk/client-securityhub";
import { GetServiceSettingCommand } from "@aws-sdk/client-ssm";
import { ACCOUNT_ITEM_TYPE, ACCOUNT_PARTS, type AccountPart } from "../../../rules/account-part.ts";
import type { ItemContext } from "../log-groups.ts";
import type { AccountClients } from "./clients.ts";
import { parseCredentialReport } from "./credential-report.ts";
import { readQuotas } from "./quotas.ts";

export { ACCOUNT_ITEM_TYPE };

export interface FailedCall {
  part: AccountPart;
  call: string;
  error: string;
}

export interface BuildOptions {
  /** Waits between credential report polls; tests pass a fake. */
  sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** An SDK output without its `$metadata`, as plain JSON (dates as ISO strings). */
function plain<T>(value: T): unknown {
  if (value === undefined) return undefined;
  return JSON.parse(JSON.stringify(value, (k, v) => (k === "$metadata" ? undefined : v)));
}

const errorName = (error: unknown) => (error as Error | undefined)?.name ?? "Error";
const describe = (error: unknown) =>
  `${errorName(error)}: ${(error as Error | undefined)?.message ?? String(error)}`;

async function trails(clients: AccountClients): Promise<unknown[]> {
  const out = await clients.cloudTrail.send(new DescribeTrailsCommand({ includeShadowTrails: true }));
  return Promise.all(
    (out.trailList ?? []).map(async (trail) => {
      const name = trail.TrailARN ?? trail.Name;
      const status = await clients.cloudTrail.send(new GetTrailStatusCommand({ Name: name }));
      const selectors = await clients.cloudTrail.send(new GetEventSelectorsCommand({ TrailName: name }));
      return {
        ...(plain(trail) as object),
        status: plain(status),
        ...(selectors.EventSelectors ? { eventSelectors: plain(selectors.EventSelectors) } : {}),
        ...(selectors.AdvancedEventSelectors
          ? { advancedEventSelectors: plain(selectors.AdvancedEventSelectors) }
          : {}),
      };
    }),
  );
}

async function publicAccessBlock(clients: AccountClients, accountId: string): Promise<unknown> {
  try {
    const out = await clients.s3Control.send(new GetPublicAccessBlockCommand({ AccountId: accountId }));
    return plain(out.PublicAccessBlockConfiguration) ?? null;
  } catch (error) {
    // The account has no public access block configuration: known, and nothing blocked.
    if (errorName(error) === "NoSuchPublicAccessBlockConfiguration") return null;
    throw error;
  }
}

async function passwordPolicy(clients: AccountClients): Promise<unknown> {
  try {
    return plain((await clients.iam.send(new GetAccountPasswordPolicyCommand({}))).PasswordPolicy) ?? null;
  } catch (error) {
    if (errorName(error) === "NoSuchEntity" || errorName(error) === "NoSuchEntityException") return null;
    throw error;
  }
}

const REPORT_POLLS = 10;

/** Asks IAM for a fresh report (at most every 4 hours IAM makes a new one) and reads it. */
async function credentialReport(clients: AccountClients, sleep: (ms: number) => Promise<void>) {
  for (let poll = 0; ; poll++) {
    const state = (await clients.iam.send(new GenerateCredentialReportCommand({}))).State;
    if (state === "COMPLETE") break;
    if (poll >= REPORT_POLLS) throw new Error(`credential report still ${state} after ${REPORT_POLLS} polls`);
    await sleep(1_000);
  }
  const out = await clients.iam.send(new GetCredentialReportCommand({}));
  return parseCredentialReport(Buffer.from(out.Content ?? new Uint8Array()).toString("utf8"));
}

/**
 * The virtual MFA devices assigned to a user (paged). The root user's, if any, is the one whose
 * `User.Arn` is `arn:aws:iam::<account>:root`: neither GetAccountSummary nor the credential report
 * tells a virtual device from a hardware one, this list does.
 */
async function virtualMFADevices(clients: AccountClients): Promise<unknown[]> {
  const all: unknown[] = [];
  let Marker: string | undefined;
  do {
    const out = await clients.iam.send(
      new ListVirtualMFADevicesCommand({ AssignmentStatus: "Assigned", ...(Marker ? { Marker } : {}) }),
    );
    all.push(...((plain(out.VirtualMFADevices) as unknown[] | undefined) ?? []));
    Marker = out.IsTruncated ? out.Marker : undefined;
  } while (Marker);
  return all;
}

async function analyzers(clients: AccountClients): Promise<unknown[]> {
  const all: unknown[] = [];
  let nextToken: string | undefined;
  do {
    const out = await clients.accessAnalyzer.send(
      new ListAnalyzersCommand({ ...(nextToken ? { nextToken } : {}) }),
    );
    all.push(...((plain(out.analyzers) as unknown[] | undefined) ?? []));
    nextToken = out.nextToken;
  } while (nextToken);
  return all;
}

async function securityHub(clients: AccountClients): Promise<unknown> {
  try {
    return plain(await clients.securityHub.send(new DescribeHubCommand({})));
  } catch (error) {
    // "Account ... is not subscribed to AWS Security Hub": not enabled, which is an answer.
    if (errorName(error) === "InvalidAccessException") return null;
    throw error;
  }
}

async function guardDutyDetectors(clients: AccountClients): Promise<unknown[]> {
  const ids: string[] = [];
  let nextToken: string | undefined;
  do {
    const out = await clients.guardDuty.send(
      new ListDetectorsCommand({ ...(nextToken ? { NextToken: nextToken } : {}) }),
    );
    ids.push(...(out.DetectorIds ?? []));
    nextToken = out.NextToken || undefined;
  } while (nextToken);
  return Promise.all(
    ids.map(async (DetectorId) => ({
      DetectorId,
      ...(plain(await clients.guardDuty.send(new GetDetectorCommand({ DetectorId }))) as object),
    })),
  );
}

/** One Systems Manager service setting, the `ServiceSetting` object as the API returns it. */
async function serviceSetting(clients: AccountClients, SettingId: string): Promise<unknown> {
  const out = await clients.ssm.send(new GetServiceSettingCommand({ SettingId }));
  if (!out.ServiceSetting) throw new Error(`GetServiceSetting returned no ServiceSetting for ${SettingId}`);
  return plain(out.ServiceSetting);
}

async function securityContact(clients: AccountClients): Promise<unknown> {
  try {
    const out = await clients.account.send(
      new GetAlternateContactCommand({ AlternateContactType: "SECURITY" }),
    );
    return plain(out.AlternateContact) ?? null;
  } catch (error) {
    // No security contact was ever set: an answer (the control fails on it), not a failed call.
    if (errorName(error) === "ResourceNotFoundException") return null;
    throw error;
  }
}

/** The item, with every part that could be read; never throws for a failed call. */
export async function accountItem(
  clients: AccountClients,
  context: ItemContext,
  options: BuildOptions = {},
): Promise<Record<string, unknown>> {
  const sleep = options.sleep ?? realSleep;
  const readers: Record<AccountPart, () => Promise<unknown>> = {
    configurationRecordersStatus: async () =>
      plain(
        (await clients.config.send(new DescribeConfigurationRecorderStatusCommand({})))
          .ConfigurationRecordersStatus,
      ) ?? [],
    configurationRecorders: async () =>
      plain(
        (await clients.config.send(new DescribeConfigurationRecordersCommand({}))).ConfigurationRecorders,
      ) ?? [],
    deliveryChannels: async () =>
      plain((await clients.config.send(new DescribeDeliveryChannelsCommand({}))).DeliveryChannels) ?? [],
    trails: () => trails(clients),
    publicAccessBlock: () => publicAccessBlock(clients, context.accountId),
    accountSummary: async () =>
      plain((await clients.iam.send(new GetAccountSummaryCommand({}))).SummaryMap) ?? {},
    virtualMFADevices: () => virtualMFADevices(clients),
    passwordPolicy: () => passwordPolicy(clients),
    credentialReport: () => credentialReport(clients, sleep),
    analyzers: () => analyzers(clients),
    securityHub: () => securityHub(clients),
    guardDutyDetectors: () => guardDutyDetectors(clients),
    ssmPublicSharingPermission: () =>
      serviceSetting(clients, "/ssm/documents/console/public-sharing-permission"),
    ssmAutomationLogDestination: () =>
      serviceSetting(clients, "/ssm/automation/customer-script-log-destination"),
    securityContact: () => securityContact(clients),
    quotas: () => readQuotas(clients, context.now),
  };
  const configuration: Record<string, unknown> = {};
  const failed: FailedCall[] = [];
  const parts = Object.keys(readers) as AccountPart[];
  const results = await Promise.allSettled(parts.map((part) => readers[part]()));
  results.forEach((result, i) => {
    const part = parts[i] as AccountPart;
    if (result.status === "fulfilled") configuration[part] = result.value;
    else failed.push({ part, call: ACCOUNT_PARTS[part], error: describe(result.reason) });
  });
  return {
    version: "1.3",
    resourceType: ACCOUNT_ITEM_TYPE,
    resourceId: context.accountId,
    resourceName: context.accountId,
    accountId: context.accountId,
    awsRegion: context.awsRegion,
    configurationItemCaptureTime: context.now.toISOString(),
    configurationItemStatus: "OK",
    configuration,
    supplementaryConfiguration: failed.length > 0 ? { FailedCalls: failed } : {},
    tags: {},
    relationships: [],
  };
}
