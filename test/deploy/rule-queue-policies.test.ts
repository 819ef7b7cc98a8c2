// EventBridge sends to an SQS queue (a rule's target, or the dead-letter queue of a target) only
// if the queue's policy allows events.amazonaws.com with that rule as aws:SourceArn; otherwise the
// events are dropped silently. For every rule of every generated template, every queue it sends
// to must admit it: a rule added later without the policy fails here.

import { describe, expect, it } from "vitest";
import type { Json, Template } from "../../deploy/cfn.ts";
import { readScpSettings } from "../../deploy/scp-settings.ts";
import { synthesise } from "../../deploy/synth.ts";
import { repositoryCatalogue } from "../support/catalogue.ts";

const { templates } = synthesise(repositoryCatalogue(), readScpSettings());
const all = Object.entries(templates) as [string, Template][];

interface Statement {
  Effect: string;
  Principal?: { Service?: string | string[] };
  Action: string | string[];
  Resource: Json;
  Condition?: Record<string, Record<string, Json>>;
}

const list = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The logical id of the queue an ARN expression names (`Fn::GetAtt: [id, "Arn"]`), if it is one of `template`'s queues. */
function queueOf(template: Template, arn: unknown): string | undefined {
  const getAtt = (arn as { "Fn::GetAtt"?: [string, string] } | undefined)?.["Fn::GetAtt"];
  if (getAtt?.[1] !== "Arn") return undefined;
  return template.Resources[getAtt[0]]?.Type === "AWS::SQS::Queue" ? getAtt[0] : undefined;
}

/** Every (rule, queue, how) where a rule of `template` sends to a queue of it. */
function ruleSends(template: Template): { rule: string; queue: string; as: string }[] {
  const out: { rule: string; queue: string; as: string }[] = [];
  for (const [rule, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== "AWS::Events::Rule") continue;
    const targets = (resource.Properties.Targets ?? []) as {
      Id: string;
      Arn: Json;
      DeadLetterConfig?: { Arn: Json };
    }[];
    for (const target of targets) {
      const queue = queueOf(template, target.Arn);
      if (queue) out.push({ rule, queue, as: `target ${target.Id}` });
      const deadLetter = queueOf(template, target.DeadLetterConfig?.Arn);
      if (deadLetter) out.push({ rule, queue: deadLetter, as: `dead-letter queue of target ${target.Id}` });
    }
  }
  return out;
}

/** Whether a queue policy of `template` lets EventBridge send `rule`'s events to `queue`. */
function admits(template: Template, queue: string, rule: string): boolean {
  const queueArn = { "Fn::GetAtt": [queue, "Arn"] };
  const ruleArn = { "Fn::GetAtt": [rule, "Arn"] };
  return Object.values(template.Resources).some((resource) => {
    if (resource.Type !== "AWS::SQS::QueuePolicy") return false;
    if (!list(resource.Properties.Queues as Json[]).some((q) => same(q, { Ref: queue }))) return false;
    const statements = list((resource.Properties.PolicyDocument as { Statement?: Statement[] }).Statement);
    return statements.some(
      (s) =>
        s.Effect === "Allow" &&
        list(s.Principal?.Service).includes("events.amazonaws.com") &&
        list(s.Action).some((a) => a === "sqs:SendMessage" || a === "sqs:*") &&
        list(s.Resource).some((r) => same(r, queueArn)) &&
        list(s.Condition?.ArnEquals?.["aws:SourceArn"]).some((a) => same(a, ruleArn)),
    );
  });
}

describe.each(all)("the %s template", (_name, template) => {
  it("lets every EventBridge rule send to each queue it targets or dead-letters to", () => {
    const refused = ruleSends(template)
      .filter(({ rule, queue }) => !admits(template, queue, rule))
      .map(({ rule, queue, as }) => `${rule} -> ${queue} (${as})`);
    expect(refused).toEqual([]);
  });
});

describe("the central template", () => {
  it("has its schedules dead-letter to the findings dead-letter queue (what the check above covers)", () => {
    const sends = ruleSends(templates.central as Template).filter(
      (s) => s.queue === "FindingsDeadLetterQueue",
    );
    expect(sends.map((s) => s.rule)).toEqual([
      "FindingsRule",
      "OwnerSyncRule",
      "DigestRule",
      "RetryPendingRule",
    ]);
  });
});
