// The scheduled sweep: every resource of the rule's scope is evaluated (ListDiscoveredResources
// paged, BatchGetResourceConfig at most 100 keys), resources the rule evaluated that no longer
// exist become NOT_APPLICABLE (GetComplianceDetailsByConfigRule paged), log groups (not recorded
// by Config) come from the Logs API; every evaluation is ordered by the notification time.

import { describe, expect, it } from "vitest";
import { parseRating } from "../../../engine/cia.ts";
import { ALLOWED_SERVICES_RULE } from "../../../engine/scope.ts";
import { resourceKey } from "../../support/config-endpoint.ts";
import { readFixture } from "../../support/fixtures.ts";
import { SWEEP_TIME, scheduledEvent } from "./support/events.ts";
import { epochSeconds, expectedRecord } from "./support/expected.ts";
import { ruleHarness } from "./support/harness.ts";

type Raw = Record<string, unknown>;

const harness = ruleHarness();

const realTable = readFixture("ci/AWS_DynamoDB_Table/rdk-sample-ci.json") as Raw;

/** A real DynamoDB table item under another name; every third one has point-in-time recovery on. */
function table(i: number): Raw {
  const name = `orders-${String(i).padStart(3, "0")}`;
  const arn = `arn:aws:dynamodb:eu-west-1:123456789012:table/${name}`;
  const supplementary = structuredClone(realTable.supplementaryConfiguration) as Raw;
  if (i % 3 === 0) {
    (supplementary.ContinuousBackupsDescription as Raw).pointInTimeRecoveryDescription = {
      pointInTimeRecoveryStatus: "ENABLED",
    };
  }
  return {
    ...structuredClone(realTable),
    resourceId: name,
    resourceName: name,
    arn,
    awsRegion: "eu-west-1",
    configuration: { ...(realTable.configuration as Raw), tableName: name, tableArn: arn },
    supplementaryConfiguration: supplementary,
  };
}

