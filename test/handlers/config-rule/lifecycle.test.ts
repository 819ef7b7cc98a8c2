// Resource lifecycle and rule set-up cases through the built bundle: deleted and unrecorded
// resources, resources that left the rule's scope, test mode, oversized items, rule parameters,
// and malformed events.

import { describe, expect, it } from "vitest";
import { readFixture } from "../../support/fixtures.ts";
import { changeEvent, oversizedEvent, summaryOf } from "./support/events.ts";
import { epochSeconds, expectedRecord } from "./support/expected.ts";
import { ruleHarness } from "./support/harness.ts";

type Raw = Record<string, unknown>;

const harness = ruleHarness();

const table = () => readFixture("ci/AWS_DynamoDB_Table/rdk-sample-ci.json") as Raw;
const dynamodb = { rule: "compliance-dynamodb", ruleParameters: { service: "dynamodb" } };

describe("resources that are gone or out of scope are NOT_APPLICABLE", () => {
  it.each(["ResourceDeleted", "ResourceDeletedNotRecorded", "ResourceNotRecorded"])("%s", async (status) => {
    const item = { ...table(), configurationItemStatus: status, configuration: null };
    const outcome = await harness.lambda.invoke(changeEvent(item, { ...dynamodb, resultToken: "t" }));
    expect(outcome.byCompliance).toEqual({ COMPLIANT: 0, NON_COMPLIANT: 0, NOT_APPLICABLE: 1 });
    expect(harness.endpoint.accepted).toEqual([
      expect.objectContaining({
        resourceId: "test",
        complianceType: "NOT_APPLICABLE",
        annotation: `Not applicable: the resource is ${status}.`,
      }),
    ]);
  });

  it("eventLeftScope: true", async () => {
    await harness.lambda.invoke(
      changeEvent(table(), { ...dynamodb, resultToken: "t", eventLeftScope: true }),
    );
    expect(harness.endpoint.accepted).toEqual([
      expect.objectContaining({
        complianceType: "NOT_APPLICABLE",
        annotation: "Not applicable: the resource left the rule's scope.",
      }),
    ]);
  });

  it("an oversized notification of a deleted resource or one out of scope fetches nothing", async () => {
    const deleted = summaryOf({ ...table(), configurationItemStatus: "ResourceDeleted" });
    await harness.lambda.invoke(oversizedEvent(deleted, { ...dynamodb, resultToken: "t" }));
    await harness.lambda.invoke(
      oversizedEvent(summaryOf(table()), { ...dynamodb, resultToken: "t", eventLeftScope: true }),
    );
    expect(harness.endpoint.callsOf("GetResourceConfigHistory")).toEqual([]);
    expect(harness.endpoint.accepted.map((a) => a.complianceType)).toEqual([
      "NOT_APPLICABLE",
      "NOT_APPLICABLE",
    ]);
  });
});

describe("oversized items", () => {
  it("evaluates the version captured at the summary's time, not a newer one", async () => {
    const older = table();
    const supplementary = older.supplementaryConfiguration as Raw;
    const pitrOn: Raw = {
      ...older,
      supplementaryConfiguration: {
        ...supplementary,
        ContinuousBackupsDescription: {
          continuousBackupsStatus: "ENABLED",
          pointInTimeRecoveryDescription: { pointInTimeRecoveryStatus: "ENABLED" },
        },
      },
    };
    harness.endpoint.putResource(pitrOn);
    // A newer version (PITR off again) exists by the time the rule runs.
    harness.endpoint.putResource({ ...older, configurationItemCaptureTime: "2023-01-01T00:00:00.000Z" });

    await harness.lambda.invoke(oversizedEvent(summaryOf(pitrOn), { ...dynamodb, resultToken: "t" }));

    const expected = expectedRecord(pitrOn, { service: "dynamodb" });
    expect(expected.findings.find((f) => f.controlId === "DDB.PITR")?.status).toBe("PASS");
    expect(harness.endpoint.accepted).toEqual([
      expect.objectContaining({
        complianceType: expected.compliance,
        annotation: expected.annotation,
        orderingTimestamp: epochSeconds(String(pitrOn.configurationItemCaptureTime)),
      }),
    ]);
  });

  it("a resource Config no longer knows (ResourceNotDiscoveredException) is NOT_APPLICABLE", async () => {
    await harness.lambda.invoke(oversizedEvent(summaryOf(table()), { ...dynamodb, resultToken: "t" }));
    expect(harness.endpoint.callsOf("GetResourceConfigHistory")[0]?.status).toBe(400);
    expect(harness.endpoint.accepted).toEqual([
      expect.objectContaining({
        complianceType: "NOT_APPLICABLE",
        annotation: "Not applicable: AWS Config no longer has this resource (ResourceNotDiscovered).",
      }),
    ]);
  });

  it("an item not readable yet fails the invocation, so that Lambda retries it", async () => {
    // Only a version captured after the summary's time exists.
    harness.endpoint.putResource({ ...table(), configurationItemCaptureTime: "2030-01-01T00:00:00.000Z" });
    await expect(
      harness.lambda.invoke(oversizedEvent(summaryOf(table()), { ...dynamodb, resultToken: "t" })),
    ).rejects.toThrow(expect.objectContaining({ name: "ConfigDataUnavailableError" }));
    expect(harness.endpoint.callsOf("PutEvaluations")).toEqual([]);
  });
});

