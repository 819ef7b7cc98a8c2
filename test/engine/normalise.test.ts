import { describe, expect, it } from "vitest";
import { InputError } from "../../engine/errors.ts";
import { evaluate } from "../../engine/evaluate.ts";
import { resourceTypeFromArn } from "../../engine/infer-resource-type.ts";
import { normalise, toIsoTime } from "../../engine/normalise.ts";
import { repositoryCatalogue } from "../support/catalogue.ts";
import { loadFixtures, readFixture } from "../support/fixtures.ts";
import { toApiShape, toNotificationShape } from "../support/shapes.ts";

const catalogue = repositoryCatalogue();
const now = new Date("2026-11-28T00:00:00Z");
const full = loadFixtures("ci");
const partial = loadFixtures("ci-partial");

/** What must not depend on the shape: the compliance, the annotation and every finding. */
function verdict(raw: unknown, resourceType?: string) {
  const item = normalise(raw, resourceType ? { resourceType } : {});
  const record = evaluate(item, catalogue, { rating: { c: 3, i: 3, a: 3 }, now });
  return {
    compliance: record.compliance,
    annotation: record.annotation,
    achieved: record.achieved,
    findings: record.findings.map((f) => [f.controlId, f.status, f.message]),
  };
}

describe("normalise: every real item", () => {
  it("has fixtures to read", () => {
    expect(full.length).toBeGreaterThanOrEqual(100);
    expect(partial.length).toBeGreaterThanOrEqual(20);
  });

  it.each(full.map((f) => [f.name, f] as const))("%s normalises and evaluates", (_name, fixture) => {
    const item = normalise(fixture.raw);
    expect(item.resourceType.toLowerCase()).toBe(fixture.resourceType.toLowerCase());
    expect(item.accountId).toMatch(/^\d+$/);
    expect(Number.isNaN(Date.parse(item.configurationItemCaptureTime))).toBe(false);
    expect(item.configuration === null || typeof item.configuration === "object").toBe(true);
    for (const value of Object.values(item.supplementaryConfiguration)) {
      // Embedded JSON strings are decoded: no supplementary value is a JSON document in a string.
      if (typeof value === "string") expect(value.trim()).not.toMatch(/^[[{]/);
    }
    const record = evaluate(item, catalogue, { rating: { c: 3, i: 3, a: 3 }, now });
    expect(record.annotation.length).toBeLessThanOrEqual(256);
  });

  it.each(partial.map((f) => [f.name, f] as const))(
    "%s (SelectResourceConfig row) normalises, its type read from its own ARN",
    (_name, fixture) => {
      const item = normalise(fixture.raw, { resourceType: fixture.resourceType });
      expect(item.resourceType).toBe(fixture.resourceType);
      expect(item.configuration).not.toBeNull();
      expect(() => evaluate(item, catalogue, { rating: { c: 3, i: 3, a: 3 }, now })).not.toThrow();
      // Without the hint the row's type comes from its ARN (or its S3 / security group shape).
      expect(normalise(fixture.raw)).toEqual(item);
    },
  );
});

// Random mixes of shapes and encodings over every real item: shapes.test.ts.
describe("normalise: shapes", () => {
  it("gives identical verdicts for API-shape items rendered as notifications", () => {
    const api = full.filter((f) => typeof (f.raw as Record<string, unknown>).configuration === "string");
    expect(api.length).toBeGreaterThan(5);
    for (const fixture of api) {
      const raw = fixture.raw as Record<string, unknown>;
      expect(verdict(toNotificationShape(raw)), fixture.name).toEqual(verdict(raw));
    }
  });

  it("keeps the same canonical item across shapes", () => {
    const raw = readFixture("ci/AWS_S3_Bucket/rdk-sample-ci.json") as Record<string, unknown>;
    const a = normalise(raw);
    const b = normalise(toApiShape(raw));
    expect(b).toEqual(a);
  });
});

describe("normalise: embedded documents", () => {
  it("decodes an S3 bucket policy and a doubly encoded ACL", () => {
    const item = normalise(readFixture("ci/AWS_S3_Bucket/rdk-sample-ci.json"));
    const policy = (item.supplementaryConfiguration.BucketPolicy as { policyText: { Statement: unknown[] } })
      .policyText;
    expect(policy.Statement).toEqual([
      {
        Sid: "Stmt1478389920384",
        Effect: "Deny",
        Principal: { AWS: ["*"] },
        Action: ["s3:*"],
        Resource: ["arn:aws:s3:::mborch-test-bucket-config-item"],
        Condition: { Bool: { "aws:securetransport": ["false"] } },
      },
    ]);
    const twice = normalise(readFixture("ci/AWS_S3_Bucket/c7n-s3.json"));
    expect(
      (twice.supplementaryConfiguration.AccessControlList as { grantList: unknown[] }).grantList,
    ).toHaveLength(1);
    expect(twice.supplementaryConfiguration.IsRequesterPaysEnabled).toBe(false);
  });

  it("decodes a URL-encoded IAM trust policy and the RDK's array-wrapped documents alike", () => {
    const role = normalise(
      readFixture("ci-partial/AWS_IAM_Role/c7n-select-set-policy-arn-construction.json"),
      {
        resourceType: "AWS::IAM::Role",
      },
    );
    expect(role.configuration?.assumeRolePolicyDocument).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Principal: { Service: ["lambda.amazonaws.com"] }, Action: ["sts:assumerole"] },
      ],
    });
    const user = normalise(readFixture("ci/AWS_IAM_User/rdk-sample-ci.json"));
    const list = user.configuration?.userPolicyList as {
      policyDocument: { Statement: { Action: string[] }[] };
    }[];
    expect(list[0]?.policyDocument.Statement[0]?.Action).toEqual(["codedeploy:*"]);
    // The same document URL-encoded (as the API records it) decodes to the same canonical form.
    const raw = structuredClone(readFixture("ci/AWS_IAM_User/rdk-sample-ci.json")) as {
      configuration: { userPolicyList: { policyDocument: unknown }[] };
    };
    const doc = (raw.configuration.userPolicyList[0]!.policyDocument as unknown[])[0];
    raw.configuration.userPolicyList[0]!.policyDocument = encodeURIComponent(JSON.stringify(doc));
    expect(normalise(raw).configuration!.userPolicyList).toEqual(user.configuration?.userPolicyList);
  });

  it("decodes SNS, SQS, KMS and Lambda policy strings", () => {
    const sns = normalise(readFixture("ci/AWS_SNS_Topic/rdk-sample-ci.json"));
    expect((sns.configuration!.Policy as { Statement: unknown[] }).Statement).toHaveLength(3);
    const sqs = normalise(readFixture("ci/AWS_SQS_Queue/c7n-eventbridge-sqs-discover.json"));
    expect(
      (sqs.configuration!.Policy as { Statement: { Principal: unknown }[] }).Statement[0]?.Principal,
    ).toEqual({
      Service: ["events.amazonaws.com"],
    });
    const kms = normalise(readFixture("ci/AWS_KMS_Key/rdk-sample-ci.json"));
    expect(typeof kms.supplementaryConfiguration.Policy).toBe("object");
    const lambda = normalise(
      readFixture("ci-partial/AWS_Lambda_Function/c7n-select-aws-lambda-config-source.json"),
      {
        resourceType: "AWS::Lambda::Function",
      },
    );
    expect(
      (lambda.supplementaryConfiguration.Policy as { Statement: { Action: string[] }[] }).Statement[0]
        ?.Action,
    ).toEqual(["lambda:invokefunction"]);
  });
});

