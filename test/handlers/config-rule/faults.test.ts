// Nothing is lost when AWS misbehaves: throttling (400 ThrottlingException), 500s, FailedEvaluations
// and unprocessed keys are retried; what still fails makes the invocation fail, and Lambda's retry
// of a failed asynchronous invocation (imitated here: the same event, twice more at most) finishes
// the job. Faults are drawn from a seeded hash of each request, so a run repeats exactly.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { normalise } from "../../../engine/normalise.ts";
import { ConfigEndpoint, resourceKey } from "../../support/config-endpoint.ts";
import { loadFixtures, readFixture } from "../../support/fixtures.ts";
import { ensureBundle } from "./support/bundle.ts";
import { changeEvent, oversizedEvent, scheduledEvent, summaryOf } from "./support/events.ts";
import { expectedRecord } from "./support/expected.ts";
import { handlerEnv, Lambda, type RuleOutcome } from "./support/lambda.ts";

type Raw = Record<string, unknown>;

const fixtures = loadFixtures("ci").map((f) => f.raw as Raw);
const realTable = readFixture("ci/AWS_DynamoDB_Table/rdk-sample-ci.json") as Raw;
const table = (i: number): Raw => ({ ...realTable, resourceId: `t-${i}`, resourceName: `t-${i}` });

let endpoint: ConfigEndpoint;
/** Production retry settings. */
let lambda: Lambda;
/** One attempt per call: every fault reaches the handler. */
let fragile: Lambda;

beforeAll(async () => {
  ensureBundle();
  endpoint = await ConfigEndpoint.start();
  [lambda, fragile] = await Promise.all([
    Lambda.start(handlerEnv(endpoint.url)),
    Lambda.start(handlerEnv(endpoint.url, { AWS_MAX_ATTEMPTS: "1" })),
  ]);
});
afterAll(async () => {
  await Promise.all([lambda.stop(), fragile.stop()]);
  await endpoint.close();
});
beforeEach(() => {
  endpoint.reset();
  lambda.clear();
  fragile.clear();
});

/** Runs invocations like concurrent Lambda instances would, each with Lambda's retries. */
async function invokeAll(target: Lambda, events: Raw[], concurrency = 8) {
  const results: { outcome?: RuleOutcome; errors: Error[] }[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < events.length) {
        const index = next++;
        results[index] = await target.invokeWithRetries(events[index]);
      }
    }),
  );
  return results;
}

describe("under 25% injected faults, with Lambda's retry imitated", () => {
  it("every resource ends with its evaluation recorded", async () => {
    for (const raw of fixtures) endpoint.putResource(raw);
    const tables = Array.from({ length: 150 }, (_, i) => table(i));
    for (const t of tables) endpoint.putResource(t);
    const gone = Array.from({ length: 20 }, (_, i) => `gone-${i}`);
    for (const id of gone) {
      endpoint.seedEvaluation({
        rule: "faults-sweep",
        resourceType: "AWS::DynamoDB::Table",
        resourceId: id,
        complianceType: "COMPLIANT",
      });
    }
    endpoint.setFaults({ rate: 0.25, seed: 2024 });

    const change = fixtures.map((raw) =>
      changeEvent(raw, { rule: "faults-change", resultToken: endpoint.tokenFor("faults-change") }),
    );
    const oversized = fixtures.map((raw) =>
      oversizedEvent(summaryOf(raw), {
        rule: "faults-oversized",
        resultToken: endpoint.tokenFor("faults-oversized"),
      }),
    );
    const sweep = scheduledEvent({
      rule: "faults-sweep",
      resultToken: endpoint.tokenFor("faults-sweep"),
      ruleParameters: { service: "dynamodb" },
    });
    const results = await invokeAll(lambda, [...change, ...oversized, sweep]);

    // Every invocation finished within Lambda's retries.
    expect(results.filter((r) => !r.outcome).map((r) => r.errors.map((e) => e.message))).toEqual([]);

    // Count them.
    const keys = new Set(
      fixtures.map((raw) => {
        const item = normalise(raw);
        return resourceKey(item.resourceType, item.resourceId);
      }),
    );
    const changed = endpoint.evaluationsOf("faults-change");
    const fetched = endpoint.evaluationsOf("faults-oversized");
    const swept = endpoint.evaluationsOf("faults-sweep");
    expect(new Set(changed.keys())).toEqual(keys);
    expect(new Set(fetched.keys())).toEqual(keys);
    expect(swept.size).toBe(150 + 1 + 20); // the tables, the real table "test", the vanished ones
    for (const t of tables) {
      expect(swept.get(resourceKey("AWS::DynamoDB::Table", String(t.resourceId)))?.complianceType).toBe(
        expectedRecord(t, { service: "dynamodb" }).compliance,
      );
    }
    for (const id of gone)
      expect(swept.get(resourceKey("AWS::DynamoDB::Table", id))?.complianceType).toBe("NOT_APPLICABLE");
    // Each change verdict is the engine's (duplicated ids in the data: the last event wins).
    const lastByKey = new Map(
      fixtures.map((raw) => {
        const item = normalise(raw);
        return [resourceKey(item.resourceType, item.resourceId), raw] as const;
      }),
    );
    for (const [key, raw] of lastByKey) {
      const accepted = endpoint.accepted.filter(
        (a) => a.rule === "faults-change" && resourceKey(a.resourceType, a.resourceId) === key,
      );
      expect(accepted.map((a) => a.complianceType)).toContain(expectedRecord(raw).compliance);
    }

    // The faults were real: about a quarter of all calls, of each kind (unprocessed keys need
    // BatchGetResourceConfig calls, which only the sweep makes: see the retry tests below).
    const faulted = endpoint.calls.filter((c) => c.fault);
    const share = faulted.length / endpoint.calls.length;
    expect(share).toBeGreaterThan(0.15);
    expect(share).toBeLessThan(0.35);
    const kinds = new Set(faulted.map((c) => c.fault));
    for (const kind of ["throttle", "server", "failedEvaluations"]) expect(kinds).toContain(kind);
  });
});