describe("TESTMODE", () => {
  it("sends TestMode: true, so Config validates and records nothing", async () => {
    const outcome = await harness.lambda.invoke(
      changeEvent(table(), { ...dynamodb, resultToken: "TESTMODE" }),
    );
    expect(outcome.testMode).toBe(true);
    const [put] = harness.endpoint.callsOf("PutEvaluations");
    expect(put?.body.TestMode).toBe(true);
    expect(harness.endpoint.accepted).toEqual([]);
    expect(harness.endpoint.testModeEvaluations).toHaveLength(1);
  });

  it("a real token sends no TestMode", async () => {
    await harness.lambda.invoke(changeEvent(table(), { ...dynamodb, resultToken: "real-token" }));
    expect(harness.endpoint.callsOf("PutEvaluations")[0]?.body).not.toHaveProperty("TestMode");
  });
});

describe("rule parameters", () => {
  it("ciaRating sets the rating applied; without it the highest applies", async () => {
    await harness.lambda.invoke(
      changeEvent(table(), {
        ...dynamodb,
        resultToken: "low",
        ruleParameters: { service: "dynamodb", ciaRating: "C1I1A1" },
      }),
    );
    await harness.lambda.invoke(changeEvent(table(), { ...dynamodb, resultToken: "default" }));
    const [low, highest] = harness.endpoint.accepted;
    expect(low?.annotation).toContain("of required C1I1A1");
    expect(highest?.annotation).toContain("of required C3I3A3");
    expect(low?.complianceType).toBe(
      expectedRecord(table(), { service: "dynamodb", rating: { c: 1, i: 1, a: 1 } }).compliance,
    );
  });

  it.each([
    ["C9I9A9", '"C9I9A9"'],
    [3, "3"],
  ])("a malformed ciaRating (%s) falls back to the highest, with a warning", async (rating, shown) => {
    await harness.lambda.invoke(
      changeEvent(table(), {
        ...dynamodb,
        resultToken: "t",
        ruleParameters: { service: "dynamodb", ciaRating: rating },
      }),
    );
    expect(harness.endpoint.accepted[0]?.annotation).toContain("of required C3I3A3");
    expect(harness.lambda.logs).toContainEqual(
      expect.objectContaining({
        level: "WARN",
        rule: "compliance-dynamodb",
        warning: `rule parameter ciaRating ${shown} is not like C3I2A1: the highest rating C3I3A3 applies`,
      }),
    );
  });

  it("unknown parameters are ignored with a warning", async () => {
    await harness.lambda.invoke(
      changeEvent(table(), {
        ...dynamodb,
        resultToken: "t",
        ruleParameters: { service: "dynamodb", colour: "blue" },
      }),
    );
    expect(harness.endpoint.accepted).toHaveLength(1);
    expect(harness.lambda.logs).toContainEqual(
      expect.objectContaining({ level: "WARN", warning: 'unknown rule parameter "colour" ignored' }),
    );
  });

  it("parameters that are not JSON are ignored with a warning: every control runs at the highest rating", async () => {
    await harness.lambda.invoke(
      changeEvent(table(), { rule: "r", resultToken: "t", ruleParameters: "{not json" }),
    );
    expect(harness.endpoint.accepted[0]).toMatchObject({
      complianceType: expectedRecord(table()).compliance,
    });
    expect(harness.lambda.logs).toContainEqual(
      expect.objectContaining({ level: "WARN", warning: expect.stringContaining("not valid JSON") }),
    );
  });

  it.each([
    ["absent", undefined],
    ["an empty string", ""],
    ["{}", "{}"],
  ])("ruleParameters %s: every control for the type, the highest rating, no warning", async (_name, raw) => {
    const event = changeEvent(table(), { rule: "compliance-all", resultToken: "t" });
    if (raw === undefined) delete event.ruleParameters;
    else event.ruleParameters = raw;
    const outcome = await harness.lambda.invoke(event);
    const expected = expectedRecord(table());
    expect(outcome.status).toBe("evaluated");
    expect(harness.endpoint.accepted).toEqual([
      expect.objectContaining({ complianceType: expected.compliance, annotation: expected.annotation }),
    ]);
    expect(harness.endpoint.accepted[0]?.annotation).toContain("of required C3I3A3");
    expect(harness.lambda.logs.filter((l) => l.level === "WARN" || l.level === "ERROR")).toEqual([]);
  });

  it("a service the catalogue does not have is logged as an error; every control for the type runs", async () => {
    const outcome = await harness.lambda.invoke(
      changeEvent(table(), {
        rule: "compliance-nosuch",
        resultToken: "t",
        ruleParameters: { service: "nosuch", ciaRating: "C2I2A2" },
      }),
    );
    // The same verdict as a rule without `service` (the rating still applies), not a failed invocation.
    const expected = expectedRecord(table(), { rating: { c: 2, i: 2, a: 2 } });
    expect(expected.findings.length).toBeGreaterThan(0);
    expect(outcome).toMatchObject({ status: "evaluated", written: 1 });
    expect(harness.endpoint.accepted).toEqual([
      expect.objectContaining({
        resourceType: "AWS::DynamoDB::Table",
        resourceId: "test",
        complianceType: expected.compliance,
        annotation: expected.annotation,
      }),
    ]);
    expect(harness.lambda.logs).toContainEqual(
      expect.objectContaining({
        level: "ERROR",
        message: "rule parameters",
        rule: "compliance-nosuch",
        error: expect.stringContaining('rule parameter service "nosuch" is not in the embedded catalogue'),
      }),
    );
    expect(harness.lambda.metric("RuleParameterErrors")).toBe(1);
  });

  it("a service rule runs only that service's controls", async () => {
    const record = expectedRecord(table(), { service: "dynamodb" });
    expect(record.findings.every((f) => f.controlId.startsWith("DDB."))).toBe(true);
    await harness.lambda.invoke(changeEvent(table(), { ...dynamodb, resultToken: "t" }));
    expect(harness.endpoint.accepted[0]).toMatchObject({
      complianceType: record.compliance,
      annotation: record.annotation,
    });
  });
});

