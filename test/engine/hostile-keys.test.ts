// Input keys that must not change a verdict: an own "__proto__" key (JSON.parse makes it an own
// property) inside configuration, supplementaryConfiguration or a policy statement must stay data,
// never become the prototype of a copy that Ajv's `required`/`properties` would then read through.
// And policy documents the decoder cannot read fail closed, with the reason; documents it can
// read (URL-encoded twice or in part, lower-case element names) are decoded and judged.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { evaluate } from "../../engine/evaluate.ts";
import { normalise } from "../../engine/normalise.ts";
import { decodePolicy } from "../../engine/policy-document.ts";
import type { EvaluationRecord } from "../../engine/types.ts";
import { repositoryCatalogue } from "../support/catalogue.ts";

const catalogue = repositoryCatalogue();
const now = new Date("2026-11-28T00:00:00Z");
type Raw = Record<string, unknown>;

const fixture = (path: string): Raw => JSON.parse(readFileSync(`policies/fixtures/${path}`, "utf8")) as Raw;

/** Evaluates a configuration item given as JSON text (so "__proto__" is an own key, as read). */
function run(text: string): EvaluationRecord {
  return evaluate(normalise(JSON.parse(text)), catalogue, { rating: { c: 3, i: 3, a: 3 }, now });
}
const status = (r: EvaluationRecord, id: string) => r.findings.find((f) => f.controlId === id)?.status;
const message = (r: EvaluationRecord, id: string) =>
  r.findings.find((f) => f.controlId === id)?.message ?? "";

/** A real DynamoDB table item stripped of PITR, deletion protection and its CMK. */
function bareTable(): Raw {
  const table = fixture("AWS_DynamoDB_Table/rdk-sample-ci.json");
  const configuration = { ...(table.configuration as Raw) };
  delete configuration.deletionProtectionEnabled;
  delete configuration.ssedescription;
  delete configuration.billingModeSummary;
  return { ...table, configuration, supplementaryConfiguration: { Tags: [] } };
}

/** What the prototype keys try to smuggle in: every DynamoDB control satisfied. */
const TABLE_CONFIGURATION_BAIT = {
  deletionProtectionEnabled: true,
  billingModeSummary: { billingMode: "PAY_PER_REQUEST" },
  ssedescription: {
    status: "ENABLED",
    ssetype: "KMS",
    kmsmasterKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
  },
};
const TABLE_SUPPLEMENTARY_BAIT = {
  ContinuousBackupsDescription: { pointInTimeRecoveryDescription: { pointInTimeRecoveryStatus: "ENABLED" } },
};

/** Inserts `"__proto__": bait` as the first key of the object at `marker` in the JSON text. */
const withProto = (json: string, marker: string, bait: unknown) =>
  json.replace(marker, `${marker}"__proto__":${JSON.stringify(bait)},`);

