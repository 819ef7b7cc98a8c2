import { describe, expect, it } from "vitest";
import { createAjv } from "../../engine/catalogue.ts";
import { describeErrors } from "../../engine/messages.ts";
import { decodePolicy } from "../../engine/policy-document.ts";

const ajv = createAjv();
const notPublic = ajv.compile({ type: "object", publicAccess: false });

/** Judges a policy document as AWS Config records it (a JSON string), after canonicalisation. */
function judge(statement: Record<string, unknown>) {
  const document = decodePolicy(JSON.stringify({ Version: "2012-10-17", Statement: [statement] }));
  const ok = notPublic(document);
  return { ok, messages: ok ? [] : describeErrors(notPublic.errors ?? []) };
}

const allowAll = {
  Effect: "Allow",
  Principal: "*",
  Action: "sns:Publish",
  Resource: "arn:aws:sns:eu-west-1:111111111111:t",
};

describe("RULE.PUBLIC-ACCESS (`publicAccess: false`)", () => {
  it("rejects a statement that allows every principal with no condition, naming it", () => {
    expect(judge(allowAll)).toEqual({
      ok: false,
      messages: [
        'Statement[0] allows every principal ("*") with no condition limiting it to an account, organisation or source',
      ],
    });
    expect(judge({ ...allowAll, Principal: { AWS: "*" } }).ok).toBe(false);
    expect(judge({ ...allowAll, Principal: { AWS: ["arn:aws:iam::111111111111:root", "*"] } }).ok).toBe(
      false,
    );
  });

  it("rejects a condition that does not limit who (TLS only, or a wildcard account)", () => {
    expect(judge({ ...allowAll, Condition: { Bool: { "aws:SecureTransport": "true" } } }).ok).toBe(false);
    expect(judge({ ...allowAll, Condition: { StringLike: { "aws:SourceAccount": "*" } } }).ok).toBe(false);
    expect(judge({ ...allowAll, Condition: {} }).ok).toBe(false);
  });

  it("rejects Allow with NotPrincipal: everyone but a few", () => {
    expect(
      judge({ Effect: "Allow", NotPrincipal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "s3:*" }).ok,
    ).toBe(false);
  });

  it.each([
    ["the source account", { StringEquals: { "aws:SourceAccount": "111111111111" } }],
    ["the source owner, however it is spelled", { StringEquals: { "AWS:SourceOwner": "111111111111" } }],
    ["the organisation", { StringEquals: { "aws:PrincipalOrgID": "o-abc123" } }],
    ["the source ARN", { ArnLike: { "aws:SourceArn": "arn:aws:execute-api:eu-west-1:111111111111:abc/*" } }],
    [
      "the KMS caller account",
      {
        StringEquals: {
          "kms:CallerAccount": "111111111111",
          "kms:ViaService": "lambda.eu-west-1.amazonaws.com",
        },
      },
    ],
  ])('accepts "*" limited by %s', (_what, condition) => {
    expect(judge({ ...allowAll, Condition: condition }).ok).toBe(true);
  });

  it("accepts named principals, services tied to a source, and denies", () => {
    expect(judge({ ...allowAll, Principal: { AWS: "arn:aws:iam::111111111111:root" } }).ok).toBe(true);
    expect(
      judge({
        ...allowAll,
        Principal: { Service: "events.amazonaws.com" },
        Condition: { ArnEquals: { "aws:SourceArn": "arn:aws:events:eu-west-1:111111111111:rule/orders" } },
      }).ok,
    ).toBe(true);
    expect(judge({ ...allowAll, Effect: "Deny" }).ok).toBe(true);
  });

  it("expands to plain JSON Schema, so Ajv standalone code generation still applies", async () => {
    const { default: standalone } = await import("ajv/dist/standalone/index.js");
    const generate = (standalone as unknown as { default?: typeof standalone }).default ?? standalone;
    const standaloneAjv = createAjv();
    // Standalone generation needs the source kept at compile time.
    standaloneAjv.opts.code.source = true;
    const validate = standaloneAjv.compile({ type: "object", publicAccess: false });
    expect(generate(standaloneAjv, validate)).toContain("Statement");
  });
});
