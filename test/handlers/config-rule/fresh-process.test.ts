// The built bundle as an outside harness runs it: a new `node` process whose environment holds only
// AWS_REGION, the Config endpoint (AWS_ENDPOINT_URL_CONFIG_SERVICE) and fake credentials (no
// POWERTOOLS_*, no LOG_LEVEL), the real events of test/fixtures/events, and a local Config endpoint.

import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ConfigEndpoint } from "../../support/config-endpoint.ts";
import { FIXTURES, readFixture } from "../../support/fixtures.ts";
import { ensureBundle } from "./support/bundle.ts";
import { scheduledEvent } from "./support/events.ts";
import { epochSeconds } from "./support/expected.ts";
import { runInFreshProcess } from "./support/process.ts";

type Raw = Record<string, unknown>;

const EVENTS = join(FIXTURES, "events");
const events = readdirSync(EVENTS)
  .filter((f) => f.startsWith("lambda-") && f.endsWith(".json"))
  .sort()
  .map((file) => {
    const event = JSON.parse(readFileSync(join(EVENTS, file), "utf8")) as Raw;
    return { file, event, invoking: JSON.parse(String(event.invokingEvent)) as Raw };
  });
const ofType = (type: string) => events.filter((e) => e.invoking.messageType === type);
const table = readFixture("ci/AWS_DynamoDB_Table/rdk-sample-ci.json") as Raw;

/** A local address that refuses connections: a Logs endpoint that is not there. */
async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

let endpoint: ConfigEndpoint;
let env: Record<string, string>;

beforeAll(async () => {
  ensureBundle();
  endpoint = await ConfigEndpoint.start();
  env = {
    AWS_REGION: "eu-west-1",
    AWS_ENDPOINT_URL_CONFIG_SERVICE: endpoint.url,
    AWS_ACCESS_KEY_ID: "AKIDFAKE",
    AWS_SECRET_ACCESS_KEY: "fake-secret",
  };
});
afterAll(() => endpoint.close());
beforeEach(() => endpoint.reset());

/** Every stdout line is a Powertools JSON log line or an EMF metrics document. */
function expectOnlyPowertoolsJson(stdout: string): void {
  const lines = stdout.split("\n").filter((l) => l.trim() !== "");
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) {
    const parsed = JSON.parse(line) as Raw;
    if ("_aws" in parsed) expect(parsed).toMatchObject({ service: "config-rule" });
    else expect(parsed).toMatchObject({ level: expect.any(String), message: expect.any(String) });
  }
}

