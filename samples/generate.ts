// Builds the embedded sample organisation (samples/organisation/) from the real configuration
// items in test/fixtures/ci (copied from public AWS Config data). Each sample item is a real item
// moved into a sample account (account id, ARN, name), and, for the "hardened" variants, changed
// in the properties a well-run platform team sets. Every change is listed below, so the sample
// stays as close to what AWS Config records as it can.
//
//   node bin/run-ts.mjs samples/generate.ts        (rewrites samples/organisation/)
//
// A test checks that the committed files are what this script writes.

import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { writeAccountItems } from "./account-items.ts";

type Raw = Record<string, unknown>;

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const OUT = join(ROOT, "samples/organisation");

export const ACCOUNTS = {
  "111111111111": {
    name: "payments-prod",
    tags: { environment: "production", "cia-rating": "C3I3A3", owner: "payments-team@bank.example" },
  },
  "222222222222": {
    name: "payments-dev",
    tags: { environment: "development", "cia-rating": "C1I1A1", owner: "payments-dev@bank.example" },
  },
  "333333333333": {
    name: "data-sandbox",
    tags: { environment: "development", owner: "data-team@bank.example" },
  },
  "444444444444": {
    name: "ledger-staging",
    tags: { environment: "staging", "cia-rating": "C2I3A2", owner: "ledger-team@bank.example" },
  },
} as const;

type AccountId = keyof typeof ACCOUNTS;
const REGION = "eu-west-1";

function fixture(name: string): Raw {
  return JSON.parse(readFileSync(join(ROOT, "test/fixtures/ci", name), "utf8")) as Raw;
}

/** Sets a value at a dotted path inside an object, creating objects on the way. */
function set(target: Raw, path: string, value: unknown): void {
  const keys = path.split(".");
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== "object" || node[key] === null) node[key] = {};
    node = node[key] as Raw;
  }
  const last = keys[keys.length - 1]!;
  if (value === undefined) delete node[last];
  else node[last] = value;
}

/** The time the sample's data was captured: the "data as of" time its reports show. */
export const CAPTURED_AT = "2026-11-27T08:00:00.000Z";

const REGION_PATTERN =
  /\b(?:us|eu|ap|sa|ca|me|af|il|mx)-(?:north|south|east|west|central|northeast|southeast|northwest|southwest)-\d\b/g;

/** A deterministic id of `length` characters from `alphabet`, unique per account and name. */
function uniqueId(seed: string, length: number, alphabet: string): string {
  const bytes = createHash("sha256").update(seed).digest();
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[(bytes[i] as number) % alphabet.length];
  return out;
}
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const LOWER = "abcdefghijklmnopqrstuvwxyz0123456789";

/** IAM unique ids: a four-letter prefix (AROA role, AIDA user, ANPA policy) and 17 characters. */
const iamId = (prefix: string, account: string, name: string) =>
  prefix + uniqueId(`${account}/${name}`, 17, UPPER);
/** API Gateway API ids: ten lower-case letters and digits. */
export const apiId = (account: string, name: string) => uniqueId(`${account}/api/${name}`, 10, LOWER);

/**
 * The identity AWS Config gives a resource of this type with this name in this account and region
 * (resource id, ARN, and the configuration fields that repeat them), so that every sample resource
 * has its own real-shaped, consistent ids. `parent` names the API a stage belongs to.
 */
