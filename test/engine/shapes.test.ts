// A verdict never depends on the shape of the input item. Every real item, rendered in random mixes
// of the notification and API shapes (field by field), with its embedded policy documents as
// objects, JSON strings, doubly encoded or URL-encoded, gives the same canonical item and the same
// verdict; and generated policy documents in every slot that controls read (S3 bucket policies,
// SNS/SQS/KMS/Lambda resource policies, IAM trust, inline and managed policy documents) give the
// same verdict in every rendering, with both outcomes reached.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { evaluate } from "../../engine/evaluate.ts";
import { normalise } from "../../engine/normalise.ts";
import { repositoryCatalogue } from "../support/catalogue.ts";
import { loadFixtures, readFixture } from "../support/fixtures.ts";
import { API, NOTIFICATION, type PolicyEncoding, render, type Style } from "./render-shapes.ts";

type Raw = Record<string, unknown>;

const catalogue = repositoryCatalogue();
const now = new Date("2026-11-28T00:00:00Z");
const HIGHEST = { c: 3, i: 3, a: 3 } as const;

function verdict(raw: Raw) {
  const record = evaluate(normalise(raw), catalogue, { rating: HIGHEST, now });
  return {
    compliance: record.compliance,
    annotation: record.annotation,
    achieved: record.achieved,
    findings: record.findings.map((f) => [f.controlId, f.status, f.message]),
  };
}

const ENCODINGS: PolicyEncoding[] = ["object", "json", "json-twice", "url"];

const style: fc.Arbitrary<Style> = fc.record({
  accountKey: fc.constantFrom("awsAccountId", "accountId"),
  arnKey: fc.constantFrom("ARN", "arn"),
  versionKey: fc.constantFrom("configurationItemVersion", "version"),
  relationshipKey: fc.constantFrom("name", "relationshipName"),
  time: fc.constantFrom("iso", "seconds"),
  configurationAsString: fc.boolean(),
  supplementaryStrings: fc.integer({ min: 0, max: 0xffff }),
  policy: fc.constantFrom(...ENCODINGS),
});

// Real items with their type (SelectResourceConfig rows carry none: it comes from their ARN).
// Items with placebo or Python-repr timestamps are left out: their capture time has no epoch form.
const real = [...loadFixtures("ci"), ...loadFixtures("ci-partial")].filter(
  (f) => !/__class__|datetime\.datetime/.test(JSON.stringify(f.raw)),
);

describe("every real item in every mix of shapes", () => {
  it("has the items whose controls read embedded documents", () => {
    const types = new Set(real.map((f) => f.resourceType));
    for (const type of [
      "AWS::S3::Bucket",
      "AWS::SNS::Topic",
      "AWS::SQS::Queue",
      "AWS::IAM::Role",
      "AWS::KMS::Key",
    ])
      expect(types).toContain(type);
  });

  it.each(real.map((f) => [f.name, f.raw as Raw] as const))(
    "%s: the notification shape, the API shape and random mixes give one canonical item and one verdict",
    (_name, raw) => {
      const canonical = normalise(raw);
      const expected = verdict(raw);
      for (const fixed of [NOTIFICATION, API]) {
        expect(normalise(render(raw, fixed))).toEqual(canonical);
        expect(verdict(render(raw, fixed))).toEqual(expected);
      }
      fc.assert(
        fc.property(style, (s) => {
          expect(normalise(render(raw, s))).toEqual(canonical);
        }),
        { numRuns: 15 },
      );
    },
  );
});

/** Where a policy document sits in an item, and the controls that read it. */
interface Slot {
  name: string;
  fixture: string;
  controls: string[];
  /** Actions the generator draws from (the service's own, and wildcards). */
  actions: string[];
  place(raw: Raw, document: Raw): void;
  good: Raw[];
  bad: Raw[];
}

const arn = "arn:aws:s3:::bucket";
const tlsDeny = (action: string) => ({
  Effect: "Deny",
  Principal: "*",
  Action: action,
  Resource: "*",
  Condition: { Bool: { "aws:SecureTransport": "false" } },
});
const publicAllow = (action: string) => ({
  Effect: "Allow",
  Principal: { AWS: "*" },
  Action: action,
  Resource: "*",
});

