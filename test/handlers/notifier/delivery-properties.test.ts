// Property tests against the real thing: real SDK clients, dynalite's conditional writes and the
// local SNS endpoint refusing publishes at random. Deliveries of a random timeline of results are
// duplicated, shuffled and run concurrently in waves; failed deliveries are delivered again, as
// SQS and EventBridge do. Bounded runs: the scheduler-driven interleavings.test.ts covers far more
// orders in memory.

import fc from "fast-check";
import { afterAll, beforeAll, expect, test } from "vitest";
import { readConfig } from "../../../handlers/notifier/config.ts";
import { parseComplianceChange } from "../../../handlers/notifier/event.ts";
import { type NotifierDeps, processResult } from "../../../handlers/notifier/process-result.ts";
import type { Target } from "../../../handlers/notifier/types.ts";
import { createRuntime } from "../../../handlers/notifier/wiring.ts";
import type { SnsFault } from "../../support/sns-endpoint.ts";
import {
  ACCOUNTS,
  CISO_TOPIC,
  COMPLIANT_ANNOTATION,
  complianceEvent,
  controls,
  DDB_ANNOTATION,
  jsonPart,
  ledgerKeyOf,
  OWNER_TOPIC,
  type Stack,
  startStack,
} from "./harness.ts";
import { checkAnyOrder, expectedInOrder, orderingOf, type Sent, type Verdict } from "./oracle.ts";

let stack: Stack;
let deps: NotifierDeps;

beforeAll(async () => {
  stack = await startStack();
  deps = createRuntime(
    readConfig(process.env),
    () => controls,
    () => {},
  ).deps();
});
afterAll(async () => stack?.close());

const ROUTES = {
  [ACCOUNTS.production]: ["owner", "ciso"],
  [ACCOUNTS.rated]: ["owner"],
  [ACCOUNTS.lowRated]: [],
} as Record<string, Target[]>;

const FAULTS: Record<string, SnsFault> = {
  // Retried by the SDK itself (maxAttempts 3), usually invisible to the notifier.
  internal: { status: 500, code: "InternalError", message: "injected" },
  // Not retryable: the publish fails and the delivery with it.
  refused: { status: 400, code: "KMSDisabled", message: "injected" },
};

const scenario = fc.record({
  account: fc.constantFrom(...Object.keys(ROUTES)),
  timeline: fc.array(fc.constantFrom<Verdict>("NON_COMPLIANT", "COMPLIANT", "NOT_APPLICABLE"), {
    minLength: 1,
    maxLength: 4,
  }),
  copies: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 4, maxLength: 4 }),
  order: fc.array(fc.nat(), { minLength: 12, maxLength: 12 }),
  wave: fc.integer({ min: 1, max: 5 }),
  inOrder: fc.boolean(),
  faults: fc.array(fc.constantFrom<keyof typeof FAULTS | "none">("none", "none", "internal", "refused"), {
    maxLength: 6,
  }),
});

let run = 0;

test("duplicated, reordered, concurrent deliveries with SNS faults: one message per transition, newest state", async () => {
  await fc.assert(
    fc.asyncProperty(scenario, async ({ account, timeline, copies, order, wave, inOrder, faults }) => {
      const resourceId = `prop-${++run}`;
      const plan = [...faults];
      stack.sns.setFaultRule((call) => {
        if (call.action !== "Publish") return undefined;
        const kind = plan.shift();
        return kind && kind !== "none" ? FAULTS[kind] : undefined;
      });
      const result = (i: number) =>
        parseComplianceChange(
          complianceEvent({
            accountId: account,
            resourceId,
            compliance: timeline[i]!,
            ordering: orderingOf(i),
            annotation: timeline[i] === "NON_COMPLIANT" ? DDB_ANNOTATION : COMPLIANT_ANNOTATION,
          }),
        )!;
      const all = timeline.flatMap((_, i) => Array.from({ length: copies[i]! }, () => i));
      // In order: each result's copies together, the next only once they all succeeded.
      // Otherwise: shuffled, in concurrent waves, failures delivered again later.
      const batches = inOrder
        ? timeline.map((_, i) => all.filter((d) => d === i))
        : [
            all
              .map((d, n) => ({ d, key: order[n % order.length]! + n / 100 }))
              .sort((a, b) => a.key - b.key)
              .map((x) => x.d),
          ];
      for (const batch of batches) {
        let queue = batch;
        for (let round = 0; queue.length > 0; round++) {
          if (round > 20) throw new Error("deliveries never succeeded");
          const failed: number[] = [];
          for (let at = 0; at < queue.length; at += wave) {
            const slice = queue.slice(at, at + wave);
            const outcomes = await Promise.allSettled(slice.map((i) => processResult(result(i), deps)));
            for (const [n, o] of outcomes.entries()) if (o.status === "rejected") failed.push(slice[n]!);
          }
          queue = failed;
        }
      }
      stack.sns.setFaultRule(undefined);

      const item = await stack.ledger.get(ledgerKeyOf(account, resourceId));
      expect(item).toMatchObject({
        state: timeline.at(-1),
        orderingTimestamp: orderingOf(timeline.length - 1),
      });
      expect(item?.pending).toEqual([]);
      const targets = ROUTES[account]!;
      const sent = (target: Target): Sent[] =>
        stack.sns.published
          .filter((p) => p.topicArn === (target === "owner" ? OWNER_TOPIC : CISO_TOPIC))
          .map((p) => ({ p, json: JSON.parse(jsonPart(p.message)) }))
          .filter(({ json }) => json.resourceId === resourceId)
          .map(({ p, json }) => ({
            target,
            kind: p.attributes.notificationType as Sent["kind"],
            ordering: json.orderingTimestamp,
          }));
      if (inOrder) {
        const expected = expectedInOrder(timeline, targets);
        for (const [n, t] of targets.entries()) expect(sent(t)).toEqual(expected[n]);
      }
      for (const t of targets) expect(checkAnyOrder(timeline, sent(t))).toBeUndefined();
      for (const t of ["owner", "ciso"] as const) if (!targets.includes(t)) expect(sent(t)).toEqual([]);
    }),
    { numRuns: 40 },
  );
});
