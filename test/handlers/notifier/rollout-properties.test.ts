// A property of the quiet go-live over random timelines of one finding (handlers/notifier/rollout.ts
// with process-result.ts): results delivered in order, some twice, first while the notifier is
// quiet, then after the switch to normal mode. While quiet nothing is sent; after the switch a
// finding open at the switch stays silent until it closes, and every later transition is sent
// exactly once to each target. The ledger is in memory with DynamoDB's compare-and-set contract
// (rollout.test.ts drives the same through the built bundle against dynalite and local SNS).

import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { accountContext } from "../../../engine/accounts.ts";
import { parseComplianceChange } from "../../../handlers/notifier/event.ts";
import { type NotifierDeps, processResult } from "../../../handlers/notifier/process-result.ts";
import type { Rollout } from "../../../handlers/notifier/rollout.ts";
import type { Target } from "../../../handlers/notifier/types.ts";
import { COMPLIANT_ANNOTATION, complianceEvent, controls, DDB_ANNOTATION, jsonPart } from "./harness.ts";
import { memoryLedger } from "./memory-ledger.ts";
import { orderingOf, type Sent, type Verdict } from "./oracle.ts";

const ACCOUNT = "123456789012";
const TOPICS: Record<Target, string> = { owner: "arn:owner", ciso: "arn:ciso" };
/** A production account: every required finding goes to the owner and the CISO. */
const TAGS = { environment: "production", owner: "a@example.com" };

const verdict = fc.constantFrom<Verdict>("NON_COMPLIANT", "COMPLIANT", "NOT_APPLICABLE");
const scenario = fc.record({
  quiet: fc.array(verdict, { maxLength: 4 }),
  normal: fc.array(verdict, { maxLength: 5 }),
  /** Per result: delivered once or twice (at least once, like SQS). */
  copies: fc.array(fc.integer({ min: 1, max: 2 }), { minLength: 9, maxLength: 9 }),
});

/** The messages the normal phase owes one target, in order: the backlog silent until it closes. */
function expectedAfterSwitch(quiet: readonly Verdict[], normal: readonly Verdict[], target: Target): Sent[] {
  const sent: Sent[] = [];
  let open = quiet.at(-1) === "NON_COMPLIANT";
  let backlog = open;
  normal.forEach((v, i) => {
    const now = v === "NON_COMPLIANT";
    if (backlog) {
      if (!now) backlog = false;
    } else if (now !== open) {
      sent.push({ target, kind: now ? "finding" : "resolved", ordering: orderingOf(quiet.length + i) });
    }
    open = now;
  });
  return sent;
}

describe("rollout mode over random timelines", () => {
  test("quiet sends nothing; after the switch, only transitions that happen after it are sent, once", async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ quiet, normal, copies }) => {
        // Prepare
        const ledger = memoryLedger(async (operation) => operation());
        const sent: Sent[] = [];
        let rollout: Rollout = { mode: "quiet", quietSince: orderingOf(0) };
        const deps: NotifierDeps = {
          ledger,
          accounts: {
            get: async (id) => ({ ...accountContext(id, TAGS), found: true }),
            list: async () => [],
          },
          publisher: {
            publish: async (topicArn, message) => {
              const target = (Object.keys(TOPICS) as Target[]).find((t) => TOPICS[t] === topicArn)!;
              sent.push({
                target,
                kind: message.attributes.notificationType as Sent["kind"],
                ordering: JSON.parse(jsonPart(message.body)).orderingTimestamp,
              });
              return "message-id";
            },
          },
          controls,
          topics: TOPICS,
          now: () => Date.parse("2025-06-01T00:00:00Z"),
          claimMs: 60_000,
          sleep: async () => {},
          rollout: async () => rollout,
        };
        const timeline = [...quiet, ...normal];
        const deliver = async (i: number) => {
          const compliance = timeline[i]!;
          const event = complianceEvent({
            accountId: ACCOUNT,
            resourceId: "orders",
            compliance,
            ordering: orderingOf(i),
            annotation: compliance === "NON_COMPLIANT" ? DDB_ANNOTATION : COMPLIANT_ANNOTATION,
          });
          for (let copy = 0; copy < copies[i]!; copy++)
            await processResult(parseComplianceChange(event)!, deps);
        };
        // Act: the quiet period, then the switch.
        for (let i = 0; i < quiet.length; i++) await deliver(i);
        const sentWhileQuiet = sent.length;
        rollout = { mode: "normal", quietSince: orderingOf(0), switchedAt: orderingOf(quiet.length) };
        for (let i = quiet.length; i < timeline.length; i++) await deliver(i);
        // Assess
        expect(sentWhileQuiet).toBe(0);
        for (const target of Object.keys(TOPICS) as Target[]) {
          expect(sent.filter((m) => m.target === target)).toEqual(expectedAfterSwitch(quiet, normal, target));
        }
        const item = ledger.items.get(
          [ACCOUNT, "eu-west-1", "compliance-dynamodb", "AWS::DynamoDB::Table", "orders"].join("#"),
        );
        if (timeline.length > 0) {
          expect(item?.state).toBe(timeline.at(-1));
          expect(item?.pending).toEqual([]);
        }
      }),
      { numRuns: 200, seed: 20261202 },
    );
  });
});