function identity(type: string, account: AccountId, name: string, parent?: string): Record<string, unknown> {
  const at = (service: string, resource: string) => `arn:aws:${service}:${REGION}:${account}:${resource}`;
  switch (type) {
    case "AWS::SNS::Topic": {
      const arn = at("sns", name);
      return { resourceId: arn, arn, "configuration.TopicArn": arn, "configuration.Owner": account };
    }
    case "AWS::SQS::Queue": {
      const arn = at("sqs", name);
      return {
        resourceId: `https://sqs.${REGION}.amazonaws.com/${account}/${name}`,
        arn,
        "configuration.QueueArn": arn,
      };
    }
    case "AWS::CloudTrail::Trail": {
      const arn = at("cloudtrail", `trail/${name}`);
      return {
        resourceId: name,
        resourceName: name,
        arn,
        "configuration.trailARN": arn,
        "configuration.name": name,
        "configuration.homeRegion": REGION,
      };
    }
    case "AWS::KMS::Key": {
      const arn = at("kms", `key/${name}`);
      return { resourceId: name, arn, "configuration.keyId": name, "configuration.arn": arn };
    }
    case "AWS::ApiGateway::RestApi": {
      const id = apiId(account, name);
      const arn = `arn:aws:apigateway:${REGION}::/restapis/${id}`;
      return { resourceId: arn, arn, "configuration.id": id, "configuration.name": name };
    }
    case "AWS::ApiGateway::Stage": {
      const arn = `arn:aws:apigateway:${REGION}::/restapis/${apiId(account, parent ?? name)}/stages/${name}`;
      return { resourceId: arn, arn, "configuration.stageName": name };
    }
    case "AWS::ApiGatewayV2::Api": {
      const id = apiId(account, name);
      const arn = `arn:aws:apigateway:${REGION}::/apis/${id}`;
      return {
        resourceId: arn,
        arn,
        "configuration.apiId": id,
        "configuration.name": name,
        "configuration.apiEndpoint": `https://${id}.execute-api.${REGION}.amazonaws.com`,
      };
    }
    case "AWS::ApiGatewayV2::Stage": {
      const arn = `arn:aws:apigateway:${REGION}::/apis/${apiId(account, parent ?? name)}/stages/${name}`;
      return { resourceId: arn, arn, "configuration.stageName": name };
    }
    case "AWS::IAM::Role":
      return {
        resourceId: iamId("AROA", account, name),
        "configuration.roleId": iamId("AROA", account, name),
      };
    case "AWS::IAM::User":
      return {
        resourceId: iamId("AIDA", account, name),
        "configuration.userId": iamId("AIDA", account, name),
      };
    case "AWS::IAM::Policy":
      return {
        resourceId: iamId("ANPA", account, name),
        "configuration.policyId": iamId("ANPA", account, name),
      };
    default:
      return {};
  }
}

/**
 * Moves a real item into a sample account and region and renames the resource, whatever its shape:
 * the item's own account ids (its owner, and the one in its id or ARN) and regions become the
 * sample's, and its id, ARN and the configuration fields that repeat them are rebuilt for `name`.
 */
function place(
  raw: Raw,
  account: AccountId,
  name: string,
  edits: Record<string, unknown> = {},
  parent?: string,
): Raw {
  const item = structuredClone(raw);
  const type = String(item.resourceType);
  const global = item.awsRegion === "global";
  const own = new Set<string>([String(item.awsAccountId ?? item.accountId)]);
  for (const field of [item.resourceId, item.ARN, item.arn])
    for (const id of String(field ?? "").match(/\b\d{12}\b/g) ?? []) own.add(id);
  const oldNames = new Set([String(item.resourceName ?? item.resourceId)]);
  // A topic's name is the end of its ARN, which policies in the item repeat.
  if (type === "AWS::SNS::Topic") oldNames.add(String(item.ARN ?? item.arn ?? "").replace(/^.*:/, ""));
  let text = JSON.stringify(item);
  for (const id of own) text = text.split(id).join(account);
  // Longest first, as whole names only, so that a short name inside a longer one is left alone.
  for (const old of [...oldNames].sort((a, b) => b.length - a.length))
    text = text.replace(
      new RegExp(`(?<![A-Za-z0-9])${old.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![A-Za-z0-9])`, "g"),
      name,
    );
  if (!global) text = text.replace(REGION_PATTERN, REGION);
  const moved = JSON.parse(text) as Raw;
  if ("awsRegion" in moved && !global) moved.awsRegion = REGION;
  moved.configurationItemCaptureTime = CAPTURED_AT;
  if (type !== "AWS::KMS::Key" && !type.startsWith("AWS::EC2::")) moved.resourceName = name;
  const arnField = "ARN" in moved ? "ARN" : "arn";
  for (const [path, value] of Object.entries(identity(type, account, name, parent)))
    set(moved, path === "arn" ? arnField : path, value);
  for (const [path, value] of Object.entries(edits)) set(moved, path, value);
  return moved;
}

