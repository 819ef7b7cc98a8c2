// The quiet go-live (ROLLOUT_MODE), through the built bundle with real SDK clients against dynalite
// and the local SNS and Organizations endpoints. Two copies of the bundle stand for two
// deployments of the stack: the first with RolloutMode quiet, the second after the parameter was
// switched to normal (each copy reads its environment at its cold start, as Lambda would).

import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { readConfig } from "../../../handlers/notifier/config.ts";
import {
  createRolloutStore,
  ROLLOUT_SETTINGS_KEY,
  settleRollout,
} from "../../../handlers/notifier/rollout.ts";
import {
  ACCOUNTS,
  buildNotifierBundles,
  CISO_TOPIC,
  COMPLIANT_ANNOTATION,
  complianceEvent,
  DDB_ANNOTATION,
  EC2_ANNOTATION,
  type Handler,
  jsonPart,
  ledgerKeyOf,
  OWNER_TOPIC,
  publishedTo,
  type Stack,
  sqsBatch,
  startStack,
} from "./harness.ts";

let stack: Stack;
let quiet: Handler;
let normal: Handler;
let secondColdStart: Handler;

const DAY = 86_400_000;
/** Times relative to now: the switch is recorded with the real clock, as in Lambda. */
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();

const finding = (accountId: string, resourceId: string, ordering: string, annotation = DDB_ANNOTATION) =>
  complianceEvent({
    accountId,
    resourceId,
    compliance: "NON_COMPLIANT",
    ordering,
    annotation,
    previous: null,
  });
const fixed = (accountId: string, resourceId: string, ordering: string) =>
  complianceEvent({
    accountId,
    resourceId,
    compliance: "COMPLIANT",
    ordering,
    annotation: COMPLIANT_ANNOTATION,
  });

/** Forgets what was published, keeping the owners' subscriptions (which `reset` would remove). */
const forgetPublished = () => {
  stack.sns.published.length = 0;
};

async function settings() {
  const client = new DynamoDBClient({ endpoint: stack.dynalite.endpoint });
  try {
    const out = await client.send(
      new GetItemCommand({
        TableName: stack.table,
        Key: { pk: { S: ROLLOUT_SETTINGS_KEY } },
        ConsistentRead: true,
      }),
    );
    return out.Item;
  } finally {
    client.destroy();
  }
}

beforeAll(async () => {
  stack = await startStack();
  [quiet, normal, secondColdStart] = (await buildNotifierBundles(3)) as [Handler, Handler, Handler];
  // The owners subscribe through the notifier's own owner sync, and confirm.
  process.env.ROLLOUT_MODE = "quiet";
  await quiet({ mode: "sync-owners" });
  stack.sns.confirmAll();
});
afterAll(async () => {
  delete process.env.ROLLOUT_MODE;
  await stack?.close();
});

describe("rollout mode quiet", () => {
  test("every result is recorded in the ledger, and no per-finding message is published", async () => {
    // Act: the first sweep's findings of a fresh organisation, and one that opens and closes.
    const batch = sqsBatch([
      { id: "1", event: finding(ACCOUNTS.production, "orders", daysAgo(3)) },
      { id: "2", event: finding(ACCOUNTS.production, "fresh", daysAgo(0.5)) },
      { id: "3", event: finding(ACCOUNTS.rated, "dev-table", daysAgo(2)) },
      { id: "4", event: finding(ACCOUNTS.unclassified, "i-0abc", daysAgo(2), EC2_ANNOTATION) },
      { id: "5", event: finding(ACCOUNTS.production, "flapping", daysAgo(2)) },
    ]);
    const answer = await quiet(batch);
    await quiet(fixed(ACCOUNTS.production, "flapping", daysAgo(1)));
    // Assess
    expect(answer).toEqual({ batchItemFailures: [] });
    expect(stack.sns.published).toEqual([]);
    const orders = await stack.ledger.get(ledgerKeyOf(ACCOUNTS.production, "orders"));
    expect(orders).toMatchObject({
      state: "NON_COMPLIANT",
      required: true,
      severity: "high",
      backlog: true,
      told: [],
      pending: [],
    });
    expect(orders?.firstSeenAt).toBe(orders?.openedAt);
    const flapping = await stack.ledger.get(ledgerKeyOf(ACCOUNTS.production, "flapping"));
    expect(flapping).toMatchObject({ state: "COMPLIANT", told: [], pending: [] });
    expect(flapping?.resolvedAt).toBeDefined();
    expect(flapping?.backlog).toBeUndefined();
    const recorded = await settings();
    expect(recorded?.mode?.S).toBe("quiet");
    expect(Date.parse(recorded?.quietSince?.S ?? "")).toBeGreaterThan(Date.now() - 60_000);
    expect(recorded?.switchedAt).toBeUndefined();
  });

  test("the digest: one message per owner's account with every open finding, one summary for the CISO", async () => {
    // Act
    const report = (await quiet({ mode: "digest", days: 7 })) as {
      rollout?: string;
      owners: { accountId: string; findings: number }[];
    };
    // Assess: every open finding, the half-day-old one included (older than 7 days in normal mode).
    expect(report.rollout).toBe("quiet");
    expect(report.owners).toEqual([
      { accountId: ACCOUNTS.production, findings: 2 },
      { accountId: ACCOUNTS.rated, findings: 1 },
      { accountId: ACCOUNTS.unclassified, findings: 1 },
    ]);
    const owners = publishedTo(stack.sns, OWNER_TOPIC);
    expect(owners.map((p) => p.attributes.accountId)).toEqual([
      ACCOUNTS.production,
      ACCOUNTS.rated,
      ACCOUNTS.unclassified,
    ]);
    const production = owners[0]!;
    expect(production.subject).toBe('Digest: 2 open finding(s) in 111111111111 "payments-prod"');
    expect(production.message).toContain("quiet go-live");
    expect(production.message).toContain("AWS::DynamoDB::Table fresh (eu-west-1)");
    expect(production.attributes.notificationType).toBe("digest");
    // The owner's confirmed subscription (filter policy on the account) receives it.
    expect(production.deliveredTo).toEqual(["alice@example.com"]);
    const ciso = publishedTo(stack.sns, CISO_TOPIC);
    expect(ciso).toHaveLength(1);
    expect(ciso[0]!.subject).toBe(
      "Compliance digest: 4 open finding(s) (1 critical, 3 high) in 3 account(s)",
    );
    expect(ciso[0]!.message).toContain("Rollout mode: quiet since ");
    expect(ciso[0]!.message).toContain("4 open finding(s) recorded quietly");
    expect(JSON.parse(jsonPart(ciso[0]!.message))).toMatchObject({ rollout: { mode: "quiet" }, backlog: 4 });
  });

  test("retry-pending sends nothing while quiet", async () => {
    forgetPublished();
    expect(await quiet({ mode: "retry-pending" })).toMatchObject({ sent: 0, held: true });
    expect(stack.sns.published).toEqual([]);
  });
});

