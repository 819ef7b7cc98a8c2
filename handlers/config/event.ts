// Reads the invocation event AWS Config sends a custom Lambda rule:
// `{invokingEvent: string(JSON), ruleParameters: string(JSON), resultToken, eventLeftScope,
// configRuleName, configRuleArn, accountId, ...}`. Only reads and checks the shape; the engine
// normalises the configuration item.

import { MESSAGE_TYPE } from "../../engine/config-events.ts";
import { MalformedEventError } from "./errors.ts";

type Raw = Record<string, unknown>;

const CHANGE = MESSAGE_TYPE.change;
const OVERSIZED = MESSAGE_TYPE.oversized;
const SCHEDULED = MESSAGE_TYPE.scheduled;

export type RuleMessage =
  | { kind: "change"; configurationItem: Raw; notificationCreationTime?: string }
  | { kind: "oversized"; configurationItemSummary: Raw; notificationCreationTime?: string }
  | { kind: "scheduled"; notificationCreationTime: string; awsAccountId?: string }
  | { kind: "ignored"; messageType: string };

export interface RuleEvent {
  message: RuleMessage;
  messageType: string;
  resultToken: string;
  /** True when AWS Config says the resource left the rule's scope. */
  eventLeftScope: boolean;
  configRuleName: string;
  configRuleArn?: string;
  accountId?: string;
  /** The rule's `InputParameters`: JSON text, as Config sends it (read by ./parameters.ts). */
  ruleParameters?: unknown;
}

const isRecord = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

function invokingEvent(event: Raw): Raw {
  const raw = event.invokingEvent;
  if (isRecord(raw)) return raw; // test tools sometimes send it as an object
  if (typeof raw !== "string") throw new MalformedEventError("event has no `invokingEvent` (a JSON string)");
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new MalformedEventError(`\`invokingEvent\` is not valid JSON: ${(error as Error).message}`);
  }
  if (!isRecord(parsed)) throw new MalformedEventError("`invokingEvent` is not a JSON object");
  return parsed;
}

function message(messageType: string, body: Raw): RuleMessage {
  const created = text(body.notificationCreationTime);
  const at = created ? { notificationCreationTime: created } : {};
  switch (messageType) {
    case CHANGE: {
      const item = body.configurationItem;
      if (!isRecord(item)) throw new MalformedEventError(`${CHANGE} without a \`configurationItem\` object`);
      return { kind: "change", configurationItem: item, ...at };
    }
    case OVERSIZED: {
      const summary = body.configurationItemSummary;
      if (!isRecord(summary)) {
        throw new MalformedEventError(`${OVERSIZED} without a \`configurationItemSummary\` object`);
      }
      if (!text(summary.resourceType) || !text(summary.resourceId)) {
        throw new MalformedEventError("`configurationItemSummary` has no `resourceType` and `resourceId`");
      }
      return { kind: "oversized", configurationItemSummary: summary, ...at };
    }
    case SCHEDULED: {
      if (!created || Number.isNaN(Date.parse(created))) {
        throw new MalformedEventError(`${SCHEDULED} without a valid \`notificationCreationTime\``);
      }
      const account = text(body.awsAccountId);
      return {
        kind: "scheduled",
        notificationCreationTime: created,
        ...(account ? { awsAccountId: account } : {}),
      };
    }
    default:
      return { kind: "ignored", messageType };
  }
}

/** Reads a Config rule invocation event; throws MalformedEventError naming what is wrong. */
export function parseRuleEvent(event: unknown): RuleEvent {
  if (!isRecord(event)) throw new MalformedEventError("the event is not a JSON object");
  const body = invokingEvent(event);
  const messageType = text(body.messageType);
  if (!messageType) throw new MalformedEventError("`invokingEvent` has no `messageType`");
  const parsed = message(messageType, body);
  const resultToken = text(event.resultToken);
  if (!resultToken && parsed.kind !== "ignored") throw new MalformedEventError("event has no `resultToken`");
  const configRuleName = text(event.configRuleName);
  if (!configRuleName && parsed.kind === "scheduled") {
    throw new MalformedEventError("scheduled event has no `configRuleName`");
  }
  const out: RuleEvent = {
    message: parsed,
    messageType,
    resultToken: resultToken ?? "",
    eventLeftScope: event.eventLeftScope === true || event.eventLeftScope === "true",
    configRuleName: configRuleName ?? "",
  };
  const arn = text(event.configRuleArn);
  if (arn) out.configRuleArn = arn;
  const account = text(event.accountId);
  if (account) out.accountId = account;
  if (event.ruleParameters !== undefined) out.ruleParameters = event.ruleParameters;
  return out;
}

/** `TESTMODE` as the result token: PutEvaluations only validates, records nothing. */
export const isTestMode = (resultToken: string): boolean => resultToken === "TESTMODE";