const TLS_ONLY = (resource: string, action: string) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: action,
        Resource: resource,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  });

const cmk = (account: string) => `arn:aws:kms:${REGION}:${account}:key/0b7f2c1e-5d55-4a5e-9f0a-6c2d9c1f7a10`;

/** DynamoDB table as a platform team runs it: on-demand, PITR, deletion protection, CMK. */
function hardenedTable(account: AccountId, name: string): Raw {
  return place(fixture("AWS_DynamoDB_Table/rdk-sample-ci.json"), account, name, {
    "supplementaryConfiguration.ContinuousBackupsDescription.pointInTimeRecoveryDescription.pointInTimeRecoveryStatus":
      "ENABLED",
    "configuration.deletionProtectionEnabled": true,
    "configuration.ssedescription": { status: "ENABLED", ssetype: "KMS", kmsmasterKeyArn: cmk(account) },
  });
}

/** Lambda function outside any VPC on a supported runtime, traced, with a dead-letter queue. */
function hardenedFunction(account: AccountId, name: string): Raw {
  return place(fixture("AWS_Lambda_Function/rdk-sample-ci.json"), account, name, {
    "configuration.runtime": "nodejs22.x",
    "configuration.vpcConfig": undefined,
    "configuration.tracingConfig.mode": "Active",
    "configuration.kmskeyArn": cmk(account),
    "configuration.deadLetterConfig": { targetArn: `arn:aws:sqs:${REGION}:${account}:${name}-dlq` },
    "configuration.reservedConcurrentExecutions": 50,
    relationships: [],
  });
}

function hardenedBucket(account: AccountId, name: string): Raw {
  const bucketArn = `arn:aws:s3:::${name}`;
  return place(fixture("AWS_S3_Bucket/rdk-sample-ci.json"), account, name, {
    "supplementaryConfiguration.BucketPolicy": { policyText: TLS_ONLY(bucketArn, "s3:*") },
    "supplementaryConfiguration.PublicAccessBlockConfiguration": {
      blockPublicAcls: true,
      ignorePublicAcls: true,
      blockPublicPolicy: true,
      restrictPublicBuckets: true,
    },
    "supplementaryConfiguration.ServerSideEncryptionConfiguration": {
      rules: [
        { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyID: cmk(account) } },
      ],
    },
    "supplementaryConfiguration.BucketLoggingConfiguration": {
      destinationBucketName: `${account}-access-logs`,
      logFilePrefix: `${name}/`,
    },
  });
}

function hardenedQueue(account: AccountId, name: string): Raw {
  const arn = `arn:aws:sqs:${REGION}:${account}:${name}`;
  return place(fixture("AWS_SQS_Queue/c7n-eventbridge-sqs-discover.json"), account, name, {
    "configuration.KmsMasterKeyId": cmk(account),
    "configuration.Policy": TLS_ONLY(arn, "sqs:*"),
    // GetQueueAttributes' RedrivePolicy, a JSON string: messages that keep failing go to its DLQ.
    "configuration.RedrivePolicy": JSON.stringify({ deadLetterTargetArn: `${arn}-dlq`, maxReceiveCount: 5 }),
  });
}

