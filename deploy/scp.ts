// The service control policies generated from the catalogue (an SCP filters what an identity policy allows, so the allow-list is a Deny over NotAction, next to AWS's FullAWSAccess):
//   1. the allow-list: keep FullAWSAccess, add one Deny with NotAction over every allowed prefix;
//   2. the protection of the compliance tooling, for everyone but the platform role;
//   3. the optional region restriction, global services exempt.
// Written minified and checked against the 5,120-character limit. The allow-list cannot be split
// (two NotAction denies in different SCPs intersect), so when it does not fit alone, that is an error.

import type { Catalogue } from "../engine/catalogue.ts";
import { PREFIX } from "./names.ts";
import type { ScpSettings } from "./scp-settings.ts";

/** The limit of an SCP's size, whitespace included (AWS Organizations quotas). */
export const SCP_MAX_CHARACTERS = 5120;
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

/** The config actions that would switch the checks off (as AWS Control Tower denies them). */
export const PROTECTED_CONFIG_ACTIONS = [
  "config:DeleteConfigRule",
  "config:DeleteConfigurationRecorder",
  "config:DeleteDeliveryChannel",
  "config:DeleteEvaluationResults",
  "config:DeleteRetentionConfiguration",
  "config:PutConfigRule",
  "config:PutConfigurationRecorder",
  "config:PutDeliveryChannel",
  "config:PutRetentionConfiguration",
  "config:StopConfigurationRecorder",
];

/**
 * Changes to the engine's own resources. Deliberately not the actions the engine itself uses at
 * run time (events:PutEvents to the central bus, sns:Publish/Subscribe, dynamodb item writes,
 * config:PutEvaluations): the engine's roles are not exempt and must keep working.
 */
export const PROTECTED_RESOURCE_ACTIONS = [
  "cloudformation:CreateChangeSet",
  "cloudformation:DeleteStack",
  "cloudformation:ExecuteChangeSet",
  "cloudformation:SetStackPolicy",
  "cloudformation:UpdateStack",
  "dynamodb:DeleteTable",
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
  "iam:Attach*",
  "iam:Delete*",
  "iam:Detach*",
  "iam:PassRole",
  "iam:Put*",
  "iam:Update*",
  "lambda:AddPermission",
  "lambda:Delete*",
  "lambda:Put*",
  "lambda:RemovePermission",
  "lambda:Update*",
  "logs:DeleteLogGroup",
  "logs:DeleteLogStream",
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

/** The engine's resources, by name (deploy/names.ts), in any partition, region and account. */
export const PROTECTED_RESOURCES = [
  `arn:*:cloudformation:*:*:stack/StackSet-${PREFIX}*`,
  `arn:*:dynamodb:*:*:table/${PREFIX}*`,
  `arn:*:events:*:*:event-bus/${PREFIX}*`,
  `arn:*:events:*:*:rule/${PREFIX}*`,
  `arn:*:iam::*:role/${PREFIX}*`,
  `arn:*:lambda:*:*:function:${PREFIX}*`,
  `arn:*:logs:*:*:log-group:/aws/lambda/${PREFIX}*`,
  `arn:*:sns:*:*:${PREFIX}*`,
  `arn:*:sqs:*:*:${PREFIX}*`,
];

const sortedUnique = (values: Iterable<string>): string[] => [...new Set(values)].sort();

/** Every allowed IAM prefix: the catalogue's `iamPrefixes` plus the settings' extras. */
export function allowedPrefixes(catalogue: Catalogue, settings: ScpSettings): string[] {
  return sortedUnique([
    ...catalogue.policies.flatMap((p) => p.iamPrefixes),
    ...settings.extraAllowedPrefixes,
  ]);
}

export function allowListStatement(prefixes: string[]): ScpStatement {
  return {
    Sid: "DenyServicesOutsideCatalogue",
    Effect: "Deny",
    NotAction: prefixes.map((p) => `${p}:*`),
    Resource: "*",
  };
}

function exemptPrincipals(settings: ScpSettings): Record<string, Record<string, string[]>> {
  const names = [settings.platformRoleName, ...settings.exemptRoleNamePatterns];
  return { ArnNotLike: { "aws:PrincipalARN": names.map((n) => `arn:*:iam::*:role/${n}`) } };
}

export function protectionStatements(settings: ScpSettings): ScpStatement[] {
  return [
    {
      Sid: "ProtectConfigRecording",
      Effect: "Deny",
      Action: PROTECTED_CONFIG_ACTIONS,
      Resource: "*",
      Condition: exemptPrincipals(settings),
    },
    {
      Sid: "ProtectComplianceEngine",
      Effect: "Deny",
      Action: PROTECTED_RESOURCE_ACTIONS,
      Resource: PROTECTED_RESOURCES,
      Condition: exemptPrincipals(settings),
    },
  ];
}

export function regionStatement(settings: ScpSettings): ScpStatement | undefined {
  if (settings.allowedRegions.length === 0) return undefined;
  return {
    Sid: "DenyOutsideAllowedRegions",
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
 * alone is too large, and Error when the rest cannot be placed within the per-target limit.
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

  const first = policy(`${PREFIX}allow-list`, "Compliance engine: services outside the catalogue", [
    allowList,
  ]);
  if (first.size > SCP_MAX_CHARACTERS) throw new ScpTooLargeError(first.size, prefixes.length);
  // Greedy packing of the other statements, in order.
  const policies = [first];
  let bucket: ScpStatement[] = [];
  const flush = () => {
    if (bucket.length === 0) return;
    const n = policies.length;
    policies.push(
      policy(`${PREFIX}guardrails-${n}`, "Compliance engine: protection of the tooling, regions", bucket),
    );
    bucket = [];
  };
  for (const statement of rest) {
    const candidate = policy("probe", "", [...bucket, statement]);
    if (candidate.size > SCP_MAX_CHARACTERS) {
      flush();
      const alone = policy("probe", "", [statement]);
      if (alone.size > SCP_MAX_CHARACTERS) {
        throw new Error(
          `SCP statement ${statement.Sid} alone is ${alone.size} characters, over the ${SCP_MAX_CHARACTERS} limit`,
        );
      }
    }
    bucket.push(statement);
  }
  flush();
  if (policies.length > SCP_MAX_GENERATED) {
    throw new Error(
      `the SCPs need ${policies.length} policies; at most ${SCP_MAX_GENERATED} fit beside FullAWSAccess on one target`,
    );
  }
  return { allowedPrefixes: prefixes, policies };
}
