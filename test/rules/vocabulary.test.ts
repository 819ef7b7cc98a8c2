// The policy vocabulary as a whole: each keyword is described in policy.schema.json (so an editor
// completes and checks inside a check), implications read as one sentence, shared definitions
// resolve, and every keyword survives Ajv's standalone code generation (the Lambda bundles).

import { createRequire } from "node:module";
import standaloneModule from "ajv/dist/standalone/index.js";
import { describe, expect, it } from "vitest";
import { checkCatalogue, createAjv } from "../../engine/catalogue.ts";
import { describeErrors } from "../../engine/messages.ts";
import { decodePolicy } from "../../engine/policy-document.ts";
import policySchema from "../../policies/policy.schema.json" with { type: "json" };
import { KEYWORDS } from "../../rules/index.ts";
import { MACRO_KEYWORD_NAMES } from "../../rules/macro-names.ts";
import { STATEMENT_PATTERN_SCHEMA } from "../../rules/statement-match.ts";

type Standalone = typeof standaloneModule;
// Published as CommonJS with a default export.
const standaloneCode: Standalone =
  (standaloneModule as unknown as { default?: Standalone }).default ?? standaloneModule;
const ajv = createAjv();
const checkProperties = policySchema.definitions.check.properties as unknown as Record<
  string,
  { description?: string }
>;

function judge(schema: Record<string, unknown>, item: unknown) {
  const validate = ajv.compile(schema);
  const ok = validate(item);
  return { ok, messages: ok ? [] : describeErrors(validate.errors ?? []) };
}

describe("policy.schema.json", () => {
  it("lists every macro keyword in rules/macro-names.ts (what the engine's messages read)", () => {
    const macros = KEYWORDS.filter((k) => "macro" in k).map((k) => String(k.keyword));
    expect([...MACRO_KEYWORD_NAMES].sort()).toEqual(macros.sort());
  });

  it("describes every keyword of the vocabulary inside a check", () => {
    for (const keyword of KEYWORDS) {
      expect(checkProperties[String(keyword.keyword)]?.description, String(keyword.keyword)).toMatch(
        /\w{10}/,
      );
    }
  });

  it("describes the statement pattern with the fields the matcher reads", () => {
    expect(Object.keys(policySchema.definitions.statementPattern.properties).sort()).toEqual(
      Object.keys(STATEMENT_PATTERN_SCHEMA.properties).sort(),
    );
  });

  it("makes a misspelt keyword inside a check an error at its line, and still checks the other controls", () => {
    const control = (id: string, check: unknown) => ({
      id,
      title: "Tables have point-in-time recovery",
      resourceType: "AWS::DynamoDB::Table",
      severity: "high",
      cia: { a: 2 },
      rationale: "Point-in-time recovery restores a table after a bad write: availability.",
      remediation: {
        console: "DynamoDB > Tables > Backups",
        cloudformation: "PointInTimeRecoveryEnabled: true",
      },
      references: ["FSBP DynamoDB.2"],
      check,
      cases: [
        { name: "pass", expect: "PASS", item: {} },
        { name: "fail", expect: "FAIL", item: {} },
      ],
    });
    const policy = {
      service: "dynamodb",
      title: "Amazon DynamoDB",
      iamPrefixes: ["dynamodb"],
      resourceTypes: ["AWS::DynamoDB::Table"],
      controls: [
        control("DDB.ONE", { at: { "/configuration/x": { requried: true } } }),
        control("DDB.ONE", { at: { "/configuration/x": { const: 1 } } }),
      ],
    };
    const { problems } = checkCatalogue([
      { file: "policies/dynamodb.json", text: JSON.stringify(policy, null, 2) },
    ]);
    expect(problems.map((p) => `${p.line}:${p.column} ${p.pointer}: ${p.message}`)).toEqual([
      expect.stringMatching(
        /^\d+:\d+ \/controls\/0\/check: invalid JSON Schema: at\."\/configuration\/x": unknown property "requried"$/,
      ),
      expect.stringMatching(/^\d+:\d+ \/controls\/1\/id: duplicate control id "DDB.ONE"/),
    ]);
  });
});

