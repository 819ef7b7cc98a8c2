// The service control policies generated from the catalogue, made to live beside a landing zone
// (AWS Control Tower, Landing Zone Accelerator):
//   1. the allow-list: keep FullAWSAccess, add one Deny with NotAction over every allowed prefix
//      (the catalogue's, the settings' extras and the security services a platform runs);
//   2. the protection of the compliance tooling for everyone but the exempt roles (platform,
//      landing zone, StackSet execution, break-glass): recording, the engine's tagged Config rules,
//      keys and event-source mapping, the engine tag itself, the exempt and engine role names
//      (nobody else may create one), the engine's resources by name, ledger item writes and topic
//      subscriptions (the notifier only);
//   3. EC2 only for the break-glass, platform and landing-zone roles (default VPCs can be deleted);
//   4. the optional region restriction, global services exempt.
// Written minified and checked against the 5,120-character limit. The allow-list cannot be split
// (two NotAction denies in different SCPs intersect), so when it does not fit alone, that is an error.

import type { Catalogue } from "../engine/catalogue.ts";
import { LEDGER_WRITE_ACTIONS } from "./ledger-table.ts";
import { ENGINE_TAG, PREFIX } from "./names.ts";
import type { ScpSettings } from "./scp-settings.ts";

/** The limit of an SCP's size, whitespace included (AWS Organizations quotas). */
export const SCP_MAX_CHARACTERS = 5120;
/** The region restriction's statement id. */
const REGION_SID = "DenyOutsideAllowedRegions";
/** At most 5 SCPs per target; FullAWSAccess takes one. */
export const SCP_MAX_GENERATED = 4;