describe("an own __proto__ key stays data", () => {
  it("the bare table is non-compliant on every DynamoDB control (the baseline)", () => {
    const r = run(JSON.stringify(bareTable()));
    for (const id of ["DDB.PITR", "DDB.DELETION-PROTECTION", "DDB.CMK", "DDB.ON-DEMAND"])
      expect(status(r, id), id).toBe("FAIL");
  });

  it("inside configuration and supplementaryConfiguration (notification shape)", () => {
    let text = JSON.stringify(bareTable());
    text = withProto(text, '"configuration":{', TABLE_CONFIGURATION_BAIT);
    text = withProto(text, '"supplementaryConfiguration":{', TABLE_SUPPLEMENTARY_BAIT);
    expect(Object.hasOwn(JSON.parse(text).configuration, "__proto__")).toBe(true);
    const r = run(text);
    expect(r.compliance).toBe("NON_COMPLIANT");
    for (const id of ["DDB.PITR", "DDB.DELETION-PROTECTION", "DDB.CMK", "DDB.ON-DEMAND"])
      expect(status(r, id), id).toBe("FAIL");
  });

  it("as a key of the API shape's supplementaryConfiguration, whose values are JSON strings", () => {
    const table = bareTable();
    const text = withProto(
      JSON.stringify({ ...table, supplementaryConfiguration: { Tags: "[]" } }),
      '"supplementaryConfiguration":{',
      JSON.stringify(TABLE_SUPPLEMENTARY_BAIT),
    );
    const r = run(text);
    expect(status(r, "DDB.PITR")).toBe("FAIL");
  });

  it("the key itself is kept as data on the normalised item, not as a prototype", () => {
    let text = JSON.stringify(bareTable());
    text = withProto(text, '"configuration":{', TABLE_CONFIGURATION_BAIT);
    const item = normalise(JSON.parse(text));
    const configuration = item.configuration as Raw;
    expect(Object.getPrototypeOf(configuration)).not.toHaveProperty("deletionProtectionEnabled");
    expect(
      (configuration as { deletionProtectionEnabled?: unknown }).deletionProtectionEnabled,
    ).toBeUndefined();
    expect(Object.hasOwn(configuration, "__proto__")).toBe(true);
  });

  const bucketWithPolicy = (statements: string): string => {
    const bucket = fixture("AWS_S3_Bucket/rdk-sample-ci.json");
    const supplementary = { ...(bucket.supplementaryConfiguration as Raw) };
    // The policy as the notification shape records it: a JSON string inside the item.
    supplementary.BucketPolicy = {
      policyText: `{"Version":"2012-10-17","Statement":[${statements}]}`,
    };
    return JSON.stringify({ ...bucket, supplementaryConfiguration: supplementary });
  };

  it("inside a policy statement: a public statement with a prototype Condition is still public", () => {
    const statement = `{"__proto__":{"Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}},"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}`;
    const r = run(bucketWithPolicy(statement));
    expect(status(r, "S3.NO-PUBLIC-POLICY")).toBe("FAIL");
    const decoded = decodePolicy(`{"Statement":[${statement}]}`) as { Statement: Raw[] };
    expect(decoded.Statement[0]!.Condition).toBeUndefined();
  });

  it("inside a policy statement: a prototype deny is no SSL-only deny", () => {
    // The deny in the canonical form the checks read, so that inheriting it would pass.
    const deny = {
      Effect: "Deny",
      Principal: { AWS: ["*"] },
      Action: ["s3:*"],
      Resource: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
      Condition: { Bool: { "aws:securetransport": ["false"] } },
    };
    const r = run(bucketWithPolicy(`{"__proto__":${JSON.stringify(deny)},"Sid":"nothing"}`));
    expect(status(r, "S3.SSL-ONLY")).toBe("FAIL");
    // The same deny as the statement's own keys passes: the check itself can pass.
    expect(status(run(bucketWithPolicy(JSON.stringify(deny))), "S3.SSL-ONLY")).toBe("PASS");
  });

  it("inside Principal and Condition blocks", () => {
    const statement = `{"Effect":"Allow","Principal":{"__proto__":{"Service":["x"]},"AWS":"*"},"Action":"s3:GetObject","Resource":"*","Condition":{"__proto__":{"StringEquals":{"aws:SourceAccount":"1"}}}}`;
    const r = run(bucketWithPolicy(statement));
    expect(status(r, "S3.NO-PUBLIC-POLICY")).toBe("FAIL");
  });
});

/** A real Lambda function item whose resource policy is recorded as `policy`. */
function functionWithPolicy(policy: unknown): string {
  const fn = fixture("AWS_Lambda_Function/rdk-sample-ci.json");
  return JSON.stringify({
    ...fn,
    supplementaryConfiguration: { ...(fn.supplementaryConfiguration as Raw), Policy: policy },
  });
}
const PUBLIC = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: "*", Action: "lambda:InvokeFunction", Resource: "*" }],
};
const PRIVATE = {
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Principal: { Service: "s3.amazonaws.com" },
      Action: "lambda:InvokeFunction",
      Resource: "*",
      // A service principal needs its source named (else it is a confused-deputy finding).
      Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
    },
  ],
};

