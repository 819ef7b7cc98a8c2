// The functions' roles allow exactly the AWS API calls their handlers make: the SDK commands the
// handler source imports, read at test time, so a new call in a handler fails here until the
// template grants it, and a grant nobody uses fails too.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import type { JsonObject, Resource } from "../../deploy/cfn.ts";
import { readScpSettings } from "../../deploy/scp-settings.ts";
import { synthesise } from "../../deploy/synth.ts";
import { repositoryCatalogue } from "../support/catalogue.ts";
import { ROOT } from "../support/cli.ts";

/** IAM prefix of each AWS SDK v3 client package the handlers use. */
const PREFIX_OF_CLIENT: Record<string, string> = {
  "client-account": "account",
  "client-accessanalyzer": "access-analyzer",
  "client-cloudtrail": "cloudtrail",
  "client-cloudwatch": "cloudwatch",
  "client-guardduty": "guardduty",
  "client-iam": "iam",
  "client-s3-control": "s3",
  "client-securityhub": "securityhub",
  "client-service-quotas": "servicequotas",
  "client-cloudwatch-logs": "logs",
  "client-config-service": "config",
  "client-dynamodb": "dynamodb",
  "client-organizations": "organizations",
  "client-sns": "sns",
  "client-ssm": "ssm",
};

/** SDK commands whose IAM action is spelled differently (the Service Authorization Reference's names). */
const ACTION_OF_COMMAND: Record<string, string> = {
  "s3:GetPublicAccessBlock": "s3:GetAccountPublicAccessBlock", // S3 Control's account-level call
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const path = join(dir, f);
    return statSync(path).isDirectory() ? files(path) : path.endsWith(".ts") ? [path] : [];
  });
}

/** `prefix:Action` for every `XxxCommand` imported from an AWS SDK client in these files. */
function apiCalls(paths: string[]): string[] {
  const calls = new Set<string>();
  for (const path of paths) {
    const text = readFileSync(path, "utf8");
    for (const match of text.matchAll(
      /import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*"@aws-sdk\/(client-[a-z0-9-]+)"/g,
    )) {
      const prefix = PREFIX_OF_CLIENT[match[2]!];
      const commands = match[1]!
        .split(",")
        .map((n) => n.trim().replace(/^type\s+/, ""))
        .filter((n) => n.endsWith("Command"));
      if (commands.length === 0) continue;
      if (!prefix) throw new Error(`${relative(ROOT, path)}: no IAM prefix known for @aws-sdk/${match[2]}`);
      for (const command of commands) {
        const call = `${prefix}:${command.replace(/Command$/, "")}`;
        calls.add(ACTION_OF_COMMAND[call] ?? call);
      }
    }
  }
  return [...calls].sort();
}

const handlers = join(ROOT, "handlers");
const shared = files(join(handlers, "shared"));
const evaluatorSources = [join(handlers, "config-rule.ts"), ...files(join(handlers, "config")), ...shared];
const notifierSources = [join(handlers, "notifier.ts"), ...files(join(handlers, "notifier")), ...shared];

const { templates } = synthesise(repositoryCatalogue(), readScpSettings());

/** What the role allows, less what the Lambda runtime itself uses (logs, traces, keys, the event source). */
function roleCalls(role: Resource): string[] {
  const runtime = /^(logs:CreateLogStream|logs:PutLogEvents|xray:.*|kms:.*|sqs:.*)$/;
  return (role.Properties.Policies as { PolicyDocument: { Statement: JsonObject[] } }[])
    .flatMap((p) => p.PolicyDocument.Statement)
    .filter((s) => s.Effect === "Allow")
    .flatMap((s) => s.Action as string[])
    .filter((a) => !runtime.test(a))
    .sort();
}

describe("least privilege from the handlers' own calls", () => {
  it("the evaluator's role allows exactly the calls of handlers/config-rule.ts", () => {
    const calls = apiCalls(evaluatorSources);
    expect(calls).toContain("config:PutEvaluations");
    expect(roleCalls(templates.member.Resources.EvaluatorRole!)).toEqual(calls);
  });

  it("the notifier's role allows exactly the calls of handlers/notifier.ts", () => {
    const calls = apiCalls(notifierSources);
    expect(calls).toContain("sns:Publish");
    expect(roleCalls(templates.central.Resources.NotifierRole!)).toEqual(calls);
  });
});
