// The ledger table: one definition for the template and the tests (deploy/ledger-table.ts), the
// compare-and-set against dynalite, the state machine's edge cases, and a claim that lapses.

import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  LEDGER_PARTITION_KEY,
  LEDGER_TTL_ATTRIBUTE,
  ledgerCreateTableInput,
  ledgerTableResource,
} from "../../../deploy/ledger-table.ts";
import { accountContext } from "../../../engine/accounts.ts";
import { assess } from "../../../handlers/notifier/assess.ts";
import { readConfig } from "../../../handlers/notifier/config.ts";
import { parseComplianceChange } from "../../../handlers/notifier/event.ts";
import { processResult } from "../../../handlers/notifier/process-result.ts";
import { applyResult, markSent } from "../../../handlers/notifier/transition.ts";
import { createRuntime } from "../../../handlers/notifier/wiring.ts";
import {
  ACCOUNTS,
  complianceEvent,
  controls,
  DDB_ANNOTATION,
  ledgerKeyOf,
  OWNER_TOPIC,
  publishedTo,
  type Stack,
  startStack,
} from "./harness.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.close());

const event = (resourceId: string, compliance: "NON_COMPLIANT" | "COMPLIANT", ordering: string) =>
  parseComplianceChange(
    complianceEvent({
      accountId: ACCOUNTS.production,
      resourceId,
      compliance,
      ordering,
      annotation: DDB_ANNOTATION,
    }),
  )!;

describe("the table definition", () => {
  test("on demand, point-in-time recovery, TTL on closed findings: the platform's own DynamoDB controls", () => {
    const { Properties, DeletionPolicy } = ledgerTableResource();
    expect(Properties).toMatchObject({
      BillingMode: "PAY_PER_REQUEST",
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      TimeToLiveSpecification: { AttributeName: LEDGER_TTL_ATTRIBUTE, Enabled: true },
      KeySchema: [{ AttributeName: LEDGER_PARTITION_KEY, KeyType: "HASH" }],
    });
    expect(DeletionPolicy).toBe("Retain");
  });

  test("the table the tests run on was created from that definition", async () => {
    const client = new DynamoDBClient({ endpoint: stack.dynalite.endpoint });
    const { Table } = await client.send(new DescribeTableCommand({ TableName: stack.table }));
    client.destroy();
    const input = ledgerCreateTableInput(stack.table);
    expect(Table?.KeySchema).toEqual(input.KeySchema);
    expect(Table?.AttributeDefinitions).toEqual(input.AttributeDefinitions);
    expect(Table?.BillingModeSummary?.BillingMode).toBe("PAY_PER_REQUEST");
  });
});

describe("compare-and-set", () => {
  test("only one of two writers that read the same revision wins", async () => {
    const account = accountContext(ACCOUNTS.production, {
      environment: "production",
      owner: "a@example.com",
    });
    const result = event("cas", "NON_COMPLIANT", "2025-01-01T00:00:00.000Z");
    const item = applyResult(undefined, result, assess(result, account, controls), account);
    const first = await Promise.all([stack.ledger.put(item, undefined), stack.ledger.put(item, undefined)]);
    expect(first.sort()).toEqual([false, true]);
    const stored = (await stack.ledger.get(item.pk))!;
    expect(stored).toEqual(item);
    const next = markSent(stored, "owner", "2025-01-01T00:01:00.000Z");
    const second = await Promise.all([
      stack.ledger.put(next, stored.rev),
      stack.ledger.put(next, stored.rev),
    ]);
    expect(second.sort()).toEqual([false, true]);
    expect((await stack.ledger.get(item.pk))?.told).toEqual(["owner"]);
  });
});

describe("claims", () => {
  test("a claim held by a crashed invocation lapses, and the next delivery sends what it owed", async () => {
    let now = Date.parse("2025-06-01T00:00:00Z");
    const runtime = createRuntime(
      readConfig(process.env),
      () => controls,
      () => {},
    );
    const deps = { ...runtime.deps(), now: () => now, sleep: async () => {} };
    const result = event("crashed", "NON_COMPLIANT", "2025-01-01T00:00:00.000Z");
    // The invocation applied the result and claimed the item, then died before publishing.
    const account = accountContext(ACCOUNTS.production, {
      environment: "production",
      owner: "a@example.com",
    });
    const applied = applyResult(undefined, result, assess(result, account, controls), account);
    await stack.ledger.put(
      { ...applied, rev: applied.rev + 1, claimId: "dead", claimUntil: now + 1_000 },
      undefined,
    );
    // While the claim holds, a redelivery leaves the messages to its holder.
    expect(await processResult(result, deps)).toMatchObject({ outcome: "duplicate-or-older", sent: [] });
    now += 1_001;
    const report = await processResult(result, deps);
    expect(report.sent.map((s) => s.target)).toEqual(["owner", "ciso"]);
    expect(publishedTo(stack.sns, OWNER_TOPIC, "crashed")).toHaveLength(1);
    expect(await stack.ledger.get(ledgerKeyOf(ACCOUNTS.production, "crashed"))).toMatchObject({
      pending: [],
      told: ["owner", "ciso"],
    });
  });

  test("a newer result waits for the claim, then moves the state on", async () => {
    let now = Date.parse("2025-06-01T00:00:00Z");
    const runtime = createRuntime(
      readConfig(process.env),
      () => controls,
      () => {},
    );
    const sleeps: number[] = [];
    const deps = {
      ...runtime.deps(),
      now: () => now,
      // Time passes while the invocation waits; the claim lapses on the third wait.
      sleep: async (ms: number) => {
        sleeps.push(ms);
        now += 400;
      },
    };
    const first = event("waiting", "NON_COMPLIANT", "2025-01-01T00:00:00.000Z");
    const account = accountContext(ACCOUNTS.production, {
      environment: "production",
      owner: "a@example.com",
    });
    const applied = applyResult(undefined, first, assess(first, account, controls), account);
    await stack.ledger.put(
      { ...applied, rev: applied.rev + 1, claimId: "slow", claimUntil: now + 1_000 },
      undefined,
    );
    const report = await processResult(event("waiting", "COMPLIANT", "2025-01-02T00:00:00.000Z"), deps);
    expect(sleeps).toHaveLength(3);
    // Nobody had been told of the finding, so its resolution is news to nobody.
    expect(report).toMatchObject({ outcome: "applied", state: "COMPLIANT", sent: [], pending: [] });
  });
});
