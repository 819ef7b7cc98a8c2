// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub strings, not JavaScript templates
// The central key lets each AWS service use it only for the engine's own resource, by the
// encryption context AWS documents for that service; the ledger's resource policy lets only the
// notifier write (checked with the IAM policy simulator, an administrator with full access
// included).

import { describe, expect, it } from "vitest";
import type { Resource } from "../../deploy/cfn.ts";
import { LEDGER_LOGICAL_ID, LEDGER_WRITE_ACTIONS } from "../../deploy/ledger-table.ts";
import { readScpSettings } from "../../deploy/scp-settings.ts";
import { synthesise } from "../../deploy/synth.ts";
import { repositoryCatalogue } from "../support/catalogue.ts";
import { ACCOUNT, REGION, simulate } from "./simulate.ts";

const { templates } = synthesise(repositoryCatalogue(), readScpSettings());
const { member, central } = templates;

// biome-ignore lint/suspicious/noExplicitAny: the assertions read deep into template JSON
const props = (r: Resource) => r.Properties as Record<string, any>;
type Statement = {
  Sid: string;
  Principal?: { Service?: unknown };
  Action: string[];
  Condition?: Record<string, Record<string, unknown>>;
};
const keyStatements = (t: typeof central) => props(t.Resources.EngineKey!).KeyPolicy.Statement as Statement[];
const sub = (text: string) => ({ "Fn::Sub": text });
const arn = (service: string, resource: string) =>
  sub(`arn:\${AWS::Partition}:${service}:\${AWS::Region}:\${AWS::AccountId}:${resource}`);

/** A template's Fn::Sub strings with the pseudo parameters of the test account, as deployed. */
function resolve(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(resolve);
  if (value && typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.length === 1 && entries[0]![0] === "Fn::Sub" && typeof entries[0]![1] === "string") {
      return (entries[0]![1] as string)
        .replaceAll("${AWS::Partition}", "aws")
        .replaceAll("${AWS::Region}", REGION)
        .replaceAll("${AWS::AccountId}", ACCOUNT);
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, resolve(v)]));
  }
  return value;
}

describe("the keys' service statements", () => {
  it("name the engine's bus, queues and CISO topic by the documented encryption context keys", () => {
    const byId = Object.fromEntries(keyStatements(central).map((s) => [s.Sid, s]));
    const account = { "aws:SourceAccount": { Ref: "AWS::AccountId" } };
    expect(byId.EventBridgeEncryptsTheBus?.Condition).toEqual({
      StringEquals: {
        ...account,
        "kms:EncryptionContext:aws:events:event-bus:arn": arn("events", "event-bus/compliance-findings"),
      },
    });
    expect(byId.EventBridgeSendsToEngineQueues?.Condition).toEqual({
      StringEquals: account,
      StringLike: { "kms:EncryptionContext:aws:sqs:arn": arn("sqs", "compliance-*") },
    });
    expect(byId.CloudWatchAlarmsToEncryptedTopic?.Condition).toEqual({
      StringEquals: {
        ...account,
        "kms:EncryptionContext:aws:sns:topicArn": arn("sns", "compliance-ciso-findings"),
      },
    });
    expect(byId.CloudWatchLogsOfTheEngine?.Condition?.ArnLike).toEqual({
      "kms:EncryptionContext:aws:logs:arn": arn("logs", "log-group:*"),
    });
  });

  it("give a service principal the data key only under an encryption context and from this account", () => {
    for (const template of [central, member]) {
      const services = keyStatements(template).filter((s) => s.Principal?.Service);
      expect(services.length).toBeGreaterThan(0);
      for (const s of services) {
        if (s.Action.every((a) => a === "kms:DescribeKey")) {
          expect(s.Condition?.StringEquals).toEqual({ "aws:SourceAccount": { Ref: "AWS::AccountId" } });
          continue;
        }
        const keys = Object.values(s.Condition ?? {}).flatMap((c) => Object.keys(c));
        expect(
          keys.filter((k) => k.startsWith("kms:EncryptionContext:aws:")),
          s.Sid,
        ).toHaveLength(1);
      }
    }
  });

  it("give the member key no bus or topic statement: it encrypts neither", () => {
    const sids = keyStatements(member).map((s) => s.Sid);
    expect(sids).toContain("EventBridgeSendsToEngineQueues");
    expect(sids).not.toContain("EventBridgeEncryptsTheBus");
    expect(sids).not.toContain("CloudWatchAlarmsToEncryptedTopic");
  });
});

describe("the ledger's resource policy", () => {
  const table = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/compliance-findings-ledger`;
  const resourcePolicy = resolve(props(central.Resources[LEDGER_LOGICAL_ID]!).ResourcePolicy.PolicyDocument);
  const notifier = `compliance-notifier-${REGION}`;
  const run = (action: string, role: string) =>
    simulate([], { action, role, resource: table, resourcePolicy });

  it("names the table and the notifier role the template creates", () => {
    const text = JSON.stringify(resourcePolicy);
    expect(text).toContain(`"${table}"`);
    expect(props(central.Resources.NotifierRole!).RoleName).toEqual(
      sub("compliance-notifier-${AWS::Region}"),
    );
    expect(text).toContain(`role/${notifier}"`);
  });

  it("denies every write to an administrator, allows them to the notifier", async () => {
    for (const action of LEDGER_WRITE_ACTIONS) {
      expect(await run(action, "administrator"), action).toBe("ExplicitlyDenied");
      expect(await run(action, notifier), action).toBe("Allowed");
    }
  });

  it("leaves reading to whoever IAM allows (the digest and audits read it)", async () => {
    expect(await run("dynamodb:GetItem", "administrator")).toBe("Allowed");
    expect(await run("dynamodb:Scan", "administrator")).toBe("Allowed");
  });
});