describe("a resource outside the rule's service (Config would not send it; a test tool might)", () => {
  const instance = () => readFixture("ci/AWS_EC2_Instance/rdk-sample-ci.json") as Raw;
  const judged = async (item: Raw, ruleParameters: Raw, rule: string) => {
    harness.endpoint.reset();
    await harness.lambda.invoke(changeEvent(item, { rule, resultToken: "t", ruleParameters }));
    expect(harness.endpoint.accepted).toHaveLength(1);
    return harness.endpoint.accepted[0]!;
  };

  it("is NOT_APPLICABLE to a service rule, whether its service is allowed or not", async () => {
    expect(await judged(instance(), { service: "dynamodb" }, "compliance-dynamodb")).toMatchObject({
      resourceType: "AWS::EC2::Instance",
      complianceType: "NOT_APPLICABLE",
      annotation:
        "Not applicable: AWS::EC2::Instance is not a resource type of this rule's service (dynamodb).",
    });
    expect(await judged(table(), { service: "sqs" }, "compliance-sqs")).toMatchObject({
      complianceType: "NOT_APPLICABLE",
      annotation: "Not applicable: AWS::DynamoDB::Table is not a resource type of this rule's service (sqs).",
    });
  });

  it("is NON_COMPLIANT to the allowed-services rule and to a rule without a service", async () => {
    for (const [rule, params] of [
      ["compliance-allowed-services", { service: "allowed-services" }],
      ["compliance-all", {}],
    ] as const) {
      const written = await judged(instance(), params, rule);
      expect(written, rule).toMatchObject({
        resourceType: "AWS::EC2::Instance",
        complianceType: "NON_COMPLIANT",
      });
      expect(written.annotation, rule).toContain("PLATFORM.ALLOWED-SERVICE");
    }
  });

  it("an oversized notification of one fetches nothing and is NOT_APPLICABLE", async () => {
    harness.endpoint.putResource(instance());
    await harness.lambda.invoke(oversizedEvent(summaryOf(instance()), { ...dynamodb, resultToken: "t" }));
    expect(harness.endpoint.callsOf("GetResourceConfigHistory")).toEqual([]);
    expect(harness.endpoint.accepted).toEqual([
      expect.objectContaining({ resourceType: "AWS::EC2::Instance", complianceType: "NOT_APPLICABLE" }),
    ]);
  });

  it("a deleted one keeps the deletion's annotation", async () => {
    const gone = { ...instance(), configurationItemStatus: "ResourceDeleted", configuration: null };
    expect(await judged(gone, { service: "dynamodb" }, "compliance-dynamodb")).toMatchObject({
      complianceType: "NOT_APPLICABLE",
      annotation: "Not applicable: the resource is ResourceDeleted.",
    });
  });
});