describe("the bundle in a fresh node process with a minimal environment", () => {
  it("imports, exports only `handler`, handles change, oversized, scheduled and snapshot events, prints only JSON", async () => {
    const [oversized] = ofType("OversizedConfigurationItemChangeNotification");
    const summary = oversized!.invoking.configurationItemSummary as Raw;
    endpoint.putResource({
      ...(readFixture("ci/AWS_EC2_Instance/rdk-sample-ci.json") as Raw),
      resourceId: summary.resourceId,
      configurationItemCaptureTime: summary.configurationItemCaptureTime,
    });
    endpoint.putResource(table);
    const changes = ofType("ConfigurationItemChangeNotification");
    const snapshot = ofType("ConfigurationSnapshotDeliveryCompleted");
    const sweep = scheduledEvent({
      rule: "compliance-dynamodb",
      resultToken: "sweep",
      ruleParameters: { service: "dynamodb" },
    });
    const input = [...changes.map((e) => e.event), oversized!.event, sweep, ...snapshot.map((e) => e.event)];

    const run = await runInFreshProcess(env, input);

    expect(run.exitCode).toBe(0);
    expect(run.exports).toEqual(["handler"]);
    expect(run.results.map((r) => ("outcome" in r ? r.outcome.status : r.error.name))).toEqual([
      ...changes.map(() => "evaluated"),
      "evaluated",
      "evaluated",
      ...snapshot.map(() => "ignored"),
    ]);
    const puts = endpoint.callsOf("PutEvaluations");
    expect(puts).toHaveLength(changes.length + 2);
    changes.forEach((e, i) => {
      const item = e.invoking.configurationItem as Raw;
      expect(puts[i]!.body.Evaluations).toEqual([
        expect.objectContaining({
          ComplianceResourceType: item.resourceType,
          ComplianceResourceId: item.resourceId,
          ComplianceType: expect.stringMatching(/^(COMPLIANT|NON_COMPLIANT|NOT_APPLICABLE)$/),
          Annotation: expect.stringMatching(/^.{1,256}$/s),
          OrderingTimestamp: epochSeconds(String(item.configurationItemCaptureTime)),
        }),
      ]);
      expect(puts[i]!.body.ResultToken).toBe(e.event.resultToken);
    });
    expect(endpoint.callsOf("GetResourceConfigHistory")[0]?.body).toEqual({
      resourceType: summary.resourceType,
      resourceId: summary.resourceId,
      laterTime: epochSeconds(String(summary.configurationItemCaptureTime)),
      limit: 1,
    });
    expect(endpoint.accepted.find((a) => a.resultToken === "sweep")).toMatchObject({
      resourceType: "AWS::DynamoDB::Table",
      resourceId: table.resourceId,
    });
    expectOnlyPowertoolsJson(run.stdout);
  });

  it("a scheduled sweep without `service` completes even when the Logs endpoint is unreachable", async () => {
    endpoint.putResource(table);
    const scheduled = ofType("ScheduledNotification");
    // Every other service (the account-level APIs: IAM, CloudTrail, GuardDuty...) at a local
    // address that refuses connections too: unreachable at once, the same on every machine,
    // instead of looking up AWS's public host names.
    const logsMissing = {
      ...env,
      AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: await closedPort(),
      AWS_ENDPOINT_URL: await closedPort(),
    };

    const run = await runInFreshProcess(
      logsMissing,
      scheduled.map((e) => e.event),
    );

    expect(run.exitCode).toBe(0);
    expect(run.results).toHaveLength(scheduled.length);
    for (const [i, e] of scheduled.entries()) {
      // The table, and the account item a whole-catalogue sweep builds (its account-level APIs
      // are not served here: every part is missing and named, and it is still written).
      expect(run.results[i], e.file).toMatchObject({ outcome: { status: "evaluated", written: 2 } });
      expect(endpoint.accepted, e.file).toContainEqual(
        expect.objectContaining({ resourceType: "AWS::::Account", complianceType: "NON_COMPLIANT" }),
      );
      expect(endpoint.accepted, e.file).toContainEqual(
        expect.objectContaining({
          resourceType: "AWS::DynamoDB::Table",
          resourceId: table.resourceId,
          resultToken: e.event.resultToken,
          orderingTimestamp: epochSeconds(String(e.invoking.notificationCreationTime)),
        }),
      );
    }
    const listed = new Set(endpoint.callsOf("ListDiscoveredResources").map((c) => c.body.resourceType));
    expect(listed.has("AWS::DynamoDB::Table")).toBe(true);
    expect(endpoint.callsOf("GetComplianceDetailsByConfigRule")).toHaveLength(scheduled.length);
    expect(
      endpoint
        .callsOf("BatchGetResourceConfig")
        .every((c) => (c.body.resourceKeys as unknown[]).length <= 100),
    ).toBe(true);
    // The failure is reported as a structured error (Powertools writes errors to stderr).
    const errors = run.stderr
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as Raw)
      .filter((l) => l.level === "ERROR");
    expect(errors).toContainEqual(
      expect.objectContaining({
        resourceType: "AWS::Logs::LogGroup",
        error: expect.stringContaining("ECONNREFUSED"),
      }),
    );
    expectOnlyPowertoolsJson(run.stdout);
  });
});
