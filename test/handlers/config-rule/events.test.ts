// Every Lambda invocation event in test/fixtures/events (real events from AWS documentation,
// Powertools, Cloud Custodian and aws-lambda-go) through the built bundle, the real AWS SDK and
// the local Config endpoint.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isRecordedType } from "../../../engine/catalogue.ts";
import { FIXTURES, readFixture } from "../../support/fixtures.ts";
import { epochSeconds, expectedRecord, sourceCatalogue } from "./support/expected.ts";
import { ruleHarness } from "./support/harness.ts";

type Raw = Record<string, unknown>;

const EVENTS = join(FIXTURES, "events");
const lambdaEvents = readdirSync(EVENTS)
  .filter((f) => f.startsWith("lambda-") && f.endsWith(".json"))
  .sort()
  .map((file) => {
    const event = JSON.parse(readFileSync(join(EVENTS, file), "utf8")) as Raw;
    const invoking = JSON.parse(String(event.invokingEvent)) as Raw;
    return { file, event, invoking, messageType: String(invoking.messageType) };
  });

const harness = ruleHarness();
const handler = (event: unknown) => harness.lambda.invoke(event);

describe("every Lambda event of the shared events folder", () => {
  it("covers every message type AWS Config sends a rule", () => {
    expect(lambdaEvents.length).toBe(11);
    expect(new Set(lambdaEvents.map((e) => e.messageType))).toEqual(
      new Set([
        "ConfigurationItemChangeNotification",
        "OversizedConfigurationItemChangeNotification",
        "ScheduledNotification",
        "ConfigurationSnapshotDeliveryCompleted",
      ]),
    );
  });

  const changes = lambdaEvents.filter((e) => e.messageType === "ConfigurationItemChangeNotification");
  it.each(changes)("$file: one evaluation, the engine's verdict, ordered by the capture time", async (e) => {
    const item = e.invoking.configurationItem as Raw;
    const outcome = await handler(e.event);

    const expected = expectedRecord(item);
    expect(outcome.status).toBe("evaluated");
    expect(harness.endpoint.callsOf("PutEvaluations")).toHaveLength(1);
    const [written] = harness.endpoint.accepted;
    expect(harness.endpoint.accepted).toHaveLength(1);
    expect(written).toMatchObject({
      resourceType: item.resourceType,
      resourceId: item.resourceId,
      complianceType: expected.compliance,
      orderingTimestamp: epochSeconds(String(item.configurationItemCaptureTime)),
      resultToken: e.event.resultToken,
    });
    expect(written!.annotation!.length).toBeGreaterThanOrEqual(1);
    expect(written!.annotation!.length).toBeLessThanOrEqual(256);
    // The log line carries the rule, the resource type and id.
    expect(harness.lambda.logs).toContainEqual(
      expect.objectContaining({
        message: "evaluated",
        rule: e.event.configRuleName,
        resourceType: item.resourceType,
        resourceId: item.resourceId,
        compliance: expected.compliance,
      }),
    );
  });

  it.each(changes.filter((e) => e.event.ruleParameters))(
    "$file: unknown rule parameters are warned about",
    async (e) => {
      await handler(e.event);
      const unknown = Object.keys(JSON.parse(String(e.event.ruleParameters)) as Raw);
      for (const key of unknown) {
        expect(harness.lambda.logs).toContainEqual(
          expect.objectContaining({ level: "WARN", warning: `unknown rule parameter "${key}" ignored` }),
        );
      }
    },
  );

  const oversized = lambdaEvents.filter(
    (e) => e.messageType === "OversizedConfigurationItemChangeNotification",
  );
  it.each(oversized)(
    "$file: fetches the item at the summary's capture time, then evaluates it",
    async (e) => {
      const summary = e.invoking.configurationItemSummary as Raw;
      // The item Config holds for that resource: a real EC2 instance item, given the summary's identity.
      const real = readFixture("ci/AWS_EC2_Instance/rdk-sample-ci.json") as Raw;
      const stored = {
        ...real,
        resourceId: summary.resourceId,
        configurationItemCaptureTime: summary.configurationItemCaptureTime,
      };
      harness.endpoint.putResource(stored);

      const outcome = await handler(e.event);

      expect(outcome.status).toBe("evaluated");
      const history = harness.endpoint.callsOf("GetResourceConfigHistory");
      expect(history).toHaveLength(1);
      expect(history[0]!.body).toEqual({
        resourceType: summary.resourceType,
        resourceId: summary.resourceId,
        laterTime: epochSeconds(String(summary.configurationItemCaptureTime)),
        limit: 1,
      });
      expect(harness.endpoint.accepted).toEqual([
        expect.objectContaining({
          resourceType: summary.resourceType,
          resourceId: summary.resourceId,
          complianceType: expectedRecord(stored).compliance,
          orderingTimestamp: epochSeconds(String(summary.configurationItemCaptureTime)),
        }),
      ]);
    },
  );

  const scheduled = lambdaEvents.filter((e) => e.messageType === "ScheduledNotification");
  it.each(scheduled)(
    "$file: sweeps the catalogue's resource types, ordered by the notification time",
    async (e) => {
      const table = readFixture("ci/AWS_DynamoDB_Table/rdk-sample-ci.json") as Raw;
      harness.endpoint.putResource(table);
      const outcome = await handler(e.event);

      expect(outcome.status).toBe("evaluated");
      // No `service` parameter: every recorded type of the catalogue is listed.
      const listed = new Set(
        harness.endpoint.callsOf("ListDiscoveredResources").map((c) => c.body.resourceType),
      );
      const recorded = [...sourceCatalogue().catalogue.allowedTypes].filter(isRecordedType);
      expect(listed).toEqual(new Set(recorded));
      const created = epochSeconds(String(e.invoking.notificationCreationTime));
      expect(harness.endpoint.accepted).toContainEqual(
        expect.objectContaining({
          resourceType: "AWS::DynamoDB::Table",
          resourceId: table.resourceId,
          complianceType: expectedRecord(table).compliance,
          orderingTimestamp: created,
        }),
      );
      expect(harness.endpoint.accepted.every((a) => a.orderingTimestamp === created)).toBe(true);
    },
  );

  const ignored = lambdaEvents.filter((e) => e.messageType === "ConfigurationSnapshotDeliveryCompleted");
  it.each(ignored)("$file: ignored with a log line, no call to AWS", async (e) => {
    const outcome = await handler(e.event);
    expect(outcome.status).toBe("ignored");
    expect(harness.endpoint.calls).toEqual([]);
    expect(harness.lambda.logs).toContainEqual(
      expect.objectContaining({
        level: "INFO",
        message: "message type ignored: nothing to evaluate",
        messageType: "ConfigurationSnapshotDeliveryCompleted",
      }),
    );
  });
});