export interface ScpStatement {
  Sid: string;
  Effect: "Deny";
  Action?: string[];
  NotAction?: string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface GeneratedScp {
  /** The AWS Organizations policy name, e.g. `compliance-allow-list`. */
  name: string;
  description: string;
  document: { Version: "2012-10-17"; Statement: ScpStatement[] };
  /** The minified text, as attached. */
  content: string;
  size: number;
}

export interface ScpResult {
  /** The allowed IAM prefixes, sorted. */
  allowedPrefixes: string[];
  policies: GeneratedScp[];
}

/** The allow-list does not fit in one SCP: the numbers, and what to do. */
export class ScpTooLargeError extends Error {
  override name = "ScpTooLargeError";
  /** The scp.json field that adds to the allow-list (the catalogue's services add too). */
  readonly field = "extraAllowedPrefixes";
  constructor(
    readonly size: number,
    readonly prefixes: number,
  ) {
    super(
      `the allow-list SCP is ${size} characters minified, over the ${SCP_MAX_CHARACTERS}-character limit by ${
        size - SCP_MAX_CHARACTERS
      } (${prefixes} service prefixes). An allow-list cannot be split across SCPs (their denies intersect): ` +
        "remove services from the catalogue or extraAllowedPrefixes, or replace FullAWSAccess with Allow lists " +
        "(docs/DEPLOYMENT.md, 'When the allow-list does not fit')",
    );
  }
}

/**
 * One statement other than the allow-list does not fit in an SCP alone (a statement cannot be
 * split either): the numbers, the scp.json field that makes it long, and what to do.
 */
export class ScpStatementTooLargeError extends Error {
  override name = "ScpStatementTooLargeError";
  /** The scp.json field the statement grows with. */
  readonly field: string;
  constructor(
    readonly sid: string,
    readonly size: number,
  ) {
    const regions = sid === REGION_SID;
    super(
      `the SCP statement ${sid} alone is ${size} characters minified, over the ${SCP_MAX_CHARACTERS}-character limit by ${
        size - SCP_MAX_CHARACTERS
      }, and a statement cannot be split across SCPs: ${
        regions
          ? 'list fewer globalServiceActions in scp.json (one wildcard per service, such as "iam:*", covers all its actions)'
          : "name fewer or shorter exempt roles in scp.json (exemptRoleNamePatterns, landingZoneRoles, breakGlassRoles; wildcards cover several)"
      }`,
    );
    this.field = regions ? "globalServiceActions" : "exemptRoleNamePatterns";
  }
}

/** Whether an error of `buildServiceControlPolicies` is one of the settings and catalogue (not a fault). */
export function isScpFitError(
  error: unknown,
): error is ScpTooLargeError | ScpStatementTooLargeError | ScpSlotsError {
  return (
    error instanceof ScpTooLargeError ||
    error instanceof ScpStatementTooLargeError ||
    error instanceof ScpSlotsError
  );
}

/** The policies need more SCP slots than the targets have free. */
export class ScpSlotsError extends Error {
  override name = "ScpSlotsError";
  /** The scp.json field to change. */
  readonly field = "availablePolicySlots";
  constructor(
    readonly needed: number,
    readonly available: number,
    readonly sizes: number[],
  ) {
    super(
      `the SCPs need ${needed} policies (${sizes.join(", ")} characters) but availablePolicySlots in scp.json allows ${available}: ` +
        "each root, OU and account takes at most 5 SCPs, and FullAWSAccess and the landing zone's own take the others. " +
        "Free a slot on the targets (then raise availablePolicySlots), or allow fewer services or regions " +
        "(docs/DEPLOYMENT.md, 'SCP slots')",
    );
  }
}

/**
 * The config actions that would switch recording off. AWS Control Tower denies the same ones to
 * everyone but its own execution role; here the landing zone's roles, the platform role and the
 * break-glass roles keep them (Control Tower must still manage the recorder it owns).
 */
export const PROTECTED_CONFIG_ACTIONS = [
  "config:DeleteConfigurationAggregator",
  "config:DeleteConfigurationRecorder",
  "config:DeleteDeliveryChannel",
  "config:DeleteRetentionConfiguration",
  "config:PutConfigurationRecorder",
  "config:PutDeliveryChannel",
  "config:PutRetentionConfiguration",
  "config:StopConfigurationRecorder",
];

/**
 * Changes to the engine's resources that carry the engine tag (`aws:ResourceTag/compliance-engine`
 * = `true`, as Control Tower protects its own rules by `aws-control-tower`): its Config rules
 * (whose ARNs hold no name), its KMS keys and the notifier's event-source mapping. Other teams'
 * Config rules and keys stay theirs.
 */
export const TAG_PROTECTED_ACTIONS = [
  "config:DeleteConfigRule",
  "config:DeleteEvaluationResults",
  "config:DeleteRemediationConfiguration",
  "config:PutConfigRule",
  "kms:CancelKeyDeletion",
  "kms:DisableKey",
  "kms:DisableKeyRotation",
  "kms:PutKeyPolicy",
  "kms:ScheduleKeyDeletion",
  "kms:UpdateKeyDescription",
  "lambda:DeleteEventSourceMapping",
  "lambda:UpdateEventSourceMapping",
];

/** Adding or removing the engine tag on anything. */
export const TAGGING_ACTIONS = [
  "config:TagResource",
  "config:UntagResource",
  "kms:TagResource",
  "kms:UntagResource",
  "lambda:TagResource",
  "lambda:UntagResource",
];

/**
 * What would let someone make a role that the protection exempts, or take over one: denied on the
 * exempt and engine role names to everyone but the exempt principals. Without it, `iam:CreateRole`
 * of a role named like an exempt one is a two-call bypass.
 */
export const ROLE_ACTIONS = [
  "iam:AttachRolePolicy",
  "iam:CreateRole",
  "iam:DeleteRole",
  "iam:DeleteRolePermissionsBoundary",
  "iam:DeleteRolePolicy",
  "iam:DetachRolePolicy",
  "iam:PassRole",
  "iam:PutRolePermissionsBoundary",
  "iam:PutRolePolicy",
  "iam:TagRole",
  "iam:UntagRole",
  "iam:UpdateAssumeRolePolicy",
  "iam:UpdateRole",
  "iam:UpdateRoleDescription",
];

/**
 * Changes to the engine's own resources, by name (deploy/names.ts). Deliberately not the actions
 * the engine itself uses at run time (events:PutEvents to the central bus, sns:Publish,
 * config:PutEvaluations): the engine's roles are not exempt and must keep working.
 */
export const PROTECTED_RESOURCE_ACTIONS = [
  "cloudformation:CreateChangeSet",
  "cloudformation:DeleteStack",
  "cloudformation:ExecuteChangeSet",
  "cloudformation:SetStackPolicy",
  "cloudformation:UpdateStack",
  "cloudformation:UpdateTerminationProtection",
  "dynamodb:DeleteResourcePolicy",
  "dynamodb:DeleteTable",
  "dynamodb:PutResourcePolicy",
  "dynamodb:UpdateContinuousBackups",
  "dynamodb:UpdateTable",
  "events:DeleteEventBus",
  "events:DeleteRule",
  "events:DisableRule",
  "events:PutPermission",
  "events:PutRule",
  "events:PutTargets",
  "events:RemovePermission",
  "events:RemoveTargets",
  "lambda:AddPermission",
  "lambda:Delete*",
  "lambda:Put*",
  "lambda:RemovePermission",
  "lambda:Update*",
  "logs:DeleteLogGroup",
  "logs:DeleteRetentionPolicy",
  "logs:DisassociateKmsKey",
  "logs:PutRetentionPolicy",
  "sns:AddPermission",
  "sns:DeleteTopic",
  "sns:RemovePermission",
  "sns:SetTopicAttributes",
  "sqs:AddPermission",
  "sqs:DeleteQueue",
  "sqs:PurgeQueue",
  "sqs:RemovePermission",
  "sqs:SetQueueAttributes",
];

/** The engine's resources, by name, in any partition, region and account. */
export const PROTECTED_RESOURCES = [
  `arn:*:cloudformation:*:*:stack/${PREFIX}*`,
  `arn:*:cloudformation:*:*:stack/StackSet-${PREFIX}*`,
  `arn:*:dynamodb:*:*:table/${PREFIX}*`,
  `arn:*:events:*:*:event-bus/${PREFIX}*`,
  `arn:*:events:*:*:rule/${PREFIX}*`,
  `arn:*:lambda:*:*:function:${PREFIX}*`,
  `arn:*:logs:*:*:log-group:/aws/lambda/${PREFIX}*`,
  `arn:*:sns:*:*:${PREFIX}*`,
  `arn:*:sqs:*:*:${PREFIX}*`,
];

/** Whoever subscribes to the findings topics reads every finding of the organisation. */
export const SUBSCRIBE_ACTIONS = ["sns:Subscribe"];

const sortedUnique = (values: Iterable<string>): string[] => [...new Set(values)].sort();

/** Every allowed IAM prefix: the catalogue's `iamPrefixes` plus the settings' extras. */
export function allowedPrefixes(catalogue: Catalogue, settings: ScpSettings): string[] {
  return sortedUnique([
    ...catalogue.policies.flatMap((p) => p.iamPrefixes),
    ...settings.extraAllowedPrefixes,
    ...settings.securityServicePrefixes,
  ]);
}

/**
 * The allow-list. EC2 is left out of this statement (its own statement denies it to everyone but
 * the break-glass, platform and landing-zone roles, so that default VPCs can be deleted) and is
 * not an allowed prefix of the catalogue.
 */
export function allowListStatement(prefixes: string[]): ScpStatement {
  return {
    Sid: "DenyServicesOutsideCatalogue",
    Effect: "Deny",
    NotAction: sortedUnique([...prefixes, "ec2"]).map((p) => `${p}:*`),
    Resource: "*",
  };
}

const roleArn = (pattern: string) => `arn:*:iam::*:role/${pattern}`;

/** Roles exempt from the protection: platform, landing zone, StackSet execution, break-glass. */
export function exemptRolePatterns(settings: ScpSettings): string[] {
  return sortedUnique([
    settings.platformRoleName,
    ...settings.exemptRoleNamePatterns,
    ...settings.landingZoneRoles,
    ...settings.breakGlassRoles,
  ]);
}

function notPrincipals(patterns: string[]): Record<string, Record<string, string[]>> {
  return { ArnNotLike: { "aws:PrincipalARN": patterns.map(roleArn) } };
}

export function protectionStatements(settings: ScpSettings): ScpStatement[] {
  const exempt = exemptRolePatterns(settings);
  const unlessExempt = notPrincipals(exempt);
  const tag = ENGINE_TAG.Key;
  // Every exempt name and the engine's own role names, at any path: nobody else creates or changes them.
  const guardedRoles = sortedUnique([...exempt, `${PREFIX}*`]).flatMap((name) =>
    name.includes("/") ? [roleArn(name)] : [roleArn(name), roleArn(`*/${name}`)],
  );
  return [
    {
      Sid: "ProtectConfigRecording",
      Effect: "Deny",
      Action: PROTECTED_CONFIG_ACTIONS,
      Resource: "*",
      Condition: unlessExempt,
    },
    {
      Sid: "ProtectTaggedEngineResources",
      Effect: "Deny",
      Action: TAG_PROTECTED_ACTIONS,
      Resource: "*",
      Condition: { ...unlessExempt, StringEquals: { [`aws:ResourceTag/${tag}`]: "true" } },
    },
    {
      Sid: "ProtectEngineTag",
      Effect: "Deny",
      Action: TAGGING_ACTIONS,
      Resource: "*",
      Condition: { ...unlessExempt, "ForAnyValue:StringEquals": { "aws:TagKeys": [tag] } },
    },
    {
      Sid: "ProtectExemptAndEngineRoles",
      Effect: "Deny",
      Action: ROLE_ACTIONS,
      Resource: guardedRoles,
      Condition: unlessExempt,
    },
    {
      Sid: "ProtectComplianceEngine",
      Effect: "Deny",
      Action: PROTECTED_RESOURCE_ACTIONS,
      Resource: PROTECTED_RESOURCES,
      Condition: unlessExempt,
    },
    {
      Sid: "LedgerWritesByNotifierOnly",
      Effect: "Deny",
      Action: LEDGER_WRITE_ACTIONS,
      Resource: [`arn:*:dynamodb:*:*:table/${PREFIX}*`],
      Condition: notPrincipals([...exempt, `${PREFIX}notifier-*`]),
    },
    {
      Sid: "TopicSubscriptionsByNotifierOnly",
      Effect: "Deny",
      Action: SUBSCRIBE_ACTIONS,
      Resource: [`arn:*:sns:*:*:${PREFIX}*`],
      Condition: notPrincipals([...exempt, `${PREFIX}notifier-*`]),
    },
    {
      Sid: "DenyEc2ExceptBreakGlass",
      Effect: "Deny",
      Action: ["ec2:*"],
      Resource: "*",
      Condition: notPrincipals(
        sortedUnique([settings.platformRoleName, ...settings.breakGlassRoles, ...settings.landingZoneRoles]),
      ),
    },
  ];
}

export function regionStatement(settings: ScpSettings): ScpStatement | undefined {
  if (settings.allowedRegions.length === 0) return undefined;
  return {
    Sid: REGION_SID,
    Effect: "Deny",
    NotAction: sortedUnique(settings.globalServiceActions),
    Resource: "*",
    Condition: { StringNotEquals: { "aws:RequestedRegion": sortedUnique(settings.allowedRegions) } },
  };
}

function policy(name: string, description: string, statements: ScpStatement[]): GeneratedScp {
  const document = { Version: "2012-10-17" as const, Statement: statements };
  const content = JSON.stringify(document);
  return { name, description, document, content, size: content.length };
}

/**
 * The generated SCPs: one policy when everything fits, otherwise the allow-list alone and the
 * other statements in as few further policies as fit. Throws ScpTooLargeError when the allow-list
 * alone is too large, ScpStatementTooLargeError when another statement alone is, and ScpSlotsError
 * when the policies need more SCP slots than the settings leave free (`isScpFitError` tells the three).
 */
export function buildServiceControlPolicies(catalogue: Catalogue, settings: ScpSettings): ScpResult {
  const prefixes = allowedPrefixes(catalogue, settings);
  const allowList = allowListStatement(prefixes);
  const rest = [...protectionStatements(settings)];
  const region = regionStatement(settings);
  if (region) rest.push(region);

  const single = policy(
    `${PREFIX}guardrails`,
    "Compliance engine: services outside the catalogue, changes to the compliance tooling, other regions",
    [allowList, ...rest],
  );
  if (single.size <= SCP_MAX_CHARACTERS) return { allowedPrefixes: prefixes, policies: [single] };
  if (settings.availablePolicySlots < 2)
    throw new ScpSlotsError(2, settings.availablePolicySlots, [single.size]);

  const first = policy(`${PREFIX}allow-list`, "Compliance engine: services outside the catalogue", [
    allowList,
  ]);
  if (first.size > SCP_MAX_CHARACTERS) throw new ScpTooLargeError(first.size, prefixes.length);

  // First-fit packing: each statement goes to the first policy it fits in, the allow-list's
  // included, so the policies use as few of the targets' SCP slots as they can.
  const buckets: ScpStatement[][] = [[allowList]];
  for (const statement of rest) {
    const alone = policy("probe", "", [statement]);
    if (alone.size > SCP_MAX_CHARACTERS) throw new ScpStatementTooLargeError(statement.Sid, alone.size);
    const fits = buckets.find((b) => policy("probe", "", [...b, statement]).size <= SCP_MAX_CHARACTERS);
    if (fits) fits.push(statement);
    else buckets.push([statement]);
  }
  const policies = buckets.map((statements, i) =>
    i === 0
      ? policy(
          `${PREFIX}allow-list`,
          "Compliance engine: services outside the catalogue, and more guardrails",
          statements,
        )
      : policy(
          `${PREFIX}guardrails-${i}`,
          "Compliance engine: protection of the tooling, regions",
          statements,
        ),
  );
  const slots = Math.min(settings.availablePolicySlots, SCP_MAX_GENERATED);
  if (policies.length > slots) {
    throw new ScpSlotsError(
      policies.length,
      slots,
      policies.map((p) => p.size),
    );
  }
  return { allowedPrefixes: prefixes, policies };
}
