// Property tests of the delivery algorithm (handlers/notifier/process-result.ts) over every
// interleaving fast-check's scheduler chooses: the ledger here is in memory with the same
// compare-and-set contract as DynamoDB (the same properties run against dynalite and the SNS
// endpoint in delivery-properties.test.ts, with fewer runs).

import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { accountContext } from "../../../engine/accounts.ts";
import { parseComplianceChange } from "../../../handlers/notifier/event.ts";
import { type NotifierDeps, processResult } from "../../../handlers/notifier/process-result.ts";
import type { Target } from "../../../handlers/notifier/types.ts";
import { COMPLIANT_ANNOTATION, complianceEvent, controls, DDB_ANNOTATION, jsonPart } from "./harness.ts";
import { memoryLedger } from "./memory-ledger.ts";
import { checkAnyOrder, expectedInOrder, orderingOf, type Sent, type Verdict } from "./oracle.ts";

const ACCOUNT = "123456789012";
const TOPICS: Record<Target, string> = { owner: "arn:owner", ciso: "arn:ciso" };

const KINDS = {
  production: { tags: { environment: "production", owner: "a@example.com" }, targets: ["owner", "ciso"] },
  rated: { tags: { "cia-rating": "C2I2A2", owner: "b@example.com" }, targets: ["owner"] },
  // C1I1A1 requires none of the DynamoDB controls the table fails: recorded, never sent.
  lowRated: { tags: { "cia-rating": "C1I1A1", owner: "c@example.com" }, targets: [] },
} as const satisfies Record<string, { tags: Record<string, string>; targets: Target[] }>;

const verdict = fc.constantFrom<Verdict>("NON_COMPLIANT", "COMPLIANT", "NOT_APPLICABLE");
const scenario = fc.record({
  kind: fc.constantFrom(...(Object.keys(KINDS) as (keyof typeof KINDS)[])),
  timeline: fc.array(verdict, { minLength: 1, maxLength: 5 }),
  copies: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 5, maxLength: 5 }),
  order: fc.array(fc.nat(), { minLength: 15, maxLength: 15 }),
  /** One entry per publish attempt: true makes SNS refuse it (until the plan runs out). */
  faults: fc.array(fc.boolean(), { maxLength: 8 }),
});

function resultAt(timeline: readonly Verdict[], i: number) {
  const compliance = timeline[i]!;
  return parseComplianceChange(
    complianceEvent({
      accountId: ACCOUNT,
      resourceId: "orders",
      compliance,
      ordering: orderingOf(i),
      annotation: compliance === "NON_COMPLIANT" ? DDB_ANNOTATION : COMPLIANT_ANNOTATION,
    }),
  )!;
}

function setUp(s: fc.Scheduler, kind: keyof typeof KINDS, faults: boolean[]) {
  const step = <T>(operation: () => T) => s.schedule(Promise.resolve()).then(operation);
  const ledger = memoryLedger(step);
  const sent: Sent[] = [];
  const plan = [...faults];
  const deps: NotifierDeps = {
    ledger,
    accounts: {
      get: async (id) => ({ ...accountContext(id, KINDS[kind].tags), found: true }),
      list: async () => [],
    },
    publisher: {
      publish: (topicArn, message) =>
        step(() => {
          if (plan.shift()) throw new Error("SNS refused (injected)");
          const target = (Object.keys(TOPICS) as Target[]).find((t) => TOPICS[t] === topicArn)!;
          const kindOf = message.attributes.notificationType as Sent["kind"];
          sent.push({ target, kind: kindOf, ordering: JSON.parse(jsonPart(message.body)).orderingTimestamp });
          return "message-id";
        }),
    },
    controls,
    topics: TOPICS,
    now: () => Date.parse("2025-06-01T00:00:00Z"),
    claimMs: 60_000,
    sleep: () => s.schedule(Promise.resolve()),
  };
  return { deps, ledger, sent };
}

/** Delivers every result until each delivery succeeded once (at-least-once, like SQS). */
async function deliverAll(s: fc.Scheduler, deliveries: number[], run: (i: number) => Promise<unknown>) {
  let queue = deliveries;
  for (let round = 0; queue.length > 0; round++) {
    if (round > 50) throw new Error("deliveries never succeeded");
    let settled = false;
    const outcomes = Promise.all(
      queue.map((i) =>
        run(i).then(
          () => undefined,
          () => i,
        ),
      ),
    ).finally(() => {
      settled = true;
    });
    // Let every runnable continuation run, then release one scheduled step, until all settle.
    while (!settled) {
      await new Promise((resolve) => setImmediate(resolve));
      if (s.count() > 0) await s.waitOne();
    }
    queue = (await outcomes).filter((i): i is number => i !== undefined);
  }
}

const byTarget = (sent: Sent[], target: Target) => sent.filter((m) => m.target === target);

describe("delivery interleavings (in-memory ledger, scheduler-chosen order)", () => {
  test("in order, with duplicates delivered concurrently and SNS faults: exactly one message per real transition", async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), scenario, async (s, { kind, timeline, copies, faults }) => {
        const { deps, ledger, sent } = setUp(s, kind, faults);
        for (const [i] of timeline.entries()) {
          const copiesOfOne = Array.from({ length: copies[i]! }, () => i);
          await deliverAll(s, copiesOfOne, (n) => processResult(resultAt(timeline, n), deps));
        }
        const targets = KINDS[kind].targets;
        const expected = expectedInOrder(timeline, targets);
        for (const [n, t] of targets.entries()) expect(byTarget(sent, t)).toEqual(expected[n]);
        expect(sent.filter((m) => !(targets as readonly Target[]).includes(m.target))).toEqual([]);
        const item = [...ledger.items.values()][0]!;
        expect(item).toMatchObject({
          state: timeline.at(-1),
          orderingTimestamp: orderingOf(timeline.length - 1),
        });
        expect(item.pending).toEqual([]);
        expect(item.claimId).toBeUndefined();
      }),
      { numRuns: 150 },
    );
  });

  test("any order, duplicated, concurrent, with SNS faults: never the same news twice, the ledger ends in the newest state", async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), scenario, async (s, { kind, timeline, copies, order, faults }) => {
        const { deps, ledger, sent } = setUp(s, kind, faults);
        const deliveries = timeline
          .flatMap((_, i) => Array.from({ length: copies[i]! }, () => i))
          .map((i, n) => ({ i, key: order[n % order.length]! + n / 100 }))
          .sort((a, b) => a.key - b.key)
          .map((d) => d.i);
        await deliverAll(s, deliveries, (n) => processResult(resultAt(timeline, n), deps));
        const item = [...ledger.items.values()][0]!;
        expect(item).toMatchObject({
          state: timeline.at(-1),
          orderingTimestamp: orderingOf(timeline.length - 1),
        });
        expect(item.pending).toEqual([]);
        for (const target of KINDS[kind].targets)
          expect(checkAnyOrder(timeline, byTarget(sent, target))).toBeUndefined();
        if (KINDS[kind].targets.length === 0) expect(sent).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});