describe("scheduled sweep of a service", () => {
  const RULE = "compliance-dynamodb";
  const EXISTING = 300;
  const VANISHED = 40;

  it("evaluates a few hundred tables and marks the vanished ones NOT_APPLICABLE", async () => {
    const tables = Array.from({ length: EXISTING }, (_, i) => table(i));
    for (const t of tables) harness.endpoint.putResource(t);
    // Resources of other services: not this rule's business.
    harness.endpoint.putResource(readFixture("ci/AWS_S3_Bucket/c7n-s3.json") as Raw);
    harness.endpoint.putResource(readFixture("ci/AWS_EC2_Instance/rdk-sample-ci.json") as Raw);
    // What the rule wrote at the last sweep: every current table, and tables deleted since.
    for (const t of tables) {
      harness.endpoint.seedEvaluation({
        rule: RULE,
        resourceType: "AWS::DynamoDB::Table",
        resourceId: String(t.resourceId),
        complianceType: "COMPLIANT",
      });
    }
    const vanished = Array.from({ length: VANISHED }, (_, i) => `dropped-${i}`);
    vanished.forEach((id, i) => {
      harness.endpoint.seedEvaluation({
        rule: RULE,
        resourceType: "AWS::DynamoDB::Table",
        resourceId: id,
        complianceType: i % 2 ? "COMPLIANT" : "NON_COMPLIANT",
      });
    });
    // Already NOT_APPLICABLE: not written again. Another type: outside the sweep, left alone.
    harness.endpoint.seedEvaluation({
      rule: RULE,
      resourceType: "AWS::DynamoDB::Table",
      resourceId: "long-gone",
      complianceType: "NOT_APPLICABLE",
      annotation: "old",
    });
    harness.endpoint.seedEvaluation({
      rule: RULE,
      resourceType: "AWS::Foo::Bar",
      resourceId: "unrelated",
      complianceType: "NON_COMPLIANT",
    });

    const rating = "C2I3A1";
    const outcome = await harness.lambda.invoke(
      scheduledEvent({
        rule: RULE,
        resultToken: harness.endpoint.tokenFor(RULE),
        ruleParameters: { service: "dynamodb", ciaRating: rating },
      }),
    );

    // What was called, within the limits.
    const listed = harness.endpoint.callsOf("ListDiscoveredResources");
    expect(listed.map((c) => c.body.resourceType)).toEqual(Array(3).fill("AWS::DynamoDB::Table"));
    expect(listed.map((c) => c.body.nextToken)).toEqual([undefined, "100", "200"]);
    const batches = harness.endpoint
      .callsOf("BatchGetResourceConfig")
      .map((c) => (c.body.resourceKeys as unknown[]).length);
    expect(batches).toEqual([100, 100, 100]);
    const details = harness.endpoint.callsOf("GetComplianceDetailsByConfigRule");
    expect(details).toHaveLength(4); // 340 COMPLIANT / NON_COMPLIANT results, 100 a page
    expect(details.every((c) => c.body.Limit === 100 && c.body.ConfigRuleName === RULE)).toBe(true);
    const puts = harness.endpoint
      .callsOf("PutEvaluations")
      .map((c) => (c.body.Evaluations as unknown[]).length);
    expect(puts).toEqual([100, 100, 100, 40]);

    // Count them: every table has its fresh evaluation, every vanished one is NOT_APPLICABLE.
    const final = harness.endpoint.evaluationsOf(RULE);
    const at = epochSeconds(SWEEP_TIME);
    let checked = 0;
    for (const t of tables) {
      const expected = expectedRecord(t, { service: "dynamodb", rating: parseRating(rating)! });
      expect(final.get(resourceKey("AWS::DynamoDB::Table", String(t.resourceId)))).toMatchObject({
        complianceType: expected.compliance,
        annotation: expected.annotation,
        orderingTimestamp: at,
      });
      checked++;
    }
    for (const id of vanished) {
      expect(final.get(resourceKey("AWS::DynamoDB::Table", id))).toMatchObject({
        complianceType: "NOT_APPLICABLE",
        annotation: "Not applicable: the resource no longer exists.",
        orderingTimestamp: at,
      });
      checked++;
    }
    expect(checked).toBe(EXISTING + VANISHED);
    expect(harness.endpoint.accepted).toHaveLength(EXISTING + VANISHED);
    expect(final.get(resourceKey("AWS::DynamoDB::Table", "long-gone"))).toMatchObject({ annotation: "old" });
    expect(final.get(resourceKey("AWS::Foo::Bar", "unrelated"))).toMatchObject({
      complianceType: "NON_COMPLIANT",
    });
    expect(harness.endpoint.accepted.some((a) => a.resourceType !== "AWS::DynamoDB::Table")).toBe(false);
    // The verdicts really differ: the sweep is not writing one answer for all.
    const kinds = new Set(
      [...final.values()].filter((e) => e.resourceId.startsWith("orders-")).map((e) => e.annotation),
    );
    expect(kinds.size).toBeGreaterThan(1);

    expect(outcome).toMatchObject({
      status: "evaluated",
      written: EXISTING + VANISHED,
      itemsEvaluated: EXISTING,
      vanished: VANISHED,
    });
    expect(harness.lambda.metric("VanishedResources")).toBe(VANISHED);
    expect(harness.lambda.metric("ItemsEvaluated")).toBe(EXISTING);
    const byCompliance = ["COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE"].map((c) =>
      harness.lambda.metric("Evaluations", { compliance: c }),
    );
    expect(byCompliance.reduce((a, b) => a + b, 0)).toBe(EXISTING + VANISHED);
    expect(harness.lambda.metric("Evaluations", { compliance: "NOT_APPLICABLE" })).toBe(VANISHED);
  });

  it("reads what the rule evaluated before listing, so a resource created meanwhile is never taken for vanished", async () => {
    harness.endpoint.putResource(table(1));
    await harness.lambda.invoke(
      scheduledEvent({
        rule: RULE,
        resultToken: harness.endpoint.tokenFor(RULE),
        ruleParameters: { service: "dynamodb" },
      }),
    );
    const order = harness.endpoint.calls.map((c) => c.operation);
    expect(order.indexOf("GetComplianceDetailsByConfigRule")).toBeLessThan(
      order.indexOf("ListDiscoveredResources"),
    );
  });
});

