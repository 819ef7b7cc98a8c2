// Config rule invocation events as AWS Config builds them, around any configuration item.

import { toIsoTime } from "../../../../engine/normalise.ts";

type Raw = Record<string, unknown>;

export interface EventOptions {
  rule?: string;
  resultToken?: string;
  ruleParameters?: Raw | string;
  eventLeftScope?: boolean;
  accountId?: string;
  region?: string;
}

function envelope(invokingEvent: Raw, o: EventOptions): Raw {
  const rule = o.rule ?? "compliance-test";
  const account = o.accountId ?? "123456789012";
  const region = o.region ?? "eu-west-1";
  return {
    version: "1.0",
    invokingEvent: JSON.stringify(invokingEvent),
    ruleParameters:
      typeof o.ruleParameters === "string" ? o.ruleParameters : JSON.stringify(o.ruleParameters ?? {}),
    resultToken: o.resultToken ?? "TESTMODE",
    eventLeftScope: o.eventLeftScope ?? false,
    executionRoleArn: `arn:aws:iam::${account}:role/compliance-config-rule`,
    configRuleArn: `arn:aws:config:${region}:${account}:config-rule/config-rule-abc123`,
    configRuleName: rule,
    configRuleId: "config-rule-abc123",
    accountId: account,
    evaluationMode: "DETECTIVE",
  };
}

export function changeEvent(item: unknown, o: EventOptions = {}): Raw {
  return envelope(
    {
      configurationItemDiff: null,
      configurationItem: item,
      notificationCreationTime: "2024-05-01T10:00:00.000Z",
      messageType: "ConfigurationItemChangeNotification",
      recordVersion: "1.3",
    },
    o,
  );
}

/** The summary an oversized notification carries instead of the item. */
export function summaryOf(raw: Raw): Raw {
  const pick = (...keys: string[]) => keys.map((k) => raw[k]).find((v) => v !== undefined && v !== null);
  const summary: Raw = {
    changeType: "UPDATE",
    configurationItemVersion: pick("configurationItemVersion", "version"),
    configurationItemCaptureTime: toIsoTime(raw.configurationItemCaptureTime),
    configurationStateId: pick("configurationStateId", "configurationStateID"),
    awsAccountId: pick("awsAccountId", "accountId"),
    configurationItemStatus: raw.configurationItemStatus,
    resourceType: raw.resourceType,
    resourceId: raw.resourceId,
    resourceName: raw.resourceName,
    ARN: pick("ARN", "arn"),
    awsRegion: raw.awsRegion,
    availabilityZone: raw.availabilityZone,
    configurationStateMd5Hash: "",
    resourceCreationTime: toIsoTime(raw.resourceCreationTime),
  };
  return Object.fromEntries(Object.entries(summary).filter(([, v]) => v !== undefined));
}

export function oversizedEvent(summary: Raw, o: EventOptions = {}): Raw {
  return envelope(
    {
      configurationItemSummary: summary,
      messageType: "OversizedConfigurationItemChangeNotification",
      notificationCreationTime: "2024-05-01T10:00:00.000Z",
      recordVersion: "1.0",
    },
    o,
  );
}

export const SWEEP_TIME = "2024-05-02T03:00:00.000Z";

export function scheduledEvent(o: EventOptions = {}, at = SWEEP_TIME): Raw {
  return envelope(
    {
      awsAccountId: o.accountId ?? "123456789012",
      notificationCreationTime: at,
      messageType: "ScheduledNotification",
      recordVersion: "1.0",
    },
    o,
  );
}
