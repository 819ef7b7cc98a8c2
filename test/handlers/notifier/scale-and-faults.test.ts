// The notifier against a large or hostile organisation, through the local SNS and Organizations
// endpoints and dynalite: owner sync with 250 owners (more than SNS's 200 filter policies per topic
// by default), an owner of more accounts than one filter policy lists, and one address SNS
// refuses; an event whose envelope account differs from detail.awsAccountId; malformed SQS
// records; an SNS endpoint that accepts connections and never answers.

import { createServer } from "node:http";
import { PublishCommand } from "@aws-sdk/client-sns";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { readConfig } from "../../../handlers/notifier/config.ts";
import type { OwnerSyncReport } from "../../../handlers/notifier/owner-sync.ts";
import { type Runtime, run } from "../../../handlers/notifier/run.ts";
import { createRuntime } from "../../../handlers/notifier/wiring.ts";
import { listenOnLoopback } from "../../support/loopback.ts";
import type { OrgAccount } from "../../support/organizations-endpoint.ts";
import {
  ACCOUNTS,
  CISO_TOPIC,
  complianceEvent,
  controls,
  DDB_ANNOTATION,
  OWNER_TOPIC,
  organisation,
  publishedTo,
  type Stack,
  sqsBatch,
  startStack,
} from "./harness.ts";

const accountId = (i: number) => String(700_000_000_000 + i);
const ownerOf = (i: number) => `owner-${String(i).padStart(3, "0")}@example.com`;

/** 250 accounts, each with its own owner. */
function manyOwners(): Record<string, OrgAccount> {
  return Object.fromEntries(
    Array.from({ length: 250 }, (_, i) => [
      accountId(i),
      { name: `team-${i}`, tags: { "cia-rating": "C2I2A2", owner: ownerOf(i) } },
    ]),
  );
}

/** One platform team owning 160 accounts, beside the usual organisation. */
function bigOwner(): Record<string, OrgAccount> {
  const accounts = organisation();
  for (let i = 0; i < 160; i++) {
    accounts[accountId(i)] = {
      name: `shared-${i}`,
      tags: { "cia-rating": "C3I3A3", owner: "platform@example.com" },
    };
  }
  return accounts;
}

let stack: Stack;
let runtime: Runtime;
const logs: { level: string; message: string; details?: Record<string, unknown> }[] = [];

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.close());
beforeEach(() => {
  stack.sns.reset();
  stack.org.accounts = organisation();
  logs.length = 0;
  // Each test is a new execution environment, with the production account cache (15 minutes):
  // the tests change the organisation between them, and within a test a second sync re-reads
  // only the account list (ListAccounts), as a warm Lambda would, not 250 accounts' tags again.
  runtime = createRuntime(
    readConfig(process.env),
    () => controls,
    (level, message, details) => logs.push({ level, message, ...(details ? { details } : {}) }),
  );
});

let manyOwnersRuntime: Runtime | undefined;

/**
 * The organisation of 250 owners, and one execution environment for the tests that use it: the
 * first reads the 250 accounts from Organizations, the next finds them in the account cache, as
 * the next sync of a warm Lambda would.
 */
function useManyOwners(): void {
  stack.org.accounts = manyOwners();
  manyOwnersRuntime ??= runtime;
  runtime = manyOwnersRuntime;
}

const sync = async () => (await run({ mode: "sync-owners" }, runtime)) as OwnerSyncReport;