describe("malformed events: an error logged, nothing written, no retry", () => {
  const valid = changeEvent(table(), { resultToken: "t" });
  const cases: [string, unknown, string][] = [
    ["not an object", "hello", "the event is not a JSON object"],
    ["no invokingEvent", { ...valid, invokingEvent: undefined }, "event has no `invokingEvent`"],
    ["invokingEvent not JSON", { ...valid, invokingEvent: "{oops" }, "`invokingEvent` is not valid JSON"],
    ["no messageType", { ...valid, invokingEvent: "{}" }, "`invokingEvent` has no `messageType`"],
    [
      "change without an item",
      { ...valid, invokingEvent: JSON.stringify({ messageType: "ConfigurationItemChangeNotification" }) },
      "without a `configurationItem` object",
    ],
    [
      "item without a resource type",
      changeEvent({ configurationItemStatus: "OK", configuration: {} }, { resultToken: "t" }),
      "configurationItem: configuration item has no `resourceType`",
    ],
    ["no resultToken", { ...valid, resultToken: undefined }, "event has no `resultToken`"],
    [
      "oversized without an id",
      {
        ...valid,
        invokingEvent: JSON.stringify({
          messageType: "OversizedConfigurationItemChangeNotification",
          configurationItemSummary: { resourceType: "AWS::DynamoDB::Table" },
        }),
      },
      "`configurationItemSummary` has no `resourceType` and `resourceId`",
    ],
    [
      "scheduled without a time",
      { ...valid, invokingEvent: JSON.stringify({ messageType: "ScheduledNotification" }) },
      "ScheduledNotification without a valid `notificationCreationTime`",
    ],
  ];

  it.each(cases)("%s", async (_name, event, message) => {
    const outcome = await harness.lambda.invoke(event);
    expect(outcome.status).toBe("malformed");
    expect(outcome.error).toContain(message);
    expect(harness.endpoint.calls).toEqual([]);
    expect(harness.lambda.logs).toContainEqual(
      expect.objectContaining({
        level: "ERROR",
        message: "malformed event: nothing written",
        error: expect.stringContaining(message),
      }),
    );
    expect(harness.lambda.metric("MalformedEvents")).toBe(1);
  });
});

describe("logs and metrics", () => {
  it("one structured log line per evaluation and EMF metrics per invocation", async () => {
    await harness.lambda.invoke(changeEvent(table(), { ...dynamodb, resultToken: "t" }));
    const expected = expectedRecord(table(), { service: "dynamodb" });
    expect(harness.lambda.logs).toContainEqual(
      expect.objectContaining({
        level: "INFO",
        service: "config-rule",
        message: "evaluated",
        rule: "compliance-dynamodb",
        resourceType: "AWS::DynamoDB::Table",
        resourceId: "test",
        compliance: expected.compliance,
      }),
    );
    const namespaces = new Set(
      harness.lambda.metrics.flatMap((m) =>
        (m._aws as { CloudWatchMetrics: { Namespace: string }[] }).CloudWatchMetrics.map((c) => c.Namespace),
      ),
    );
    expect(namespaces).toEqual(new Set(["ComplianceEngine"]));
    expect(harness.lambda.metric("ItemsEvaluated")).toBe(1);
    expect(harness.lambda.metric("EvaluationsWritten")).toBe(1);
    expect(harness.lambda.metric("Evaluations", { compliance: expected.compliance })).toBe(1);
    expect(harness.lambda.metrics.some((m) => typeof m.Duration === "number")).toBe(true);
  });
});