describe("normalise: fields", () => {
  it("reads epoch seconds, epoch milliseconds, ISO strings, Dates and placebo datetimes", () => {
    expect(toIsoTime(1414708529.922)).toBe("2014-10-30T22:35:29.922Z");
    expect(toIsoTime(1549956556288)).toBe("2019-02-12T07:29:16.288Z");
    expect(toIsoTime("2017-02-04T06:10:33.880000-05:00")).toBe("2017-02-04T11:10:33.880Z");
    expect(toIsoTime("datetime.datetime(2020, 4, 22, 13, 13, 17, 718000, tzinfo=tzlocal())")).toBe(
      "2020-04-22T13:13:17.718Z",
    );
    expect(toIsoTime(new Date("2020-01-01T00:00:00Z"))).toBe("2020-01-01T00:00:00.000Z");
    expect(
      toIsoTime({
        __class__: "datetime",
        year: 2017,
        month: 3,
        day: 9,
        hour: 14,
        minute: 5,
        second: 1,
        microsecond: 0,
      }),
    ).toBe("2017-03-09T14:05:01.000Z");
  });

  it("spells the 2014 documentation's upper-case resource types as AWS Config does", () => {
    const item = normalise({
      resourceType: "AWS::EC2::VOLUME",
      resourceId: "vol-1",
      configuration: {},
      configurationItemStatus: "OK",
    });
    expect(item.resourceType).toBe("AWS::EC2::Volume");
  });

  it("rejects what is not a configuration item, naming the reason", () => {
    expect(() => normalise([])).toThrow(/JSON object/);
    expect(() => normalise({ hello: "world" })).toThrow(/not a configuration item/);
    expect(() => normalise({ configuration: {} })).toThrow(/has no `resourceType`/);
    // An ARN the resource only refers to (a function's role) does not tell the type.
    expect(() =>
      normalise({ configuration: { functionName: "f", role: "arn:aws:iam::111122223333:role/r" } }),
    ).toThrow(/has no `resourceType`/);
  });

  it("rejects a capture or creation time that is not a time, naming the field and the value", () => {
    const item = {
      resourceType: "AWS::S3::Bucket",
      resourceId: "b",
      configuration: {},
      configurationItemCaptureTime: "2024-05-01T12:00:00.000Z",
    };
    const cases: [Record<string, unknown>, string][] = [
      [
        { configurationItemCaptureTime: "yesterday" },
        '`configurationItemCaptureTime` is not a time: "yesterday"',
      ],
      [
        { configurationItemCaptureTime: "2022-13-45T99:00:00Z" },
        '`configurationItemCaptureTime` is not a time: "2022-13-45T99:00:00Z"',
      ],
      [
        { configurationItemCaptureTime: 1e20 },
        "`configurationItemCaptureTime` is not a time: 100000000000000000000",
      ],
      [{ configurationItemCaptureTime: true }, "`configurationItemCaptureTime` is not a time: true"],
      [
        { configurationItemCaptureTime: { at: 1 } },
        "`configurationItemCaptureTime` is not a time: an object",
      ],
      [{ resourceCreationTime: "soon" }, '`resourceCreationTime` is not a time: "soon"'],
      [
        { resourceCreationTime: "x".repeat(100) },
        `\`resourceCreationTime\` is not a time: "${"x".repeat(40)}..."`,
      ],
    ];
    for (const [change, message] of cases) {
      expect(() => normalise({ ...item, ...change }), message).toThrow(InputError);
      expect(() => normalise({ ...item, ...change })).toThrow(message);
    }
    // Absent, null or empty: no time (the capture time then defaults to the epoch, as before).
    for (const none of [undefined, null, ""]) {
      const read = normalise({ ...item, configurationItemCaptureTime: none, resourceCreationTime: none });
      expect(read.configurationItemCaptureTime).toBe("1970-01-01T00:00:00.000Z");
      expect(read.resourceCreationTime).toBeUndefined();
    }
  });

  it("rejects an identity field that is not a string, naming the field and the value", () => {
    const item = {
      resourceType: "AWS::S3::Bucket",
      resourceId: "b",
      awsAccountId: "012345678901",
      awsRegion: "eu-west-1",
      ARN: "arn:aws:s3:::b",
      configuration: {},
    };
    const cases: [Record<string, unknown>, string][] = [
      [{ resourceType: 5 }, "`resourceType` is not a string: 5"],
      [{ resourceType: ["AWS::S3::Bucket"] }, "`resourceType` is not a string: an array"],
      [{ resourceId: { id: "b" } }, "`resourceId` is not a string: an object"],
      [{ resourceName: 7 }, "`resourceName` is not a string: 7"],
      [{ awsAccountId: 12345678901 }, "`awsAccountId` is not a string: 12345678901"],
      [{ awsAccountId: undefined, accountId: 12345678901 }, "`accountId` is not a string: 12345678901"],
      [{ awsRegion: false }, "`awsRegion` is not a string: false"],
      [{ ARN: 1 }, "`ARN` is not a string: 1"],
      [{ ARN: undefined, arn: {} }, "`arn` is not a string: an object"],
    ];
    for (const [change, message] of cases) {
      expect(() => normalise({ ...item, ...change }), message).toThrow(InputError);
      expect(() => normalise({ ...item, ...change })).toThrow(message);
    }
    // Null is absent, as AWS writes a resource name it does not know.
    expect(normalise({ ...item, resourceName: null }).resourceName).toBeUndefined();
    expect(normalise(item)).toMatchObject({ accountId: "012345678901", awsRegion: "eu-west-1" });
  });

  it("gives a row told by its shape the id and account its configuration records", () => {
    const group = normalise(
      readFixture("ci-partial/AWS_EC2_SecurityGroup/c7n-select-security-group-config-source.json"),
    );
    expect(group).toMatchObject({
      resourceType: "AWS::EC2::SecurityGroup",
      resourceId: "sg-6c7fa917",
      accountId: "644160558196",
      awsRegion: "unknown",
    });
    const bucket = normalise(readFixture("ci-partial/AWS_S3_Bucket/c7n-select-s3-metrics-user-dims.json"));
    expect(bucket).toMatchObject({
      resourceType: "AWS::S3::Bucket",
      resourceId: "c7n-ssm-build",
      awsRegion: "us-east-2",
    });
    // Rows of two groups stay apart; what the row itself carries comes first.
    const row = (configuration: Record<string, unknown>, more: Record<string, unknown> = {}) =>
      normalise({ configuration: { ipPermissions: [], ...configuration }, ...more });
    expect(row({ groupId: "sg-1", ownerId: "111122223333" })).toMatchObject({
      resourceId: "sg-1",
      accountId: "111122223333",
    });
    expect(row({ groupId: "sg-2", ownerId: "111122223333" }).resourceId).toBe("sg-2");
    expect(
      row({ groupId: "sg-1", ownerId: "111122223333" }, { resourceId: "sg-9", accountId: "444455556666" }),
    ).toMatchObject({
      resourceId: "sg-9",
      accountId: "444455556666",
    });
    // An owner that is not an account id is not taken for one.
    expect(row({ groupId: "sg-1", ownerId: "amazon" }).accountId).toBe("unknown");
  });

  it("reads a row's type, account and region from its own ARN", () => {
    const row = normalise({
      resourceId: "arn:aws:sns:eu-west-1:111122223333:alerts",
      configuration: { TopicArn: "arn:aws:sns:eu-west-1:111122223333:alerts" },
    });
    expect(row).toMatchObject({
      resourceType: "AWS::SNS::Topic",
      accountId: "111122223333",
      awsRegion: "eu-west-1",
      arn: "arn:aws:sns:eu-west-1:111122223333:alerts",
    });
    const cases: [string, string | undefined][] = [
      ["arn:aws:s3:::my-bucket", "AWS::S3::Bucket"],
      ["arn:aws:s3:::my-bucket/key", undefined],
      ["arn:aws:dynamodb:eu-west-1:111122223333:table/t", "AWS::DynamoDB::Table"],
      ["arn:aws:dynamodb:eu-west-1:111122223333:table/t/stream/2020", undefined],
      ["arn:aws:lambda:eu-west-1:111122223333:function:f", "AWS::Lambda::Function"],
      ["arn:aws:sqs:eu-west-1:111122223333:q", "AWS::SQS::Queue"],
      ["arn:aws:sns:eu-west-1:111122223333:t:6f1c-subscription", undefined],
      ["arn:aws:iam::111122223333:role/service-role/r", "AWS::IAM::Role"],
      ["arn:aws:apigateway:us-east-2::/restapis/abc/stages/dev", "AWS::ApiGateway::Stage"],
      ["arn:aws:apigateway:us-east-2::/apis/abc/stages/dev", "AWS::ApiGatewayV2::Stage"],
      ["arn:aws:kms:eu-west-1:111122223333:alias/a", "AWS::KMS::Alias"],
      ["arn:aws:ec2:eu-west-1:111122223333:instance/i-1", "AWS::EC2::Instance"],
      ["arn:aws:glue:eu-west-1:111122223333:job/j", undefined],
      ["not-an-arn", undefined],
    ];
    for (const [arn, type] of cases) expect(resourceTypeFromArn(arn), arn).toBe(type);
  });
});