const SLOTS: Slot[] = [
  {
    name: "S3 bucket policy (supplementaryConfiguration.BucketPolicy.policyText)",
    fixture: "ci/AWS_S3_Bucket/rdk-sample-ci.json",
    controls: ["S3.SSL-ONLY", "S3.NO-PUBLIC-POLICY"],
    actions: ["s3:*", "S3:*", "*", "s3:GetObject", "s3:PutObject"],
    place: (raw, document) => {
      (raw.supplementaryConfiguration as Raw).BucketPolicy = { policyText: JSON.stringify(document) };
    },
    good: [tlsDeny("s3:*")],
    bad: [publicAllow("s3:GetObject")],
  },
  {
    name: "SNS topic policy (configuration.Policy)",
    fixture: "ci/AWS_SNS_Topic/rdk-sample-ci.json",
    controls: ["SNS.TLS-ONLY", "SNS.NO-PUBLIC-POLICY"],
    actions: ["sns:*", "SNS:Publish", "sns:Publish", "*", "sns:Subscribe"],
    place: (raw, document) => {
      (raw.configuration as Raw).Policy = JSON.stringify(document);
    },
    good: [tlsDeny("sns:Publish")],
    bad: [publicAllow("SNS:Publish")],
  },
  {
    name: "SQS queue policy (configuration.Policy)",
    fixture: "ci/AWS_SQS_Queue/c7n-eventbridge-sqs-discover.json",
    controls: ["SQS.TLS-ONLY", "SQS.NO-PUBLIC-POLICY"],
    actions: ["sqs:*", "SQS:*", "*", "sqs:SendMessage", "sqs:ReceiveMessage"],
    place: (raw, document) => {
      (raw.configuration as Raw).Policy = JSON.stringify(document);
    },
    good: [tlsDeny("sqs:*")],
    bad: [publicAllow("sqs:SendMessage")],
  },
  {
    name: "KMS key policy (supplementaryConfiguration.Policy)",
    fixture: "ci/AWS_KMS_Key/rdk-sample-ci.json",
    controls: ["KMS.NO-PUBLIC-POLICY"],
    actions: ["kms:*", "KMS:Decrypt", "*", "kms:Encrypt"],
    place: (raw, document) => {
      (raw.supplementaryConfiguration as Raw).Policy = JSON.stringify(document);
    },
    good: [
      {
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::111122223333:root" },
        Action: "kms:*",
        Resource: "*",
      },
    ],
    bad: [publicAllow("kms:Decrypt")],
  },
  {
    name: "Lambda function policy (supplementaryConfiguration.Policy)",
    fixture: "ci-partial/AWS_Lambda_Function/c7n-select-aws-lambda-config-source.json",
    controls: ["LAMBDA.NO-PUBLIC-POLICY"],
    actions: ["lambda:InvokeFunction", "lambda:*", "*"],
    place: (raw, document) => {
      (raw.supplementaryConfiguration as Raw).Policy = JSON.stringify(document);
    },
    good: [
      {
        Effect: "Allow",
        Principal: { Service: "events.amazonaws.com" },
        Action: "lambda:InvokeFunction",
        Resource: "*",
        Condition: { ArnLike: { "AWS:SourceArn": "arn:aws:events:us-east-2:111122223333:rule/x" } },
      },
    ],
    bad: [publicAllow("lambda:InvokeFunction")],
  },
  {
    name: "IAM role trust policy (configuration.assumeRolePolicyDocument)",
    fixture: "ci/AWS_IAM_Role/rdk-sample-ci.json",
    controls: ["IAM.ROLE-TRUST-NOT-PUBLIC"],
    actions: ["sts:AssumeRole", "STS:AssumeRole", "sts:*", "*"],
    place: (raw, document) => {
      (raw.configuration as Raw).assumeRolePolicyDocument = document;
    },
    good: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
    bad: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }],
  },
  {
    name: "IAM role inline policy (configuration.rolePolicyList[].policyDocument)",
    fixture: "ci/AWS_IAM_Role/rdk-sample-ci.json",
    controls: ["IAM.ROLE-NO-ADMIN-INLINE"],
    actions: ["*", "s3:GetObject", "iam:*", "IAM:PassRole"],
    place: (raw, document) => {
      (raw.configuration as Raw).rolePolicyList = [{ policyName: "inline", policyDocument: [document] }];
    },
    good: [{ Effect: "Allow", Action: "s3:GetObject", Resource: arn }],
    bad: [{ Effect: "Allow", Action: "*", Resource: "*" }],
  },
  {
    name: "IAM managed policy (configuration.policyVersionList[].document)",
    fixture: "ci/AWS_IAM_Policy/rdk-sample-ci.json",
    controls: ["IAM.NO-ADMIN-POLICY", "IAM.NO-SERVICE-WILDCARD"],
    actions: ["*", "s3:*", "s3:GetObject", "elasticloadbalancing:Describe*", "KMS:Decrypt"],
    place: (raw, document) => {
      const versions = (raw.configuration as Raw).policyVersionList as Raw[];
      versions[0]!.document = [document];
    },
    good: [{ Effect: "Allow", Action: "elasticloadbalancing:Describe*", Resource: "*" }],
    bad: [
      { Effect: "Allow", Action: "*", Resource: "*" },
      { Effect: "Allow", Action: "s3:*", Resource: "*" },
    ],
  },
];

