// The statement keywords: one matcher for resource and identity policies, read on documents as
// AWS Config records them (strings, canonicalised by the engine), with NotAction / NotResource /
// NotPrincipal read as at least as broad as what they do not name.

import { describe, expect, it } from "vitest";
import { createAjv } from "../../engine/catalogue.ts";
import { describeErrors } from "../../engine/messages.ts";
import { decodePolicy } from "../../engine/policy-document.ts";

const ajv = createAjv();

/** Judges a policy document (statements as written in IAM JSON) after canonicalisation. */
function judge(schema: Record<string, unknown>, ...statements: Record<string, unknown>[]) {
  const validate = ajv.compile(schema);
  const document = decodePolicy(JSON.stringify({ Version: "2012-10-17", Statement: statements }));
  const ok = validate(document);
  return { ok, messages: ok ? [] : describeErrors(validate.errors ?? []) };
}

const QUEUE = "arn:aws:sqs:eu-west-1:111111111111:orders";
const tlsDeny = {
  Sid: "DenyInsecureTransport",
  Effect: "Deny",
  Principal: "*",
  Action: "SQS:*",
  Resource: QUEUE,
  Condition: { Bool: { "aws:SecureTransport": "false" } },
};
const sendFromBus = {
  Effect: "Allow",
  Principal: { Service: "events.amazonaws.com" },
  Action: "sqs:SendMessage",
  Resource: QUEUE,
};

describe("denyInsecureTransport", () => {
  const check = { type: "object", denyInsecureTransport: ["sqs:*", "*"] };

  it("holds with a Deny of every action for every principal when aws:SecureTransport is false", () => {
    expect(judge(check, sendFromBus, tlsDeny).ok).toBe(true);
    expect(judge(check, { ...tlsDeny, Principal: { AWS: "*" }, Action: "*" }).ok).toBe(true);
  });

  it("fails without it, or when it spares a principal, an action or the insecure case, naming what is missing", () => {
    expect(judge(check, sendFromBus).messages).toEqual([
      "Statement has no entry that denies every principal sqs:* or * when aws:SecureTransport is false",
    ]);
    expect(judge(check, { ...tlsDeny, Principal: { AWS: "111111111111" } }).ok).toBe(false);
    expect(judge(check, { ...tlsDeny, Action: "sqs:SendMessage" }).ok).toBe(false);
    expect(judge(check, { ...tlsDeny, Condition: { Bool: { "aws:SecureTransport": "true" } } }).ok).toBe(
      false,
    );
    expect(judge(check, { ...tlsDeny, Effect: "Allow" }).ok).toBe(false);
    // Deny with NotPrincipal denies everyone but some: not every principal.
    const { Principal: _, ...withoutPrincipal } = tlsDeny;
    expect(judge(check, { ...withoutPrincipal, NotPrincipal: { AWS: "111111111111" } }).ok).toBe(false);
  });

  it("says the policy's own sentence when a description stands beside it", () => {
    const described = { ...check, description: "denies every principal all SQS actions without TLS" };
    expect(judge(described, sendFromBus).messages).toEqual([
      "Statement has no entry that denies every principal all SQS actions without TLS",
    ]);
  });
});

describe("hasStatement", () => {
  const check = {
    hasStatement: {
      effect: "Deny",
      principal: "*",
      action: ["s3:putobject"],
      resource: ["arn:aws:s3:::b/*"],
    },
  };
  const deny = { Effect: "Deny", Principal: "*", Action: "s3:PutObject", Resource: "arn:aws:s3:::b/*" };

  it("holds when some statement matches every field of the pattern", () => {
    expect(judge(check, sendFromBus, deny).ok).toBe(true);
  });

  it("fails when no statement does, with a generated sentence", () => {
    expect(judge(check, { ...deny, Resource: "arn:aws:s3:::other/*" }).messages).toEqual([
      "Statement has no entry that denies every principal s3:putobject on arn:aws:s3:::b/*",
    ]);
  });

  it("matches a condition value among several, and requires no condition when `unconditional`", () => {
    const conditioned = {
      hasStatement: { condition: { StringEquals: { "aws:sourceaccount": "111111111111" } } },
    };
    const withCondition = {
      ...sendFromBus,
      Condition: { StringEquals: { "aws:SourceAccount": ["222222222222", "111111111111"] } },
    };
    expect(judge(conditioned, withCondition).ok).toBe(true);
    expect(judge(conditioned, sendFromBus).ok).toBe(false);
    const unconditional = { hasStatement: { effect: "Allow", unconditional: true } };
    expect(judge(unconditional, sendFromBus).ok).toBe(true);
    expect(judge(unconditional, withCondition).ok).toBe(false);
  });
});

