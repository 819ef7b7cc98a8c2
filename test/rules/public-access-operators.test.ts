// `publicAccess` read like IAM's own evaluation, one operator family at a time: for each, a
// condition that must leave "*" public and one that must limit it. The conditions are the ones
// AWS documents for each operator (IAM User Guide, "IAM JSON policy elements: Condition
// operators", "Single-valued vs. multivalued condition keys", and "The confused deputy problem";
// Amazon S3 User Guide, "The meaning of public"), applied to a statement that allows "*".

import { describe, expect, it } from "vitest";
import { createAjv } from "../../engine/catalogue.ts";
import { describeErrors } from "../../engine/messages.ts";
import { decodePolicy } from "../../engine/policy-document.ts";
import { CONFUSED_DEPUTY_MESSAGE, PUBLIC_MESSAGE } from "../../rules/public-access.ts";

const notPublic = createAjv().compile({ type: "object", publicAccess: false });

function judge(statement: Record<string, unknown>) {
  const document = decodePolicy(JSON.stringify({ Version: "2012-10-17", Statement: [statement] }));
  const ok = notPublic(document);
  return { ok, messages: ok ? [] : describeErrors(notPublic.errors ?? []) };
}

const everyone = (condition: Record<string, unknown>) => ({
  Effect: "Allow",
  Principal: "*",
  Action: "sqs:SendMessage",
  Resource: "arn:aws:sqs:us-east-2:444455556666:queue1",
  Condition: condition,
});

type Row = [family: string, condition: Record<string, unknown>];

const mustBePublic: Row[] = [
  [
    "StringEquals on a key that says nothing about who",
    { StringEquals: { "aws:RequestedRegion": "eu-west-1" } },
  ],
  ["StringLike with a wildcard account", { StringLike: { "aws:SourceAccount": "*" } }],
  ["StringLike with any organisation", { StringLike: { "aws:PrincipalOrgID": "o-*" } }],
  [
    "StringEqualsIgnoreCase with a policy variable",
    { StringEqualsIgnoreCase: { "aws:userid": "$" + "{aws:userid}" } },
  ],
  ["StringNotEquals on the organisation", { StringNotEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } }],
  [
    "StringNotLike on the source ARN",
    { StringNotLike: { "aws:SourceArn": "arn:aws:sns:us-east-2:444455556666:*" } },
  ],
  ["ArnLike with an ARN of any account", { ArnLike: { "aws:SourceArn": "arn:aws:*" } }],
  [
    "ArnEquals with a wildcard account",
    { ArnEquals: { "aws:SourceArn": "arn:aws:sns:us-east-2:*:MyTopic" } },
  ],
  [
    "ArnNotEquals on the source ARN",
    { ArnNotEquals: { "aws:SourceArn": "arn:aws:sns:REGION:123456789012:TOPIC-ID" } },
  ],
  [
    "ArnNotLike on the principal ARN",
    { ArnNotLike: { "aws:PrincipalArn": "arn:aws:iam::123456789012:role/*" } },
  ],
  ["IpAddress on the whole internet", { IpAddress: { "aws:SourceIp": "0.0.0.0/0" } }],
  ["IpAddress with one range too broad", { IpAddress: { "aws:SourceIp": ["203.0.113.0/24", "::/0"] } }],
  ["NotIpAddress on a range", { NotIpAddress: { "aws:SourceIp": "203.0.113.0/24" } }],
  ["Bool on transport", { Bool: { "aws:SecureTransport": "true" } }],
  ["Null on the organisation", { Null: { "aws:PrincipalOrgID": "false" } }],
  ["Null asking for the key to be absent", { Null: { "aws:PrincipalOrgID": "true" } }],
  [
    "StringEqualsIfExists (absent for an anonymous caller)",
    { StringEqualsIfExists: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } },
  ],
  [
    "ForAllValues (true when the key has no values)",
    { "ForAllValues:StringLike": { "aws:PrincipalOrgPaths": "o-a1b2c3d4e5/*" } },
  ],
  ["ForAnyValue with an open path", { "ForAnyValue:StringLike": { "aws:PrincipalOrgPaths": "o-*" } }],
  [
    "a limiting value next to one that is not",
    { StringEquals: { "aws:SourceAccount": ["123456789012", "*"] } },
  ],
  ["NumericLessThan (never about who)", { NumericLessThan: { "aws:MultiFactorAuthAge": "3600" } }],
  ["DateLessThan (never about who)", { DateLessThan: { "aws:CurrentTime": "2020-04-01T00:00:00Z" } }],
];