const principal = fc.constantFrom<unknown>(
  "*",
  { AWS: "*" },
  { AWS: ["*"] },
  { AWS: "arn:aws:iam::111122223333:root" },
  { Service: "events.amazonaws.com" },
);
const condition = fc.constantFrom<unknown>(
  undefined,
  { Bool: { "aws:SecureTransport": "false" } },
  { Bool: { "aws:securetransport": ["false"] } },
  { StringEquals: { "aws:SourceAccount": "111122223333" } },
  { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } },
);

function statements(actions: string[]): fc.Arbitrary<Raw[]> {
  const action = fc.constantFrom(...actions);
  const statement = fc
    .record({
      Effect: fc.constantFrom("Allow", "Deny"),
      Principal: principal,
      Action: fc.oneof(action, fc.array(action, { minLength: 1, maxLength: 2 })),
      Resource: fc.constantFrom<unknown>("*", ["*"], arn),
      Condition: condition,
    })
    .map((s) => Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)));
  return fc.array(statement, { minLength: 1, maxLength: 3 });
}

function itemWith(slot: Slot, statementList: Raw[]): Raw {
  const raw = structuredClone(readFixture(slot.fixture)) as Raw;
  slot.place(raw, { Version: "2012-10-17", Statement: statementList });
  return raw;
}

function statuses(raw: Raw, controls: string[]): string[] {
  const record = evaluate(normalise(raw), catalogue, { rating: HIGHEST, now });
  return controls.map((id) => record.findings.find((f) => f.controlId === id)?.status ?? "absent");
}

describe.each(SLOTS)("$name", (slot) => {
  it("reaches both outcomes: a good document passes its controls, a bad one fails them", () => {
    for (const s of [NOTIFICATION, API, ...ENCODINGS.map((policy) => ({ ...API, policy }))]) {
      expect(statuses(render(itemWith(slot, slot.good), s), slot.controls)).toEqual(
        slot.controls.map(() => "PASS"),
      );
      expect(statuses(render(itemWith(slot, slot.bad), s), slot.controls)).toEqual(
        slot.controls.map(() => "FAIL"),
      );
    }
  });

  it("gives every generated document the same verdict in every shape and encoding (property)", () => {
    fc.assert(
      fc.property(statements(slot.actions), style, (list, s) => {
        const raw = itemWith(slot, list);
        const rendered = render(raw, s);
        // The rendering really encodes the document as chosen.
        const text = JSON.stringify(rendered);
        if (s.policy === "url") expect(text).toContain("%22Statement%22");
        if (s.policy === "json-twice") expect(text).toMatch(/\\\\+"Statement/);
        expect(verdict(rendered)).toEqual(verdict(raw));
      }),
      { numRuns: 60 },
    );
  });
});