describe("after the switch to normal mode", () => {
  test("the first run records the switch; in its batch the backlog stays silent and a new finding notifies", async () => {
    // Prepare: the stack was updated; the first events reach the notifier a moment after Config
    // recorded them (so before its first run in normal mode, which records the switch).
    process.env.ROLLOUT_MODE = "normal";
    forgetPublished();
    const moments = (ms: number) => new Date(Date.now() - ms).toISOString();
    const newer = moments(2_000);
    const firstBatch = sqsBatch([
      // A newer NON_COMPLIANT result of a finding open since the quiet period.
      { id: "1", event: finding(ACCOUNTS.production, "orders", newer) },
      {
        id: "2",
        event: complianceEvent({
          accountId: ACCOUNTS.production,
          resourceId: "after-switch",
          compliance: "NON_COMPLIANT",
          ordering: moments(2_000),
          recorded: moments(1_000),
          annotation: DDB_ANNOTATION,
          previous: null,
        }),
      },
    ]);
    const before = Date.now();
    // Act
    const answer = await normal(firstBatch);
    // Assess: the switch time is recorded, by this first run.
    expect(answer).toEqual({ batchItemFailures: [] });
    const recorded = await settings();
    expect(recorded?.mode?.S).toBe("normal");
    expect(Date.parse(recorded?.switchedAt?.S ?? "")).toBeGreaterThanOrEqual(before - 1);
    expect(recorded?.quietSince?.S).toBeDefined();
    // The finding open at the switch was recorded but sent nothing.
    expect(await stack.ledger.get(ledgerKeyOf(ACCOUNTS.production, "orders"))).toMatchObject({
      orderingTimestamp: newer,
      backlog: true,
      pending: [],
    });
    expect(publishedTo(stack.sns, OWNER_TOPIC, "orders")).toEqual([]);
    expect(publishedTo(stack.sns, CISO_TOPIC, "orders")).toEqual([]);
    // The finding that opened after the switch goes to the owner and (production) the CISO.
    expect(publishedTo(stack.sns, CISO_TOPIC, "after-switch")).toHaveLength(1);
    expect(publishedTo(stack.sns, OWNER_TOPIC, "after-switch").map((p) => p.deliveredTo)).toEqual([
      ["alice@example.com"],
    ]);
  });

  test("a backlog finding resolves silently; when it reopens, that new transition notifies", async () => {
    forgetPublished();
    // Act
    await normal(fixed(ACCOUNTS.production, "orders", new Date(Date.now() + 1_000).toISOString()));
    const resolved = await stack.ledger.get(ledgerKeyOf(ACCOUNTS.production, "orders"));
    const reopened = (await normal(
      finding(ACCOUNTS.production, "orders", new Date(Date.now() + 2_000).toISOString()),
    )) as { sent: { target: string; kind: string }[] };
    // Assess: nobody was told it was open, so nobody is told it is resolved.
    expect(resolved).toMatchObject({ state: "COMPLIANT", told: [], pending: [] });
    expect(resolved?.backlog).toBeUndefined();
    expect(reopened.sent.map((s) => `${s.target} ${s.kind}`).sort()).toEqual([
      "ciso finding",
      "owner finding",
    ]);
    expect(publishedTo(stack.sns, OWNER_TOPIC, "orders")).toHaveLength(1);
  });

  test("the digest keeps the backlog whatever its age; the CISO is told since when notices are on", async () => {
    forgetPublished();
    // Act
    const report = (await normal({ mode: "digest", days: 7 })) as {
      rollout?: string;
      owners: { accountId: string; findings: number }[];
    };
    // Assess: none of these is 7 days old; the backlog (fresh, dev-table, i-0abc) is listed.
    expect(report.rollout).toBeUndefined();
    expect(report.owners).toEqual([
      { accountId: ACCOUNTS.production, findings: 1 },
      { accountId: ACCOUNTS.rated, findings: 1 },
      { accountId: ACCOUNTS.unclassified, findings: 1 },
    ]);
    const [production] = publishedTo(stack.sns, OWNER_TOPIC);
    expect(production!.subject).toBe(
      'Digest: 1 finding(s) open over 7 days or since the go-live in 111111111111 "payments-prod"',
    );
    expect(production!.message).toContain("fresh (eu-west-1)");
    expect(production!.message).toContain("(go-live backlog)");
    expect(production!.message).not.toContain("after-switch");
    const ciso = publishedTo(stack.sns, CISO_TOPIC);
    expect(ciso).toHaveLength(1);
    expect(ciso[0]!.message).toContain("Per-finding notices on since ");
    expect(ciso[0]!.message).toContain("3 finding(s) open from the quiet go-live");
  });

  test("a second cold start in normal mode keeps the recorded switch time", async () => {
    // Prepare
    const first = (await settings())?.switchedAt?.S;
    // Act
    await secondColdStart(finding(ACCOUNTS.rated, "later", new Date().toISOString()));
    // Assess
    expect((await settings())?.switchedAt?.S).toBe(first);
  });
});