const mustLimit: Row[] = [
  ["StringEquals on the organisation", { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } }],
  ["StringEquals on the source account", { StringEquals: { "aws:SourceAccount": "123456789012" } }],
  [
    "StringEqualsIgnoreCase on the principal account",
    { StringEqualsIgnoreCase: { "aws:PrincipalAccount": "123456789012" } },
  ],
  ["StringLike on a role's sessions (ROLEID:*)", { StringLike: { "aws:userid": "AROAEXAMPLEID:*" } }],
  ["StringEquals on the VPC endpoint", { StringEquals: { "aws:SourceVpce": "vpce-1a2b3c4d" } }],
  ["StringEquals on the VPC", { StringEquals: { "aws:SourceVpc": "vpc-111bbb22" } }],
  ["ArnEquals on a topic", { ArnEquals: { "aws:SourceArn": "arn:aws:sns:REGION:123456789012:TOPIC-ID" } }],
  [
    "ArnLike on roles of one account",
    { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::123456789012:role/*" } },
  ],
  ["ArnLike on one bucket", { ArnLike: { "aws:SourceArn": "arn:aws:s3:::amzn-s3-demo-bucket" } }],
  ["IpAddress on a range", { IpAddress: { "aws:SourceIp": "203.0.113.0/24" } }],
  [
    "IpAddress on IPv4 and IPv6 ranges",
    { IpAddress: { "aws:SourceIp": ["203.0.113.0/24", "2001:DB8:1234:5678::/64"] } },
  ],
  [
    "ForAnyValue:StringLike on an organisation path",
    { "ForAnyValue:StringLike": { "aws:PrincipalOrgPaths": "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*" } },
  ],
  [
    "ForAnyValue:StringEquals on the organisation",
    { "ForAnyValue:StringEquals": { "aws:PrincipalOrgID": ["o-a1b2c3d4e5"] } },
  ],
  [
    "a negated operator next to a limiting one",
    {
      StringNotEquals: { "aws:SourceVpce": "vpce-0000" },
      StringEquals: { "aws:SourceAccount": "123456789012" },
    },
  ],
  [
    "Bool next to a limiting operator",
    { Bool: { "aws:SecureTransport": "true" }, StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } },
  ],
];

describe("publicAccess: operator families", () => {
  it.each(mustBePublic)('%s leaves "*" public', (_family, condition) => {
    expect(judge(everyone(condition))).toEqual({ ok: false, messages: [`Statement[0] ${PUBLIC_MESSAGE}`] });
  });

  it.each(mustLimit)('%s limits "*"', (_family, condition) => {
    expect(judge(everyone(condition))).toEqual({ ok: true, messages: [] });
  });

  it("covers every operator family both ways", () => {
    const family = (rows: Row[]) =>
      new Set(
        rows.flatMap(([, c]) =>
          Object.keys(c).map((op) => op.replace(/^For(Any|All)Value:/, "").replace(/IfExists$/, "")),
        ),
      );
    for (const op of ["StringEquals", "StringLike", "ArnEquals", "ArnLike", "IpAddress", "Bool"]) {
      expect(family(mustBePublic).has(op), `${op} public`).toBe(true);
      expect(family(mustLimit).has(op), `${op} limiting`).toBe(true);
    }
  });
});

describe("publicAccess: NotPrincipal", () => {
  it("Allow with NotPrincipal is public: it allows everyone it does not name", () => {
    const statement = {
      Effect: "Allow",
      NotPrincipal: { AWS: "arn:aws:iam::444455556666:user/Bob" },
      Action: "s3:*",
      Resource: "arn:aws:s3:::amzn-s3-demo-bucket/*",
    };
    expect(judge(statement).messages).toEqual([`Statement[0] ${PUBLIC_MESSAGE}`]);
  });

  it("Deny with NotPrincipal (AWS's documented use) is not", () => {
    const statement = {
      Effect: "Deny",
      NotPrincipal: { AWS: ["arn:aws:iam::444455556666:user/Bob", "arn:aws:iam::444455556666:root"] },
      Action: "s3:*",
      Resource: ["arn:aws:s3:::amzn-s3-demo-bucket", "arn:aws:s3:::amzn-s3-demo-bucket/*"],
    };
    expect(judge(statement).ok).toBe(true);
  });
});

describe("publicAccess: service principals (confused deputy)", () => {
  const serviceGrant = (condition?: Record<string, unknown>) => ({
    Effect: "Allow",
    Principal: { Service: "sns.amazonaws.com" },
    Action: "sqs:SendMessage",
    Resource: "arn:aws:sqs:us-east-2:444455556666:queue1",
    ...(condition ? { Condition: condition } : {}),
  });

  it("a service principal with no source condition is a confused-deputy finding", () => {
    expect(judge(serviceGrant())).toEqual({
      ok: false,
      messages: [`Statement[0] ${CONFUSED_DEPUTY_MESSAGE}`],
    });
    expect(judge(serviceGrant({ Bool: { "aws:SecureTransport": "true" } })).ok).toBe(false);
    expect(judge(serviceGrant({ StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } })).ok).toBe(false);
    expect(judge(serviceGrant({ ArnLike: { "aws:SourceArn": "arn:aws:sns:*" } })).ok).toBe(false);
    expect(judge(serviceGrant({ StringNotEquals: { "aws:SourceAccount": "123456789012" } })).ok).toBe(false);
  });

  it.each([
    ["aws:SourceArn", { ArnEquals: { "aws:SourceArn": "arn:aws:sns:us-east-2:444455556666:MyTopic" } }],
    ["aws:SourceAccount", { StringEquals: { "aws:SourceAccount": "444455556666" } }],
    ["aws:SourceOrgID", { StringEquals: { "aws:SourceOrgID": "o-a1b2c3d4e5" } }],
    ["aws:SourceOrgPaths", { "ForAnyValue:StringLike": { "aws:SourceOrgPaths": "o-a1b2c3d4e5/r-ab12/*" } }],
  ])("a service principal tied by %s is not", (_key, condition) => {
    expect(judge(serviceGrant(condition)).ok).toBe(true);
  });
});

describe("publicAccess: a KMS key policy's service principal", () => {
  const logsGrant = (arn: string) => ({
    Effect: "Allow",
    Principal: { Service: "logs.eu-west-1.amazonaws.com" },
    Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:GenerateDataKey*"],
    Resource: "*",
    Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": arn } },
  });

  it("is tied to the account by the encryption context's log group ARN (the CloudWatch Logs User Guide's key policy)", () => {
    expect(judge(logsGrant("arn:aws:logs:eu-west-1:111122223333:log-group:*")).ok).toBe(true);
  });

  it("is a confused deputy when the encryption context names any account", () => {
    expect(judge(logsGrant("arn:aws:logs:eu-west-1:*:log-group:*")).messages).toEqual([
      `Statement[0] ${CONFUSED_DEPUTY_MESSAGE}`,
    ]);
  });
});