describe("retries", () => {
  it("throttling and 500s are retried by the SDK within one invocation", async () => {
    endpoint.failNext("PutEvaluations", "throttle", 1);
    endpoint.failNext("PutEvaluations", "server", 3);
    const outcome = await lambda.invoke(changeEvent(realTable, { resultToken: "t" }));
    expect(outcome.written).toBe(1);
    expect(endpoint.callsOf("PutEvaluations").map((c) => c.status)).toEqual([400, 500, 500, 500, 200]);
    expect(endpoint.accepted).toHaveLength(1);
  });

  it("FailedEvaluations are sent again until Config takes them", async () => {
    for (let i = 0; i < 60; i++) endpoint.putResource(table(i));
    endpoint.failNext("PutEvaluations", "failedEvaluations", 2);
    const outcome = await lambda.invoke(
      scheduledEvent({
        rule: "r",
        resultToken: endpoint.tokenFor("r"),
        ruleParameters: { service: "dynamodb" },
      }),
    );
    const puts = endpoint.callsOf("PutEvaluations");
    expect(puts[0]?.fault).toBe("failedEvaluations");
    expect(puts.length).toBeGreaterThan(1);
    expect((puts[1]!.body.Evaluations as unknown[]).length).toBeLessThan(60);
    expect(endpoint.evaluationsOf("r").size).toBe(60);
    expect(outcome.written).toBe(60);
    expect(lambda.metric("FailedEvaluationsRetried")).toBeGreaterThan(0);
  });

  it("unprocessed BatchGetResourceConfig keys are asked for again", async () => {
    for (let i = 0; i < 60; i++) endpoint.putResource(table(i));
    endpoint.failNext("BatchGetResourceConfig", "unprocessed", 2);
    await lambda.invoke(
      scheduledEvent({
        rule: "r",
        resultToken: endpoint.tokenFor("r"),
        ruleParameters: { service: "dynamodb" },
      }),
    );
    const batches = endpoint.callsOf("BatchGetResourceConfig");
    expect(batches.length).toBeGreaterThan(1);
    expect((batches[1]!.body.resourceKeys as unknown[]).length).toBeLessThan(60);
    expect(endpoint.evaluationsOf("r").size).toBe(60);
  });

  it("keys that stay unprocessed fail the sweep: nothing is taken for vanished", async () => {
    for (let i = 0; i < 10; i++) endpoint.putResource(table(i));
    endpoint.seedEvaluation({
      rule: "r",
      resourceType: "AWS::DynamoDB::Table",
      resourceId: "t-3",
      complianceType: "COMPLIANT",
    });
    endpoint.failNext("BatchGetResourceConfig", "unprocessed", 50, 1);
    const event = scheduledEvent({
      rule: "r",
      resultToken: endpoint.tokenFor("r"),
      ruleParameters: { service: "dynamodb" },
    });
    await expect(lambda.invoke(event)).rejects.toMatchObject({ name: "ConfigDataUnavailableError" });
    expect(endpoint.callsOf("PutEvaluations")).toEqual([]);
    expect(endpoint.evaluationsOf("r").get(resourceKey("AWS::DynamoDB::Table", "t-3"))?.complianceType).toBe(
      "COMPLIANT",
    );
  });
});

describe("what cannot be written fails the invocation, and Lambda's retry writes it", () => {
  it("a change evaluation", async () => {
    endpoint.failNext("PutEvaluations", "server", 1);
    const { outcome, errors } = await fragile.invokeWithRetries(changeEvent(realTable, { resultToken: "t" }));
    expect(errors.map((e) => e.name)).toEqual(["EvaluationsNotWrittenError"]);
    expect(errors[0]?.message).toBe(
      "1 of 1 evaluations could not be written to AWS Config: InternalFailure: injected server error",
    );
    expect(outcome?.written).toBe(1);
    expect(endpoint.accepted).toHaveLength(1);
    expect(fragile.logs).toContainEqual(
      expect.objectContaining({
        level: "ERROR",
        message: "evaluations not written: the invocation fails so that Lambda retries it",
      }),
    );
    expect(fragile.metric("EvaluationsNotWritten")).toBe(1);
  });

  it("a sweep whose first page fails still writes the others, then fails; the retry writes only what is missing", async () => {
    for (let i = 0; i < 250; i++) endpoint.putResource(table(i));
    endpoint.failNext("PutEvaluations", "throttle", 1);
    const event = scheduledEvent({
      rule: "r",
      resultToken: endpoint.tokenFor("r"),
      ruleParameters: { service: "dynamodb" },
    });
    const { outcome, errors } = await fragile.invokeWithRetries(event);
    expect(errors.map((e) => e.message)).toEqual([
      "100 of 250 evaluations could not be written to AWS Config: ThrottlingException: Rate exceeded",
    ]);
    // First invocation: 3 pages written (the first throttled). The retry finds the other two
    // already recorded unchanged and writes only the first page's 100 again.
    expect(endpoint.callsOf("PutEvaluations").map((c) => c.status)).toEqual([400, 200, 200, 200]);
    expect(outcome?.written).toBe(100);
    expect(outcome?.unchanged).toBe(150);
    expect(endpoint.evaluationsOf("r").size).toBe(250);
  });
});
