// The `sync-owners` mode: the owner topic's e-mail subscriptions follow the accounts' owner tags,
// with a filter policy on accountId per address; idempotent; reports what it changed.

import { PublishCommand } from "@aws-sdk/client-sns";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { readConfig } from "../../../handlers/notifier/config.ts";
import type { OwnerSyncReport } from "../../../handlers/notifier/owner-sync.ts";
import { ownerAddresses } from "../../../handlers/notifier/owner-sync.ts";
import type { Runtime } from "../../../handlers/notifier/run.ts";
import { run } from "../../../handlers/notifier/run.ts";
import { createRuntime } from "../../../handlers/notifier/wiring.ts";
import { ACCOUNTS, controls, OWNER_TOPIC, organisation, type Stack, startStack } from "./harness.ts";

let stack: Stack;
let runtime: Runtime;

beforeAll(async () => {
  stack = await startStack();
  // Tags change between runs here: no account cache.
  runtime = createRuntime(
    readConfig({ ...process.env, ACCOUNT_CACHE_TTL_SECONDS: "0" }),
    () => controls,
    () => {},
  );
});
afterAll(async () => stack?.close());
beforeEach(() => {
  stack.sns.reset();
  stack.org.accounts = organisation();
});

const sync = async (dryRun = false) =>
  (await run({ mode: "sync-owners", dryRun }, runtime)) as OwnerSyncReport;
const mutations = () =>
  stack.sns.calls.filter((c) => ["Subscribe", "Unsubscribe", "SetSubscriptionAttributes"].includes(c.action));
const policyOf = (address: string) =>
  stack.sns.subscriptions.find((s) => s.endpoint === address)?.attributes.FilterPolicy;

describe("owner subscriptions", () => {
  test("one subscription per owner address, filtered to the accounts it owns; then nothing to do", async () => {
    const first = await sync();
    expect(first).toMatchObject({
      accounts: 5,
      subscribed: [
        { address: "alice@example.com", accounts: [ACCOUNTS.production] },
        { address: "bob@example.com", accounts: [ACCOUNTS.lowRated, ACCOUNTS.rated] },
        { address: "carol@example.com", accounts: [ACCOUNTS.unclassified] },
      ],
      updated: [],
      unsubscribed: [],
      problems: [],
    });
    expect(policyOf("bob@example.com")).toBe(`{"accountId":["${ACCOUNTS.lowRated}","${ACCOUNTS.rated}"]}`);
    expect(stack.sns.subscriptions.every((s) => s.attributes.FilterPolicyScope === "MessageAttributes")).toBe(
      true,
    );

    // Before the owners confirm, SNS lets nobody change their subscriptions: reported, left alone.
    stack.sns.calls.length = 0;
    expect(await sync()).toMatchObject({
      subscribed: [],
      pendingConfirmation: ["alice@example.com", "bob@example.com", "carol@example.com"],
    });
    expect(mutations()).toEqual([]);

    stack.sns.confirmAll();
    stack.sns.calls.length = 0;
    expect(await sync()).toMatchObject({
      subscribed: [],
      updated: [],
      unsubscribed: [],
      unchanged: ["alice@example.com", "bob@example.com", "carol@example.com"],
    });
    expect(mutations()).toEqual([]);
  });

  test("owners move: new addresses subscribe, changed ones are re-filtered, departed and duplicate ones leave", async () => {
    await sync();
    stack.sns.confirmAll();
    // By hand: a stranger's e-mail subscription, a duplicate of alice's, and a queue (not e-mail).
    stack.sns.subscriptions.push(
      {
        subscriptionArn: `${OWNER_TOPIC}:eve`,
        topicArn: OWNER_TOPIC,
        protocol: "email",
        endpoint: "eve@example.com",
        confirmed: true,
        attributes: {},
      },
      {
        subscriptionArn: `${OWNER_TOPIC}:alice-2`,
        topicArn: OWNER_TOPIC,
        protocol: "email",
        endpoint: "Alice@Example.com",
        confirmed: true,
        attributes: {},
      },
      {
        subscriptionArn: `${OWNER_TOPIC}:queue`,
        topicArn: OWNER_TOPIC,
        protocol: "sqs",
        endpoint: "arn:aws:sqs:eu-west-1:999999999999:q",
        confirmed: true,
        attributes: {},
      },
    );
    stack.org.accounts[ACCOUNTS.lowRated]!.tags.owner = "dave@example.com";
    delete stack.org.accounts[ACCOUNTS.unclassified]!.tags.owner;

    const report = await sync();

    expect(report.subscribed).toEqual([{ address: "dave@example.com", accounts: [ACCOUNTS.lowRated] }]);
    expect(report.updated).toEqual([
      { address: "bob@example.com", from: [ACCOUNTS.lowRated, ACCOUNTS.rated], to: [ACCOUNTS.rated] },
    ]);
    expect(report.unsubscribed.map((u) => u.address).sort()).toEqual([
      "alice@example.com",
      "carol@example.com",
      "eve@example.com",
    ]);
    expect(report.unchanged).toEqual(["alice@example.com"]);
    expect(stack.sns.subscriptions.map((s) => s.endpoint).sort()).toEqual([
      "alice@example.com",
      "arn:aws:sqs:eu-west-1:999999999999:q",
      "bob@example.com",
      "dave@example.com",
    ]);
    expect(policyOf("bob@example.com")).toBe(`{"accountId":["${ACCOUNTS.rated}"]}`);
  });

  test("the filter policies route each account's messages to its owner only", async () => {
    await sync();
    stack.sns.confirmAll();
    const deliveredFor = async (accountId: string) => {
      await runtime.sns.send(
        new PublishCommand({
          TopicArn: OWNER_TOPIC,
          Message: "test",
          MessageAttributes: { accountId: { DataType: "String", StringValue: accountId } },
        }),
      );
      return stack.sns.published.at(-1)!.deliveredTo;
    };
    expect(await deliveredFor(ACCOUNTS.rated)).toEqual(["bob@example.com"]);
    expect(await deliveredFor(ACCOUNTS.production)).toEqual(["alice@example.com"]);
    expect(await deliveredFor(ACCOUNTS.unowned)).toEqual([]);
  });

  test("a dry run reports and changes nothing; bad owner tags are reported, not fatal", async () => {
    stack.org.accounts[ACCOUNTS.unowned]!.tags.owner = "the platform team";
    const report = await sync(true);
    expect(report.dryRun).toBe(true);
    expect(report.subscribed).toHaveLength(3);
    expect(report.problems).toEqual([
      `account ${ACCOUNTS.unowned}: owner tag value "the platform team" is not an e-mail address`,
    ]);
    expect(mutations()).toEqual([]);
    expect(stack.sns.subscriptions).toEqual([]);
  });

  test("an account whose tags cannot be read stops the run before anything changes", async () => {
    stack.org.failNext("DescribeAccount", 1, {
      status: 400,
      type: "AccessDeniedException",
      message: "denied",
    });
    await expect(sync()).rejects.toThrow(/^account \d{12}: cannot read its tags: denied$/);
    expect(mutations()).toEqual([]);
  });
});

test("owner tags: one address or several; case does not matter", () => {
  expect(ownerAddresses("A@Example.com; b@example.com,c@example.org")).toEqual({
    addresses: ["a@example.com", "b@example.com", "c@example.org"],
    invalid: [],
  });
  expect(ownerAddresses(undefined)).toEqual({ addresses: [], invalid: [] });
});