describe("noStatementAllowing", () => {
  const admin = {
    description: "allows every action on every resource: full administrator access",
    noStatementAllowing: { action: ["*"], resource: ["*"] },
  };
  const adminStatement = { Effect: "Allow", Action: "*", Resource: "*" };

  it("fails on an Allow of the pattern, naming the statement, and holds on a Deny or a narrower Allow", () => {
    expect(judge(admin, sendFromBus, adminStatement).messages).toEqual([
      "Statement[1] allows every action on every resource: full administrator access",
    ]);
    expect(judge(admin, { ...adminStatement, Effect: "Deny" }).ok).toBe(true);
    expect(judge(admin, { ...adminStatement, Action: "s3:GetObject" }).ok).toBe(true);
    expect(judge(admin, { ...adminStatement, Resource: "arn:aws:s3:::b/*" }).ok).toBe(true);
  });

  it("reads an Allow with NotAction as at least as broad as the actions it does not name", () => {
    const { Action: _, ...noAction } = adminStatement;
    // Everything but IAM, on everything: administrator access in all but name.
    expect(judge(admin, { ...noAction, NotAction: "iam:*" }).ok).toBe(false);
    // NotAction "*" allows nothing.
    expect(judge(admin, { ...noAction, NotAction: "*" }).ok).toBe(true);
    const decrypt = { noStatementAllowing: { action: ["kms:decrypt", "kms:*"], resource: ["*"] } };
    expect(judge(decrypt, { ...noAction, NotAction: "s3:*" }).ok).toBe(false);
    expect(judge(decrypt, { ...noAction, NotAction: ["kms:*"] }).ok).toBe(true);
    expect(judge(decrypt, { ...noAction, NotAction: ["KMS:Decrypt"] }).ok).toBe(false);
  });

  it("reads an Allow with NotResource as every resource but those named", () => {
    const { Resource: _, ...noResource } = adminStatement;
    expect(judge(admin, { ...noResource, NotResource: "arn:aws:s3:::audit/*" }).ok).toBe(false);
    expect(judge(admin, { ...noResource, NotResource: "*" }).ok).toBe(true);
  });

  it("reads an Allow with NotPrincipal as every principal but those named", () => {
    const trust = { noStatementAllowing: { principal: "*", unconditional: true } };
    const assume = { Effect: "Allow", Action: "sts:AssumeRole" };
    expect(judge(trust, { ...assume, Principal: { Service: "lambda.amazonaws.com" } }).ok).toBe(true);
    expect(judge(trust, { ...assume, Principal: "*" }).ok).toBe(false);
    expect(judge(trust, { ...assume, NotPrincipal: { AWS: "arn:aws:iam::111111111111:root" } }).ok).toBe(
      false,
    );
    expect(
      judge(trust, { ...assume, Principal: "*", Condition: { StringEquals: { "sts:ExternalId": "x" } } }).ok,
    ).toBe(true);
  });

  it("matches actions by a regular expression: a service wildcard", () => {
    const wildcard = { noStatementAllowing: { actionMatching: "^[a-z0-9-]+:\\*$" } };
    expect(judge(wildcard, { Effect: "Allow", Action: "S3:*", Resource: "*" }).ok).toBe(false);
    expect(judge(wildcard, { Effect: "Allow", Action: "s3:Get*", Resource: "*" }).ok).toBe(true);
    expect(judge(wildcard, { Effect: "Allow", NotAction: "s3:*", Resource: "*" }).ok).toBe(false);
  });
});

describe("the statement keywords' own values", () => {
  it("are checked when a check compiles: unknown fields and wrong types are refused", () => {
    expect(() => ajv.compile({ hasStatement: { efect: "Deny" } })).toThrow(/additional properties/);
    expect(() => ajv.compile({ noStatementAllowing: { action: "*" } })).toThrow(/must be array/);
    expect(() => ajv.compile({ denyInsecureTransport: [] })).toThrow(/fewer than 1/);
  });
});