function hardenedTopic(account: AccountId, name: string): Raw {
  const arn = `arn:aws:sns:${REGION}:${account}:${name}`;
  return place(fixture("AWS_SNS_Topic/rdk-sample-ci.json"), account, name, {
    "configuration.KmsMasterKeyId": cmk(account),
    "configuration.Policy": TLS_ONLY(arn, "sns:Publish"),
  });
}

/**
 * A log group as the scheduled sweep builds it from a DescribeLogGroups entry (AWS Config does not
 * record log groups, so there is no real configuration item to start from; see
 * handlers/config/log-groups.ts).
 */
function logGroup(account: AccountId, name: string, retentionInDays: number | undefined, kms: boolean): Raw {
  const arn = `arn:aws:logs:${REGION}:${account}:log-group:${name}`;
  const configuration: Raw = {
    logGroupName: name,
    creationTime: 1764230400000,
    metricFilterCount: 0,
    arn: `${arn}:*`,
    logGroupArn: arn,
    storedBytes: 73400320,
    logGroupClass: "STANDARD",
  };
  if (retentionInDays !== undefined) configuration.retentionInDays = retentionInDays;
  if (kms) configuration.kmsKeyId = cmk(account);
  return {
    resourceType: "AWS::Logs::LogGroup",
    resourceId: name,
    resourceName: name,
    arn,
    accountId: account,
    awsRegion: REGION,
    configuration,
    configurationItemStatus: "OK",
    configurationItemCaptureTime: CAPTURED_AT,
  };
}