describe("if / then", () => {
  const cache = {
    type: "object",
    additionalProperties: {
      description: "caches responses without encryption",
      if: { at: { "/cachingEnabled": { const: true } } },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then
      then: { at: { "/cacheDataEncrypted": { const: true } } },
    },
  };

  it("holds when the condition does not, and when both do", () => {
    expect(judge(cache, { "*/*": { cachingEnabled: false } }).ok).toBe(true);
    expect(judge(cache, { "*/*": { cachingEnabled: true, cacheDataEncrypted: true } }).ok).toBe(true);
  });

  it("fails with its description as one sentence, or with the `then` errors when it has none", () => {
    expect(judge(cache, { "*/*": { cachingEnabled: true } }).messages).toEqual([
      "*/*: caches responses without encryption",
    ]);
    const { description: _, ...bare } = cache.additionalProperties;
    expect(
      judge({ type: "object", additionalProperties: bare }, { "*/*": { cachingEnabled: true } }).messages,
    ).toEqual(["*/*.cacheDataEncrypted is missing"]);
  });
});

describe("shared definitions", () => {
  it("resolve from a check by $ref, with the definition's own sentence", () => {
    const check = { at: { "/kmskeyArn": { $ref: "compliance:definitions#/definitions/kmsKeyArn" } } };
    expect(judge(check, { kmskeyArn: "arn:aws:kms:eu-west-1:111111111111:key/1234" }).ok).toBe(true);
    expect(judge(check, { kmskeyArn: "alias/aws/lambda" }).messages).toEqual([
      'kmskeyArn is "alias/aws/lambda", must be the ARN of a KMS key',
    ]);
  });
});

describe("standalone code generation", () => {
  it("generates code for every keyword that judges as the compiled schema does", () => {
    const policy = {
      type: "object",
      denyInsecureTransport: ["sqs:*"],
      publicAccess: false,
      noStatementAllowing: { action: ["*"], resource: ["*"] },
      hasStatement: { effect: "Deny" },
    };
    const check = {
      at: {
        "/configuration/Policy": policy,
        "/configuration/kmsKeyId": { $ref: "compliance:definitions#/definitions/kmsKeyArn" },
      },
    };
    // A pattern's value is checked on a path too: `unconditional` is only ever `true`.
    expect(() =>
      ajv.compile({ at: { "/p": { ...policy, hasStatement: { effect: "Deny", unconditional: false } } } }),
    ).toThrow(/must be equal to constant/);
    const generator = createAjv();
    generator.opts.code.source = true;
    generator.addSchema(check, "compliance:check:0");
    const code = standaloneCode(generator, { c0: "compliance:check:0" });
    const module = { exports: {} as Record<string, (data: unknown) => boolean> };
    new Function("module", "exports", "require", code)(
      module,
      module.exports,
      createRequire(import.meta.url),
    );
    const generated = module.exports.c0!;
    const compiled = ajv.compile(check);
    const item = (statements: unknown[], kmsKeyId = "arn:aws:kms:eu-west-1:111111111111:key/1") => ({
      configuration: { Policy: decodePolicy(JSON.stringify({ Statement: statements })), kmsKeyId },
    });
    const tls = {
      Effect: "Deny",
      Principal: "*",
      Action: "sqs:*",
      Resource: "*",
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    };
    const cases = [
      item([tls]),
      item([tls], "alias/aws/sqs"),
      item([{ Effect: "Allow", Principal: "*", Action: "sqs:*", Resource: "*" }, tls]),
      item([{ Effect: "Allow", Principal: { AWS: "111111111111" }, NotAction: "iam:*", Resource: "*" }, tls]),
      item([]),
    ];
    expect(cases.map((c) => compiled(c))).toEqual([true, false, false, false, false]);
    expect(cases.map((c) => generated(c))).toEqual(cases.map((c) => compiled(c)));
  });
});