describe("scheduled sweep of log groups (not recorded by AWS Config)", () => {
  const RULE = "compliance-logs";
  const ACCOUNT = "222222222222";

  function logGroup(i: number): Raw {
    const name = i % 4 === 0 ? `/aws/lambda/payments-${i}` : `/app/service-${i}`;
    const arn = `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:${name}`;
    return {
      logGroupName: name,
      creationTime: 1_700_000_000_000 + i,
      metricFilterCount: 0,
      arn: `${arn}:*`,
      logGroupArn: arn,
      storedBytes: 1024 * i,
      logGroupClass: "STANDARD",
      ...(i % 3 === 0 ? {} : { retentionInDays: i % 4 === 0 || i % 2 ? 30 : 400 }),
      ...(i % 5 === 0
        ? {}
        : { kmsKeyId: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab` }),
    };
  }

  /** The item the handler builds from a DescribeLogGroups entry (docs/HANDLERS.md). */
  const itemOf = (group: Raw, now: string): Raw => ({
    resourceType: "AWS::Logs::LogGroup",
    resourceId: group.logGroupName,
    resourceName: group.logGroupName,
    arn: group.logGroupArn,
    accountId: ACCOUNT,
    awsRegion: "eu-west-1",
    configuration: group,
    configurationItemStatus: "OK",
    configurationItemCaptureTime: now,
  });

  it("reads every log group through the Logs API (paged) and evaluates it, waivers included", async () => {
    const groups = Array.from({ length: 120 }, (_, i) => logGroup(i));
    harness.endpoint.setLogGroups(groups);
    harness.endpoint.seedEvaluation({
      rule: RULE,
      resourceType: "AWS::Logs::LogGroup",
      resourceId: "/app/deleted",
      complianceType: "NON_COMPLIANT",
    });

    const outcome = await harness.lambda.invoke(
      scheduledEvent({
        rule: RULE,
        accountId: ACCOUNT,
        resultToken: harness.endpoint.tokenFor(RULE),
        ruleParameters: { service: "logs" },
      }),
    );

    expect(harness.endpoint.callsOf("DescribeLogGroups").map((c) => c.body.nextToken)).toEqual([
      undefined,
      "50",
      "100",
    ]);
    expect(harness.endpoint.callsOf("DescribeLogGroups").every((c) => c.body.limit === 50)).toBe(true);
    expect(harness.endpoint.callsOf("ListDiscoveredResources")).toEqual([]);
    const final = harness.endpoint.evaluationsOf(RULE);
    expect(final.size).toBe(121);
    const now = new Date().toISOString();
    let waived = 0;
    for (const g of groups) {
      const expected = expectedRecord(itemOf(g, now), { service: "logs" });
      if (expected.findings.some((f) => f.status === "WAIVED")) waived++;
      expect(
        final.get(resourceKey("AWS::Logs::LogGroup", String(g.logGroupName))),
        String(g.logGroupName),
      ).toMatchObject({
        complianceType: expected.compliance,
        annotation: expected.annotation,
        orderingTimestamp: epochSeconds(SWEEP_TIME),
      });
    }
    // The sample waiver (payments-dev Lambda log groups, 30-day retention) applies to some of them.
    expect(waived).toBeGreaterThan(0);
    expect(new Set([...final.values()].map((e) => e.complianceType))).toEqual(
      new Set(["COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE"]),
    );
    expect(final.get(resourceKey("AWS::Logs::LogGroup", "/app/deleted"))?.complianceType).toBe(
      "NOT_APPLICABLE",
    );
    expect(outcome).toMatchObject({ itemsEvaluated: 120, vanished: 1, written: 121 });
  });
});

describe("a sweep with resource types it cannot read", () => {
  const RULE = "compliance-all";

  it("skips a type Config refuses to list (ValidationException), sweeps the others, takes none of it for vanished", async () => {
    harness.endpoint.putResource(table(2));
    const queue = readFixture("ci/AWS_SQS_Queue/c7n-eventbridge-sqs-discover.json") as Raw;
    harness.endpoint.putResource(queue);
    harness.endpoint.refuseTypes(["AWS::SQS::Queue"]);
    harness.endpoint.seedEvaluation({
      rule: RULE,
      resourceType: "AWS::SQS::Queue",
      resourceId: String(queue.resourceId),
      complianceType: "COMPLIANT",
    });

    const outcome = await harness.lambda.invoke(
      scheduledEvent({ rule: RULE, resultToken: harness.endpoint.tokenFor(RULE), ruleParameters: {} }),
    );

    expect(outcome).toMatchObject({ status: "evaluated", itemsEvaluated: 1, vanished: 0, written: 1 });
    expect(
      harness.endpoint
        .callsOf("ListDiscoveredResources")
        .find((c) => c.body.resourceType === "AWS::SQS::Queue")?.status,
    ).toBe(400);
    const final = harness.endpoint.evaluationsOf(RULE);
    expect(final.get(resourceKey("AWS::DynamoDB::Table", "orders-002"))?.complianceType).toBe(
      expectedRecord(table(2)).compliance,
    );
    expect(final.get(resourceKey("AWS::SQS::Queue", String(queue.resourceId)))?.resultToken).toBe("seed");
    expect(harness.lambda.logs).toContainEqual(
      expect.objectContaining({
        level: "ERROR",
        resourceType: "AWS::SQS::Queue",
        error: expect.stringContaining("ValidationException"),
      }),
    );
  });

  it("writes everything else, takes no log group for vanished, and logs the error", async () => {
    harness.endpoint.putResource(table(1));
    harness.endpoint.setLogGroups([
      { logGroupName: "/app/kept", arn: "arn:aws:logs:eu-west-1:1:log-group:/app/kept:*" },
    ]);
    for (const [type, id] of [
      ["AWS::Logs::LogGroup", "/app/kept"],
      ["AWS::DynamoDB::Table", "orders-gone"],
    ] as const) {
      harness.endpoint.seedEvaluation({
        rule: RULE,
        resourceType: type,
        resourceId: id,
        complianceType: "NON_COMPLIANT",
      });
    }
    // Every attempt of the Logs client fails (an outage, a missing endpoint or permission).
    harness.endpoint.failNext("DescribeLogGroups", "server", 3);

    const outcome = await harness.lambda.invoke(
      scheduledEvent({ rule: RULE, resultToken: harness.endpoint.tokenFor(RULE), ruleParameters: {} }),
    );

    expect(harness.endpoint.callsOf("DescribeLogGroups").map((c) => c.status)).toEqual([500, 500, 500]);
    expect(outcome).toMatchObject({ status: "evaluated", itemsEvaluated: 1, vanished: 1, written: 2 });
    const final = harness.endpoint.evaluationsOf(RULE);
    expect(final.get(resourceKey("AWS::DynamoDB::Table", "orders-001"))?.complianceType).toBe(
      expectedRecord(table(1)).compliance,
    );
    expect(final.get(resourceKey("AWS::DynamoDB::Table", "orders-gone"))?.complianceType).toBe(
      "NOT_APPLICABLE",
    );
    // Not read, so not known to be gone: its last evaluation stands.
    expect(final.get(resourceKey("AWS::Logs::LogGroup", "/app/kept"))).toMatchObject({
      complianceType: "NON_COMPLIANT",
      resultToken: "seed",
    });
    expect(harness.lambda.logs).toContainEqual(
      expect.objectContaining({
        level: "ERROR",
        rule: RULE,
        resourceType: "AWS::Logs::LogGroup",
        message: "resources could not be read: not evaluated in this sweep, none taken for vanished",
      }),
    );
    expect(harness.lambda.metric("ReadErrors")).toBe(1);
  });
});

describe("scheduled sweep of the allowed-services rule", () => {
  const RULE = "compliance-allowed-services";

  it("covers every recorded type that has resources, found with GetDiscoveredResourceCounts", async () => {
    harness.endpoint.putResource(table(7));
    const instance = readFixture("ci/AWS_EC2_Instance/rdk-sample-ci.json") as Raw;
    const vpc = readFixture("ci/AWS_EC2_VPC/rdk-sample-ci.json") as Raw;
    harness.endpoint.putResource(instance);
    harness.endpoint.putResource(vpc);
    harness.endpoint.seedEvaluation({
      rule: RULE,
      resourceType: "AWS::EC2::Subnet",
      resourceId: "subnet-gone",
      complianceType: "NON_COMPLIANT",
    });

    await harness.lambda.invoke(
      scheduledEvent({
        rule: RULE,
        resultToken: harness.endpoint.tokenFor(RULE),
        ruleParameters: { service: ALLOWED_SERVICES_RULE },
      }),
    );

    expect(harness.endpoint.callsOf("GetDiscoveredResourceCounts")).toHaveLength(1);
    expect(
      new Set(harness.endpoint.callsOf("ListDiscoveredResources").map((c) => c.body.resourceType)),
    ).toEqual(new Set(["AWS::DynamoDB::Table", "AWS::EC2::Instance", "AWS::EC2::VPC"]));
    const final = harness.endpoint.evaluationsOf(RULE);
    expect(final.get(resourceKey("AWS::DynamoDB::Table", "orders-007"))?.complianceType).toBe("COMPLIANT");
    expect(final.get(resourceKey("AWS::EC2::Instance", String(instance.resourceId)))?.complianceType).toBe(
      "NON_COMPLIANT",
    );
    expect(final.get(resourceKey("AWS::EC2::VPC", String(vpc.resourceId)))?.complianceType).toBe(
      "NON_COMPLIANT",
    );
    // Gone, whatever its type: with every type swept, absence means it no longer exists.
    expect(final.get(resourceKey("AWS::EC2::Subnet", "subnet-gone"))?.complianceType).toBe("NOT_APPLICABLE");
    expect(final.size).toBe(4);
  });
});