describe("ROLLOUT_MODE", () => {
  const base = { CISO_TOPIC_ARN: CISO_TOPIC, OWNER_TOPIC_ARN: OWNER_TOPIC, AWS_REGION: "eu-west-1" };

  test("unset or empty is normal; quiet and normal are read in any case", () => {
    expect(readConfig({ ...base, LEDGER_TABLE: "t" }).rolloutMode).toBe("normal");
    expect(readConfig({ ...base, LEDGER_TABLE: "t", ROLLOUT_MODE: " " }).rolloutMode).toBe("normal");
    expect(readConfig({ ...base, LEDGER_TABLE: "t", ROLLOUT_MODE: "Quiet" }).rolloutMode).toBe("quiet");
  });

  test("another value, or quiet without a ledger, is a one-line configuration error", () => {
    expect(() => readConfig({ ...base, LEDGER_TABLE: "t", ROLLOUT_MODE: "silent" })).toThrow(
      'ROLLOUT_MODE: expected "quiet" or "normal", got silent',
    );
    expect(() => readConfig({ ...base, ROLLOUT_MODE: "quiet" })).toThrow(
      'ROLLOUT_MODE "quiet" needs the findings ledger, and LEDGER_TABLE is not set',
    );
  });
});

describe("the rollout settings item", () => {
  test("normal and never quiet writes nothing; concurrent cold starts record one switch; back to quiet keeps it", async () => {
    // Prepare: a table of its own, reached with the real client.
    const table = await stack.dynalite.createLedgerTable("settings-only");
    const client = new DynamoDBClient({ endpoint: stack.dynalite.endpoint });
    const store = createRolloutStore(client, table);
    try {
      // Act and assess, step by step.
      expect(await settleRollout(store, "normal", "2026-01-01T00:00:00.000Z")).toEqual({ mode: "normal" });
      expect(await store.get()).toBeUndefined();
      expect(await settleRollout(store, "quiet", "2026-01-02T00:00:00.000Z")).toEqual({
        mode: "quiet",
        quietSince: "2026-01-02T00:00:00.000Z",
      });
      const coldStarts = await Promise.all(
        ["2026-02-01T00:00:01.000Z", "2026-02-01T00:00:02.000Z", "2026-02-01T00:00:03.000Z"].map((now) =>
          settleRollout(store, "normal", now),
        ),
      );
      const switchedAt = coldStarts.map((r) => r.switchedAt);
      expect(new Set(switchedAt).size).toBe(1);
      expect(await store.get()).toMatchObject({ mode: "normal", switchedAt: switchedAt[0], rev: 2 });
      expect(await settleRollout(store, "quiet", "2026-03-01T00:00:00.000Z")).toEqual({
        mode: "quiet",
        quietSince: "2026-03-01T00:00:00.000Z",
        switchedAt: switchedAt[0],
      });
    } finally {
      client.destroy();
    }
  });
});
