// The notifier bundle (dist/handlers/notifier.mjs, built by build/bundle.mjs) driven through its
// handler with real SDK clients against dynalite and the local SNS and Organizations endpoints.

import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import {
  ACCOUNTS,
  buildNotifierBundle,
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
let handler: Handler;

beforeAll(async () => {
  stack = await startStack();
  handler = await buildNotifierBundle();
});
afterAll(async () => stack?.close());
beforeEach(() => {
  stack.sns.setFaultRule(undefined);
});

const T0 = "2025-03-01T10:00:00.000Z";
const T1 = "2025-03-02T10:00:00.000Z";
const T2 = "2025-03-03T10:00:00.000Z";

const finding = (accountId: string, resourceId: string, ordering = T1, annotation = DDB_ANNOTATION) =>
  complianceEvent({ accountId, resourceId, compliance: "NON_COMPLIANT", ordering, annotation });
const fixed = (accountId: string, resourceId: string, ordering = T2) =>
  complianceEvent({
    accountId,
    resourceId,
    compliance: "COMPLIANT",
    ordering,
    annotation: COMPLIANT_ANNOTATION,
  });

describe("routing", () => {
  test("a production finding goes to the owner topic and the CISO topic, with the filterable attributes", async () => {
    // Act
    const report = (await handler(finding(ACCOUNTS.production, "orders"))) as { outcome: string };
    // Assess
    expect(report.outcome).toBe("applied");
    const [owner] = publishedTo(stack.sns, OWNER_TOPIC, "orders");
    const [ciso] = publishedTo(stack.sns, CISO_TOPIC, "orders");
    expect(publishedTo(stack.sns, OWNER_TOPIC, "orders")).toHaveLength(1);
    expect(publishedTo(stack.sns, CISO_TOPIC, "orders")).toHaveLength(1);
    expect(owner!.attributes).toEqual({
      accountId: ACCOUNTS.production,
      severity: "high",
      compliance: "NON_COMPLIANT",
      controlId: "DDB.PITR",
      resourceType: "AWS::DynamoDB::Table",
      environment: "production",
      notificationType: "finding",
      // The owner tag's addresses as a String.Array (owners of more than 150 accounts filter on it).
      owner: '["alice@example.com"]',
    });
    expect(owner!.subject!.length).toBeLessThanOrEqual(100);
    expect(owner!.subject).toBe(
      "[HIGH] NON_COMPLIANT AWS::DynamoDB::Table orders in 111111111111 (DDB.PITR)",
    );
    expect(owner!.message).toContain(
      "The account requires C3I3A3 (production account: always the highest rating).",
    );
    expect(owner!.message).toContain("The resource achieves C2I1A1");
    expect(owner!.message).toContain("Why it matters\n  DDB.PITR: Point-in-time recovery restores a table");
    expect(owner!.message).toContain("Console:        DynamoDB > Tables");
    expect(owner!.message).toContain(
      "https://eu-west-1.console.aws.amazon.com/config/home?region=eu-west-1#/resources/details?resourceId=orders&resourceType=AWS%3A%3ADynamoDB%3A%3ATable",
    );
    expect(ciso!.message).toContain("The platform/CISO topic gets this finding: production account.");
    const json = JSON.parse(jsonPart(owner!.message));
    expect(json).toMatchObject({
      kind: "finding",
      accountId: ACCOUNTS.production,
      accountName: "payments-prod",
      owner: "alice@example.com",
      accountRating: "C3I3A3",
      achieved: "C2I1A1",
      severity: "high",
      openedAt: T1,
    });
    expect(json.controls[0]).toMatchObject({ id: "DDB.PITR", severity: "high", cia: { i: 2, a: 2 } });
  });

  test("a finding the account's own rating does not require is recorded but sent to nobody", async () => {
    // C1I1A1 requires none of the DynamoDB controls the table fails (all from level 2 or 3).
    await handler(finding(ACCOUNTS.lowRated, "scratch-table"));
    expect(publishedTo(stack.sns, OWNER_TOPIC, "scratch-table")).toHaveLength(0);
    expect(publishedTo(stack.sns, CISO_TOPIC, "scratch-table")).toHaveLength(0);
    const item = await stack.ledger.get(ledgerKeyOf(ACCOUNTS.lowRated, "scratch-table"));
    expect(item).toMatchObject({
      state: "NON_COMPLIANT",
      required: false,
      rating: "C1I1A1",
      pending: [],
      told: [],
    });
  });

  test("a rated development account: its owner only", async () => {
    await handler(finding(ACCOUNTS.rated, "dev-table"));
    expect(publishedTo(stack.sns, OWNER_TOPIC, "dev-table")).toHaveLength(1);
    expect(publishedTo(stack.sns, CISO_TOPIC, "dev-table")).toHaveLength(0);
  });

  test("unclassified and unowned accounts, and critical findings anywhere, reach the CISO", async () => {
    await handler(finding(ACCOUNTS.unclassified, "unrated-table"));
    await handler(finding(ACCOUNTS.unowned, "orphan-table"));
    await handler(
      complianceEvent({
        accountId: ACCOUNTS.rated,
        resourceId: "i-0123456789abcdef0",
        resourceType: "AWS::EC2::Instance",
        ruleName: "compliance-allowed-services",
        compliance: "NON_COMPLIANT",
        ordering: T1,
        annotation: EC2_ANNOTATION,
      }),
    );
    const reasons = (id: string) =>
      JSON.parse(jsonPart(publishedTo(stack.sns, CISO_TOPIC, id)[0]!.message)).cisoReasons;
    expect(reasons("unrated-table")).toEqual(["unclassified account"]);
    expect(reasons("orphan-table")).toEqual(["no owner tag"]);
    expect(reasons("i-0123456789abcdef0")).toEqual(["critical finding"]);
    const critical = publishedTo(stack.sns, CISO_TOPIC, "i-0123456789abcdef0")[0]!;
    expect(critical.attributes.severity).toBe("critical");
    expect(critical.attributes.controlId).toBe("PLATFORM.ALLOWED-SERVICE");
  });
});

describe("exactly once", () => {
  test("many concurrent and repeated deliveries of one event notify once", async () => {
    const event = finding(ACCOUNTS.production, "payments");
    await Promise.all(Array.from({ length: 6 }, () => handler(event)));
    await handler(event);
    expect(publishedTo(stack.sns, OWNER_TOPIC, "payments")).toHaveLength(1);
    expect(publishedTo(stack.sns, CISO_TOPIC, "payments")).toHaveLength(1);
  });

  test("back to COMPLIANT: a short resolved message to whoever got the finding; older results change nothing", async () => {
    await handler(finding(ACCOUNTS.production, "ledger-table", T1));
    await handler(fixed(ACCOUNTS.production, "ledger-table", T2));
    // Stale and re-delivered: the old finding, an even older one, and the resolution again.
    await handler(finding(ACCOUNTS.production, "ledger-table", T1));
    await handler(finding(ACCOUNTS.production, "ledger-table", T0));
    await handler(fixed(ACCOUNTS.production, "ledger-table", T2));
    const owner = publishedTo(stack.sns, OWNER_TOPIC, "ledger-table");
    expect(owner.map((m) => m.attributes.notificationType)).toEqual(["finding", "resolved"]);
    expect(
      publishedTo(stack.sns, CISO_TOPIC, "ledger-table").map((m) => m.attributes.notificationType),
    ).toEqual(["finding", "resolved"]);
    expect(owner[1]!.subject).toBe("RESOLVED: AWS::DynamoDB::Table ledger-table in 111111111111 (DDB.PITR)");
    expect(owner[1]!.message).toContain("AWS Config reports it COMPLIANT at 2025-03-03T10:00:00.000Z.");
    expect(owner[1]!.message).toContain("open since 2025-03-02T10:00:00.000Z (24 hours)");
    const item = await stack.ledger.get(ledgerKeyOf(ACCOUNTS.production, "ledger-table"));
    expect(item).toMatchObject({
      state: "COMPLIANT",
      orderingTimestamp: T2,
      openedAt: T1,
      resolvedAt: T2,
      told: [],
    });
  });

  test("a resolution nobody was told about sends nothing; NOT_APPLICABLE closes a finding", async () => {
    await handler(fixed(ACCOUNTS.rated, "always-fine", T1));
    expect(publishedTo(stack.sns, OWNER_TOPIC, "always-fine")).toHaveLength(0);
    await handler(finding(ACCOUNTS.rated, "deleted-table", T1));
    await handler(
      complianceEvent({
        accountId: ACCOUNTS.rated,
        resourceId: "deleted-table",
        compliance: "NOT_APPLICABLE",
        ordering: T2,
      }),
    );
    const owner = publishedTo(stack.sns, OWNER_TOPIC, "deleted-table");
    expect(owner.map((m) => m.attributes.notificationType)).toEqual(["finding", "resolved"]);
    expect(owner[1]!.message).toContain("NOT_APPLICABLE (the resource was deleted or left the rule's scope)");
  });

  test("a publish SNS refuses is marked sent only later, by the next delivery", async () => {
    // The owner's message goes through; every CISO publish fails (the SDK's own retries included).
    stack.sns.setFaultRule((call) =>
      call.action === "Publish" && call.params.TopicArn === CISO_TOPIC
        ? { status: 500, code: "InternalError", message: "injected" }
        : undefined,
    );
    const event = finding(ACCOUNTS.production, "flaky");
    await expect(handler(event)).rejects.toThrow(/SNS did not accept the message for .*compliance-ciso/);
    const owed = await stack.ledger.get(ledgerKeyOf(ACCOUNTS.production, "flaky"));
    expect(owed).toMatchObject({ pending: ["ciso"], told: ["owner"], pendingKind: "finding" });
    expect(owed?.claimId).toBeUndefined();
    // SNS recovers; EventBridge (or SQS) delivers the same event again.
    stack.sns.setFaultRule(undefined);
    await handler(event);
    await handler(event);
    expect(publishedTo(stack.sns, OWNER_TOPIC, "flaky")).toHaveLength(1);
    expect(publishedTo(stack.sns, CISO_TOPIC, "flaky")).toHaveLength(1);
    expect(await stack.ledger.get(ledgerKeyOf(ACCOUNTS.production, "flaky"))).toMatchObject({
      pending: [],
      told: ["owner", "ciso"],
    });
  });
});

describe("input", () => {
  test("an SQS batch answers batchItemFailures: each bad record fails alone", async () => {
    // AWS's own sample event, as published: an 11-digit account id Organizations cannot know.
    const awsSample = complianceEvent({
      accountId: "0",
      resourceId: "aws-sample-user",
      compliance: "NON_COMPLIANT",
      ordering: T1,
    });
    (awsSample.detail as Record<string, unknown>).awsAccountId = "12345678012";
    awsSample.account = "12345678012";
    const answer = await handler(
      sqsBatch([
        { id: "good", event: finding(ACCOUNTS.rated, "batch-table") },
        { id: "not-json", event: "{oops" },
        { id: "no-result", event: { "detail-type": "Config Rules Compliance Change", detail: {} } },
        { id: "aws-sample", event: awsSample },
        {
          id: "via-sns",
          event: { Type: "Notification", Message: JSON.stringify(finding(ACCOUNTS.rated, "batch-table-2")) },
        },
      ]),
    );
    expect(answer).toEqual({
      batchItemFailures: [{ itemIdentifier: "not-json" }, { itemIdentifier: "no-result" }],
    });
    expect(publishedTo(stack.sns, OWNER_TOPIC, "batch-table")).toHaveLength(1);
    expect(publishedTo(stack.sns, OWNER_TOPIC, "batch-table-2")).toHaveLength(1);
    // The odd account id is routed fail safe: unknown to Organizations, so unclassified.
    const [sample] = publishedTo(stack.sns, CISO_TOPIC, "aws-sample-user");
    expect(sample?.attributes.accountId).toBe("12345678012");
    expect(JSON.parse(jsonPart(sample!.message)).cisoReasons).toEqual([
      "unclassified account",
      "no owner tag",
    ]);
  });

  test("a bad single event is a one-line error naming the field; INSUFFICIENT_DATA is ignored", async () => {
    await expect(handler({ "detail-type": "Config Rules Compliance Change", detail: {} })).rejects.toThrow(
      "detail.newEvaluationResult: expected an object, got nothing",
    );
    await expect(handler({ mode: "digest", days: -1 })).rejects.toThrow(/^days: expected a number of days/);
    await expect(handler({ mode: "everything" })).rejects.toThrow(/^mode: expected "sync-owners"/);
    const insufficient = complianceEvent({
      accountId: ACCOUNTS.rated,
      resourceId: "no-data",
      compliance: "INSUFFICIENT_DATA",
      ordering: T1,
    });
    expect(await handler(insufficient)).toMatchObject({ outcome: "ignored" });
  });

  test("Organizations throttling is retried", async () => {
    stack.org.accounts["666666666666"] = {
      name: "new-account",
      tags: { "cia-rating": "C3I3A3", environment: "development", owner: "dan@example.com" },
    };
    stack.org.failNext("DescribeAccount", 1);
    const before = stack.org.calls.length;
    await handler(finding("666666666666", "throttled-table"));
    const calls = stack.org.calls.slice(before).map((c) => c.operation);
    expect(calls.filter((c) => c === "DescribeAccount")).toHaveLength(2);
    expect(calls.filter((c) => c === "ListTagsForResource")).toHaveLength(1);
    expect(publishedTo(stack.sns, OWNER_TOPIC, "throttled-table")).toHaveLength(1);
  });
  test("Organizations refusing (AccessDenied): recorded and sent as unclassified, not failed", async () => {
    const id = "888888888888";
    stack.org.accounts[id] = {
      name: "rated-low",
      tags: { "cia-rating": "C1I1A1", environment: "development", owner: "fay@example.com" },
    };
    stack.org.failNext("DescribeAccount", 1, {
      status: 400,
      type: "AccessDeniedException",
      message: "denied",
    });
    await handler(finding(id, "denied-table"));
    expect(publishedTo(stack.sns, OWNER_TOPIC, "denied-table")).toHaveLength(1);
    expect(publishedTo(stack.sns, CISO_TOPIC, "denied-table")).toHaveLength(1);
    expect(await stack.ledger.get(ledgerKeyOf(id, "denied-table"))).toMatchObject({
      unclassified: true,
      rating: "C3I3A3",
      told: ["owner", "ciso"],
    });
  });
});

describe("scheduled modes", () => {
  test('{"mode": "retry-pending"} sends what failed deliveries left owed, once', async () => {
    stack.sns.setFaultRule((call) =>
      call.action === "Publish" ? { status: 400, code: "KMSDisabled", message: "injected" } : undefined,
    );
    await expect(handler(finding(ACCOUNTS.unowned, "owed-table"))).rejects.toThrow(/SNS did not accept/);
    stack.sns.setFaultRule(undefined);
    const report = await handler({ mode: "retry-pending" });
    expect(report).toEqual({ mode: "retry-pending", owed: 1, sent: 2, failed: [] });
    expect(await handler({ mode: "retry-pending" })).toEqual({
      mode: "retry-pending",
      owed: 0,
      sent: 0,
      failed: [],
    });
    expect(publishedTo(stack.sns, OWNER_TOPIC, "owed-table")).toHaveLength(1);
    expect(publishedTo(stack.sns, CISO_TOPIC, "owed-table")).toHaveLength(1);
  });

  test('{"mode": "sync-owners"} subscribes every owner with a filter policy, and a second run changes nothing', async () => {
    const first = (await handler({ mode: "sync-owners" })) as { subscribed: { address: string }[] };
    expect(first.subscribed.map((s) => s.address)).toContain("bob@example.com");
    stack.sns.confirmAll();
    const second = (await handler({ mode: "sync-owners" })) as { subscribed: unknown[]; unchanged: string[] };
    expect(second.subscribed).toEqual([]);
    expect(second.unchanged).toEqual(first.subscribed.map((s) => s.address));
  });

  test('{"mode": "digest", "days": 0} sends each owner their open findings and the CISO a summary', async () => {
    const before = stack.sns.published.length;
    const report = (await handler({ mode: "digest", days: 0 })) as { published: number; owners: unknown[] };
    const sent = stack.sns.published.slice(before);
    expect(sent).toHaveLength(report.published);
    expect(sent.filter((p) => p.topicArn === OWNER_TOPIC)).toHaveLength(report.owners.length);
    expect(sent.filter((p) => p.topicArn === CISO_TOPIC).map((p) => p.attributes.notificationType)).toEqual([
      "digest",
    ]);
    // The confirmed owner subscriptions receive their own account's digest only.
    const bob = sent
      .filter((p) => p.deliveredTo.includes("bob@example.com"))
      .map((p) => p.attributes.accountId);
    expect(bob.length).toBeGreaterThan(0);
    expect(bob.every((a) => a === ACCOUNTS.rated || a === ACCOUNTS.lowRated)).toBe(true);
  });
});
