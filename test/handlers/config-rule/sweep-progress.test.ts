// The sweep in a large or misbehaving account: it writes each page before reading the next (a
// sweep cut short has written what it read, and Lambda's retry does not repeat it), writes no
// evaluation AWS Config already holds unchanged, stops on a page token it has seen before, and a
// connection that is accepted but never answered fails the invocation instead of hanging it.

import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resourceKey } from "../../support/config-endpoint.ts";
import { readFixture } from "../../support/fixtures.ts";
import { listenOnLoopback } from "../../support/loopback.ts";
import { scheduledEvent } from "./support/events.ts";
import { ruleHarness } from "./support/harness.ts";
import { handlerEnv, Lambda } from "./support/lambda.ts";

type Raw = Record<string, unknown>;

const harness = ruleHarness();
const realTable = readFixture("ci/AWS_DynamoDB_Table/rdk-sample-ci.json") as Raw;
const table = (i: number): Raw => ({ ...realTable, resourceId: `t-${i}`, resourceName: `t-${i}` });
const RULE = "compliance-dynamodb";
const sweep = () =>
  scheduledEvent({
    rule: RULE,
    resultToken: harness.endpoint.tokenFor(RULE),
    ruleParameters: { service: "dynamodb" },
  });

describe("a sweep writes page by page", () => {
  it("cut short after its first pages, it has written those pages; the retry writes only the rest", async () => {
    for (let i = 0; i < 350; i++) harness.endpoint.putResource(table(i));
    // Config stops answering BatchGetResourceConfig after two pages (an outage, or the Lambda timeout).
    harness.endpoint.failFrom("BatchGetResourceConfig", 2);

    await expect(harness.lambda.invoke(sweep())).rejects.toThrow(/InternalFailure|injected outage/);
    const afterCut = harness.endpoint.evaluationsOf(RULE);
    expect(afterCut.size).toBe(200);
    expect(
      harness.endpoint.callsOf("PutEvaluations").map((c) => (c.body.Evaluations as unknown[]).length),
    ).toEqual([100, 100]);

    // The outage is over: Lambda's retry of the invocation.
    harness.endpoint.failFrom("BatchGetResourceConfig", Number.POSITIVE_INFINITY);
    const outcome = await harness.lambda.invoke(sweep());
    expect(outcome).toMatchObject({ itemsEvaluated: 350, unchanged: 200, written: 150 });
    expect(harness.endpoint.evaluationsOf(RULE).size).toBe(350);
  });

  it("does not write again what AWS Config already holds unchanged", async () => {
    for (let i = 0; i < 230; i++) harness.endpoint.putResource(table(i));
    const first = await harness.lambda.invoke(sweep());
    expect(first).toMatchObject({ itemsEvaluated: 230, written: 230, unchanged: 0 });
    const putsAfterFirst = harness.endpoint.callsOf("PutEvaluations").length;

    // One table changes (point-in-time recovery switched on): only it is written again.
    const changed = structuredClone(table(7));
    (
      (changed.supplementaryConfiguration as Raw).ContinuousBackupsDescription as Raw
    ).pointInTimeRecoveryDescription = { pointInTimeRecoveryStatus: "ENABLED" };
    harness.endpoint.putResource(changed);
    const before = harness.endpoint.evaluationsOf(RULE).get(resourceKey("AWS::DynamoDB::Table", "t-7"));
    const second = await harness.lambda.invoke(sweep());
    const after = harness.endpoint.evaluationsOf(RULE).get(resourceKey("AWS::DynamoDB::Table", "t-7"));
    expect(after?.annotation).not.toBe(before?.annotation);
    expect(second).toMatchObject({ itemsEvaluated: 230, written: 1, unchanged: 229 });
    const newPuts = harness.endpoint.callsOf("PutEvaluations").slice(putsAfterFirst);
    expect(newPuts.flatMap((c) => c.body.Evaluations as Raw[]).map((e) => e.ComplianceResourceId)).toEqual([
      "t-7",
    ]);
    expect(harness.lambda.metric("UnchangedEvaluations")).toBe(229);
  });
});

describe("paging loops", () => {
  it.each(["ListDiscoveredResources", "GetComplianceDetailsByConfigRule"])(
    "a repeated %s page token stops the sweep with a clear error instead of looping",
    async (operation) => {
      harness.endpoint.putResource(table(1));
      harness.endpoint.seedEvaluation({
        rule: RULE,
        resourceType: "AWS::DynamoDB::Table",
        resourceId: "t-1",
        complianceType: "COMPLIANT",
      });
      harness.endpoint.repeatToken(operation);
      await expect(harness.lambda.invoke(sweep())).rejects.toThrow(
        `returned a page token it had already returned, after 2 pages`,
      );
      expect(harness.endpoint.callsOf(operation)).toHaveLength(2);
    },
  );
});

describe("a Config endpoint that accepts connections and never answers", () => {
  let silent: Server;
  let close: () => Promise<void>;
  let lambda: Lambda;
  beforeAll(async () => {
    silent = createServer(() => {
      // Reads the request and never answers.
    });
    const listening = await listenOnLoopback(silent);
    close = listening.close;
    lambda = await Lambda.start(
      handlerEnv(listening.endpoint, {
        AWS_MAX_ATTEMPTS: "2",
        HTTP_CONNECT_TIMEOUT_MS: "300",
        HTTP_REQUEST_TIMEOUT_MS: "400",
      }),
    );
  });
  afterAll(async () => {
    await lambda.stop();
    await close();
  });

  it("fails the invocation with a timeout error (Lambda retries it) instead of hanging", async () => {
    const error = await lambda
      .invoke(scheduledEvent({ rule: RULE, resultToken: "t", ruleParameters: { service: "dynamodb" } }))
      .then(
        () => undefined,
        (e: Error) => e,
      );
    expect(error?.name).toBe("TimeoutError");
    expect(error?.message).toContain("requestTimeout");
  });
});