describe("policy documents fail closed", () => {
  it("the public policy as plain JSON fails and the private one passes (the baseline)", () => {
    expect(status(run(functionWithPolicy(JSON.stringify(PUBLIC))), "LAMBDA.NO-PUBLIC-POLICY")).toBe("FAIL");
    expect(status(run(functionWithPolicy(JSON.stringify(PRIVATE))), "LAMBDA.NO-PUBLIC-POLICY")).toBe("PASS");
  });

  it("URL-encoded twice: decoded and judged", () => {
    const twice = encodeURIComponent(encodeURIComponent(JSON.stringify(PUBLIC)));
    expect(status(run(functionWithPolicy(twice)), "LAMBDA.NO-PUBLIC-POLICY")).toBe("FAIL");
    const privateTwice = encodeURIComponent(encodeURIComponent(JSON.stringify(PRIVATE)));
    expect(status(run(functionWithPolicy(privateTwice)), "LAMBDA.NO-PUBLIC-POLICY")).toBe("PASS");
  });

  it("URL-encoded in part: decoded and judged", () => {
    const text = JSON.stringify(PUBLIC).replace('"Principal":"*"', encodeURIComponent('"Principal":"*"'));
    expect(text).toContain("%22Principal%22");
    expect(status(run(functionWithPolicy(text)), "LAMBDA.NO-PUBLIC-POLICY")).toBe("FAIL");
  });

  it("lower-case element names: decoded and judged", () => {
    const lower = {
      version: "2012-10-17",
      statement: [{ effect: "Allow", principal: "*", action: "lambda:InvokeFunction", resource: "*" }],
    };
    expect(status(run(functionWithPolicy(JSON.stringify(lower))), "LAMBDA.NO-PUBLIC-POLICY")).toBe("FAIL");
    expect(status(run(functionWithPolicy(lower)), "LAMBDA.NO-PUBLIC-POLICY")).toBe("FAIL");
  });

  it("form-encoded: a FAIL naming why, never a SKIP", () => {
    const form = `Version=2012-10-17&Statement=${encodeURIComponent(JSON.stringify(PUBLIC.Statement))}`;
    const r = run(functionWithPolicy(form));
    expect(status(r, "LAMBDA.NO-PUBLIC-POLICY")).toBe("FAIL");
    expect(message(r, "LAMBDA.NO-PUBLIC-POLICY")).toMatch(/cannot be decoded.*fails closed/);
    expect(message(r, "LAMBDA.NO-PUBLIC-POLICY")).toContain("supplementaryConfiguration.Policy");
    expect(r.compliance).toBe("NON_COMPLIANT");
  });

  it("JSON encoded more times than the decoder follows: a FAIL naming why", () => {
    let text = JSON.stringify(PRIVATE);
    for (let i = 0; i < 12; i++) text = JSON.stringify(text);
    const r = run(functionWithPolicy(text));
    expect(status(r, "LAMBDA.NO-PUBLIC-POLICY")).toBe("FAIL");
    expect(message(r, "LAMBDA.NO-PUBLIC-POLICY")).toMatch(/encoded more than \d+ times/);
  });

  it("broken JSON and a document without statements: a FAIL naming why", () => {
    const broken = run(functionWithPolicy('{"Version":"2012-10-17","Statement":[{"Effect":"Allow",'));
    expect(status(broken, "LAMBDA.NO-PUBLIC-POLICY")).toBe("FAIL");
    expect(message(broken, "LAMBDA.NO-PUBLIC-POLICY")).toMatch(/not valid JSON/);
    const noStatement = run(functionWithPolicy('{"Version":"2012-10-17","Statements":[]}'));
    expect(status(noStatement, "LAMBDA.NO-PUBLIC-POLICY")).toBe("FAIL");
    expect(message(noStatement, "LAMBDA.NO-PUBLIC-POLICY")).toMatch(/no Statement/);
  });

  it("an undecodable S3 bucket policy fails every control that reads it, with the reason", () => {
    const bucket = fixture("AWS_S3_Bucket/rdk-sample-ci.json");
    const supplementary = {
      ...(bucket.supplementaryConfiguration as Raw),
      BucketPolicy: { policyText: "Version=1&Statement=x" },
    };
    const r = run(JSON.stringify({ ...bucket, supplementaryConfiguration: supplementary }));
    for (const id of ["S3.NO-PUBLIC-POLICY", "S3.SSL-ONLY"]) {
      expect(status(r, id), id).toBe("FAIL");
      expect(message(r, id), id).toContain("supplementaryConfiguration.BucketPolicy.policyText");
    }
    // Controls that do not read the policy are judged as usual.
    expect(status(r, "S3.VERSIONING")).toBe(status(run(JSON.stringify(bucket)), "S3.VERSIONING"));
  });
});