describe("owner sync at scale", () => {
  test("250 owners and one address SNS refuses: the other 249 are subscribed, the refusal reported", async () => {
    useManyOwners();
    // The topic's filter-policy quota raised above the default 200 (Service Quotas), as documented.
    stack.sns.filterPolicyQuota = 300;
    stack.sns.setFaultRule((call) =>
      call.action === "Subscribe" && call.params.Endpoint === ownerOf(17)
        ? { status: 400, code: "InvalidParameter", message: "Invalid parameter: Email address" }
        : undefined,
    );
    const report = await sync();
    expect(report.accounts).toBe(250);
    expect(report.subscribed).toHaveLength(249);
    expect(report.failed).toEqual([
      { address: ownerOf(17), action: "Subscribe", error: "Invalid parameter: Email address" },
    ]);
    expect(report.problems).toEqual([
      `${ownerOf(17)}: Subscribe failed (InvalidParameterException): Invalid parameter: Email address; the other owners were synced`,
    ]);
    expect(stack.sns.subscriptions).toHaveLength(249);
    expect(stack.sns.subscriptions.some((s) => s.endpoint === ownerOf(17))).toBe(false);

    // Subscriptions are listed across pages (100 a page) on the next run: nothing to change.
    stack.sns.setFaultRule(undefined);
    stack.sns.confirmAll();
    const again = await sync();
    expect(again.unchanged).toHaveLength(249);
    expect(again.subscribed.map((s) => s.address)).toEqual([ownerOf(17)]);
    expect(again.unsubscribed).toEqual([]);
    expect(stack.sns.calls.filter((c) => c.action === "ListSubscriptionsByTopic").length).toBeGreaterThan(2);
  });

  test("past SNS's default 200 filter policies per topic, the rest are reported with the quota named, none unsubscribed", async () => {
    useManyOwners();
    const report = await sync();
    expect(report.subscribed).toHaveLength(200);
    expect(report.failed).toHaveLength(50);
    expect(report.problems[0]).toContain("FilterPolicyLimitExceeded");
    expect(report.problems[0]).toContain("Service Quotas");
    expect(report.unsubscribed).toEqual([]);
  });

  test("an owner of 160 accounts is subscribed on the owner attribute, never unsubscribed, and gets their messages", async () => {
    stack.org.accounts = bigOwner();
    // The owner had subscribed earlier with an account-id policy (at most 150 values).
    stack.sns.subscriptions.push({
      subscriptionArn: `${OWNER_TOPIC}:platform`,
      topicArn: OWNER_TOPIC,
      protocol: "email",
      endpoint: "platform@example.com",
      confirmed: true,
      attributes: { FilterPolicy: JSON.stringify({ accountId: [accountId(0)] }) },
    });
    const report = await sync();
    expect(report.unsubscribed).toEqual([]);
    expect(report.updated).toEqual([
      {
        address: "platform@example.com",
        from: [accountId(0)],
        to: Array.from({ length: 160 }, (_, i) => accountId(i)),
        filter: "owner",
      },
    ]);
    expect(report.problems).toEqual([]);
    const platform = stack.sns.subscriptions.find((s) => s.endpoint === "platform@example.com");
    expect(platform?.attributes.FilterPolicy).toBe('{"owner":["platform@example.com"]}');

    stack.sns.confirmAll();
    expect((await sync()).unchanged).toContain("platform@example.com");

    // A finding in the 155th account reaches the platform team, and nobody else.
    await run(
      complianceEvent({
        accountId: accountId(155),
        resourceId: "shared-table",
        compliance: "NON_COMPLIANT",
        ordering: "2025-04-01T10:00:00.000Z",
        annotation: DDB_ANNOTATION,
      }),
      runtime,
    );
    const [message] = publishedTo(stack.sns, OWNER_TOPIC, "shared-table");
    expect(message?.deliveredTo).toEqual(["platform@example.com"]);
  });
});

describe("events", () => {
  test("an event whose envelope account differs from detail.awsAccountId is dropped and counted", async () => {
    const forged = complianceEvent({
      accountId: ACCOUNTS.rated,
      resourceId: "forged-table",
      compliance: "COMPLIANT",
      ordering: "2025-04-02T10:00:00.000Z",
    });
    forged.account = ACCOUNTS.lowRated; // sent by another member account
    const before = runtime.dropped.envelopeAccountMismatch;
    expect(await run(forged, runtime)).toEqual({
      outcome: "dropped",
      reason: "envelope account differs from detail.awsAccountId",
    });
    // In a batch it is dropped too, and not retried (not a failure).
    expect(await run(sqsBatch([{ id: "forged", event: forged }]), runtime)).toEqual({
      batchItemFailures: [],
    });
    expect(runtime.dropped.envelopeAccountMismatch).toBe(before + 2);
    expect(publishedTo(stack.sns, OWNER_TOPIC, "forged-table")).toEqual([]);
    expect(publishedTo(stack.sns, CISO_TOPIC, "forged-table")).toEqual([]);
    expect(
      await stack.ledger.get(
        `${ACCOUNTS.rated}#eu-west-1#compliance-dynamodb#AWS::DynamoDB::Table#forged-table`,
      ),
    ).toBeUndefined();
    expect(logs).toContainEqual(
      expect.objectContaining({
        level: "warn",
        message: "event dropped: its envelope account differs from detail.awsAccountId",
      }),
    );
  });

  test("malformed SQS records fail alone: the one with a messageId in batchItemFailures, the others processed", async () => {
    const batch = sqsBatch([
      {
        id: "good",
        event: complianceEvent({
          accountId: ACCOUNTS.rated,
          resourceId: "batch-ok",
          compliance: "NON_COMPLIANT",
          ordering: "2025-04-03T10:00:00.000Z",
          annotation: DDB_ANNOTATION,
        }),
      },
    ]) as { Records: Record<string, unknown>[] };
    batch.Records.push({ messageId: "no-body", eventSource: "aws:sqs" });
    batch.Records.push({ messageId: 42, body: "{}" });
    expect(await run(batch, runtime)).toEqual({ batchItemFailures: [{ itemIdentifier: "no-body" }] });
    expect(publishedTo(stack.sns, OWNER_TOPIC, "batch-ok")).toHaveLength(1);
    expect(logs.filter((l) => l.message === "malformed record")).toHaveLength(2);
  });
});

describe("an SNS endpoint that accepts connections and never answers", () => {
  test("publishing fails with a timeout instead of hanging the invocation", async () => {
    const silent = createServer(() => {});
    const { endpoint, close } = await listenOnLoopback(silent);
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_SNS: endpoint,
      HTTP_CONNECT_TIMEOUT_MS: "300",
      HTTP_REQUEST_TIMEOUT_MS: "400",
    });
    try {
      const stuck = createRuntime(
        readConfig(process.env),
        () => controls,
        () => {},
      );
      const error = await stuck.sns.send(new PublishCommand({ TopicArn: OWNER_TOPIC, Message: "x" })).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(error?.name).toBe("TimeoutError");
    } finally {
      process.env = saved;
      await close();
    }
  });
});