/** The sample organisation's items, per account. */
export function sampleItems(): Record<AccountId, Raw[]> {
  return {
    // Production: everything at C3I3A3; some resources are run well, some are not.
    "111111111111": [
      hardenedTable("111111111111", "payments-ledger"),
      place(fixture("AWS_DynamoDB_Table/rdk-sample-ci.json"), "111111111111", "payments-sessions"),
      hardenedFunction("111111111111", "payments-api"),
      place(fixture("AWS_Lambda_Function/rdk-sample-ci.json"), "111111111111", "legacy-settlement-batch"),
      hardenedBucket("111111111111", "payments-statements"),
      place(fixture("AWS_S3_Bucket/c7n-s3.json"), "111111111111", "payments-exports"),
      hardenedQueue("111111111111", "payments-events"),
      hardenedTopic("111111111111", "payments-alerts"),
      place(fixture("AWS_SNS_Topic/rdk-sample-ci.json"), "111111111111", "payments-open-topic"),
      place(
        fixture("AWS_KMS_Key/rdk-sample-ci.json"),
        "111111111111",
        "0b7f2c1e-5d55-4a5e-9f0a-6c2d9c1f7a10",
      ),
      place(fixture("AWS_IAM_Role/rdk-sample-ci.json"), "111111111111", "payments-api-role"),
      place(fixture("AWS_ApiGateway_RestApi/rdk-sample-ci.json"), "111111111111", "payments-public-api"),
      place(
        fixture("AWS_ApiGateway_Stage/rdk-sample-ci.json"),
        "111111111111",
        "prod",
        {},
        "payments-public-api",
      ),
      place(fixture("AWS_CloudTrail_Trail/rdk-sample-ci.json"), "111111111111", "organisation-trail"),
      place(fixture("AWS_CloudFormation_Stack/rdk-sample-ci.json"), "111111111111", "payments-stack"),
      place(fixture("AWS_EC2_Instance/rdk-sample-ci.json"), "111111111111", "i-0abc1234def567890"),
      logGroup("111111111111", "/aws/lambda/payments-api", 400, true),
    ],
    // Development at C1I1A1: only the level-1 controls are required.
    "222222222222": [
      place(fixture("AWS_DynamoDB_Table/rdk-sample-ci.json"), "222222222222", "payments-sessions-dev"),
      place(fixture("AWS_Lambda_Function/rdk-sample-ci.json"), "222222222222", "payments-api-dev"),
      place(fixture("AWS_S3_Bucket/c7n-s3-website.json"), "222222222222", "payments-dev-website"),
      place(
        fixture("AWS_SQS_Queue/c7n-eventbridge-sqs-discover.json"),
        "222222222222",
        "payments-events-dev",
      ),
      place(fixture("AWS_SNS_Topic/rdk-sample-ci.json"), "222222222222", "payments-alerts-dev"),
      place(fixture("AWS_IAM_User/rdk-sample-ci.json"), "222222222222", "ci-deployer"),
      place(fixture("AWS_IAM_Policy/rdk-sample-ci.json"), "222222222222", "deployer-policy"),
      place(fixture("AWS_ApiGatewayV2_Api/rdk-sample-ci.json"), "222222222222", "payments-http-api"),
      place(
        fixture("AWS_ApiGatewayV2_Stage/rdk-sample-ci.json"),
        "222222222222",
        "$default",
        {},
        "payments-http-api",
      ),
      place(fixture("AWS_EC2_VPC/rdk-sample-ci.json"), "222222222222", "vpc-0123456789abcdef0"),
      // 30-day retention, waived for this account's Lambda log groups (policies/waivers.json).
      logGroup("222222222222", "/aws/lambda/payments-api-dev", 30, false),
    ],
    // No cia-rating tag: the highest rating applies (fail safe).
    "333333333333": [
      place(fixture("AWS_DynamoDB_Table/rdk-sample-ci.json"), "333333333333", "analytics-scratch"),
      hardenedFunction("333333333333", "analytics-loader"),
      place(fixture("AWS_S3_Bucket/c7n-s3-lifecycle.json"), "333333333333", "analytics-landing"),
      place(
        fixture("AWS_KMS_Key/rdk-sample-ci.json"),
        "333333333333",
        "5d1c7e9a-2b4f-4c3d-8e6f-1a2b3c4d5e6f",
      ),
      place(fixture("AWS_IAM_Role/rdk-sample-ci.json"), "333333333333", "analytics-loader-role"),
      place(fixture("AWS_EC2_SecurityGroup/rdk-sample-ci.json"), "333333333333", "sg-0fedcba9876543210"),
    ],
    // Staging at C2I3A2.
    "444444444444": [
      hardenedTable("444444444444", "ledger-entries"),
      place(fixture("AWS_DynamoDB_Table/rdk-sample-ci.json"), "444444444444", "ledger-import-staging"),
      hardenedFunction("444444444444", "ledger-writer"),
      hardenedBucket("444444444444", "ledger-archive"),
      hardenedQueue("444444444444", "ledger-events"),
      hardenedTopic("444444444444", "ledger-alerts"),
      place(fixture("AWS_SQS_Queue/c7n-eventbridge-sqs-discover.json"), "444444444444", "ledger-retry"),
      place(fixture("AWS_ApiGateway_Stage/rdk-sample-ci.json"), "444444444444", "staging", {}, "ledger-api"),
    ],
  };
}

/** Writes the sample as Config snapshot files, one per account, and the accounts file. */
export function writeSample(dir = OUT): void {
  rmSync(join(dir, "items"), { recursive: true, force: true });
  mkdirSync(join(dir, "items"), { recursive: true });
  writeFileSync(join(dir, "accounts.json"), `${JSON.stringify(ACCOUNTS, null, 2)}\n`);
  for (const [account, items] of Object.entries(sampleItems())) {
    const snapshot = { fileVersion: "1.0", configSnapshotId: `sample-${account}`, configurationItems: items };
    writeFileSync(
      join(dir, "items", `${account}_Config_${REGION}_ConfigSnapshot.json`),
      `${JSON.stringify(snapshot, null, 2)}\n`,
    );
  }
  // One AWS::::Account item per account (samples/account-items.ts).
  writeAccountItems(join(dir, "items"));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeSample();
  process.stdout.write(`wrote ${OUT}\n`);
}
