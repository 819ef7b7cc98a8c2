// The built notifier bundle without LEDGER_TABLE (stateless mode): only the two topic ARNs set,
// real SDK clients against the local SNS and Organizations endpoints, and no DynamoDB at all.
// Each compliance change is routed on its own: findings, "resolved" after NON_COMPLIANT, the
// account's own rating, fail-safe routing when Organizations cannot answer, the real AWS sample
// event, SQS batches, and the configuration errors.

import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from "vitest";
import {
  ACCOUNTS,
  buildNotifierBundles,
  CISO_TOPIC,
  COMPLIANT_ANNOTATION,
  complianceEvent,
  DDB_ANNOTATION,
  EC2_ANNOTATION,
  type Endpoints,
  type Handler,
  jsonPart,
  OWNER_TOPIC,
  publishedTo,
  sqsBatch,
  startStatelessEndpoints,
} from "./harness.ts";

let endpoints: Endpoints;
let handler: Handler;
/** Fresh copies of the bundle, each a cold start of its own (configuration tests). */
let fresh: Handler[];

beforeAll(async () => {
  endpoints = await startStatelessEndpoints();
  [handler, ...fresh] = (await buildNotifierBundles(5)) as [Handler, ...Handler[]];
});
afterAll(async () => endpoints?.close());
beforeEach(() => {
  endpoints.sns.setFaultRule(undefined);
});

const T1 = "2025-03-02T10:00:00.000Z";
const T2 = "2025-03-03T10:00:00.000Z";

/** A first NON_COMPLIANT result (no old result); `annotation: null` leaves the annotation out. */
const finding = (accountId: string, resourceId: string, annotation: string | null = DDB_ANNOTATION) =>
  complianceEvent({
    accountId,
    resourceId,
    compliance: "NON_COMPLIANT",
    ordering: T1,
    previous: null,
    ...(annotation ? { annotation } : {}),
  });

const closed = (
  accountId: string,
  resourceId: string,
  previous: { compliance: string; annotation?: string } | null,
  compliance: "COMPLIANT" | "NOT_APPLICABLE" = "COMPLIANT",
) =>
  complianceEvent({
    accountId,
    resourceId,
    compliance,
    ordering: T2,
    annotation: COMPLIANT_ANNOTATION,
    previous: previous && { ...previous, ordering: T1 },
  });

const kinds = (topic: string, resourceId: string) =>
  publishedTo(endpoints.sns, topic, resourceId).map((p) => p.attributes.notificationType);

describe("stateless: findings", () => {
  test("a production finding goes to the owner and the CISO, with every contract message attribute", async () => {
    const report = await handler(finding(ACCOUNTS.production, "orders"));
    expect(report).toMatchObject({
      mode: "stateless",
      outcome: "notified",
      state: "NON_COMPLIANT",
      previous: null,
    });
    const [owner] = publishedTo(endpoints.sns, OWNER_TOPIC, "orders");
    expect(kinds(OWNER_TOPIC, "orders")).toEqual(["finding"]);
    expect(kinds(CISO_TOPIC, "orders")).toEqual(["finding"]);
    expect(owner!.attributes).toEqual({
      accountId: ACCOUNTS.production,
      severity: "high",
      compliance: "NON_COMPLIANT",
      controlId: "DDB.PITR",
      resourceType: "AWS::DynamoDB::Table",
      environment: "production",
      notificationType: "finding",
      owner: '["alice@example.com"]',
    });
    expect(owner!.subject).toBe(
      "[HIGH] NON_COMPLIANT AWS::DynamoDB::Table orders in 111111111111 (DDB.PITR)",
    );
    expect(owner!.message).toContain(
      "The account requires C3I3A3 (production account: always the highest rating).",
    );
    expect(JSON.parse(jsonPart(owner!.message))).toMatchObject({
      kind: "finding",
      accountName: "payments-prod",
      openedAt: T1,
      cisoReasons: ["production account"],
    });
  });

  test("the account's own rating decides: not required is sent to nobody; a rated development account, its owner only", async () => {
    expect(await handler(finding(ACCOUNTS.lowRated, "scratch"))).toMatchObject({
      outcome: "not-required",
      sent: [],
    });
    expect(endpoints.sns.published.filter((p) => p.message.includes('"scratch"'))).toEqual([]);
    await handler(finding(ACCOUNTS.rated, "dev-table"));
    expect(kinds(OWNER_TOPIC, "dev-table")).toEqual(["finding"]);
    expect(kinds(CISO_TOPIC, "dev-table")).toEqual([]);
  });

  test("a resource type outside the catalogue failing the allowed-services rule: critical, so the CISO too", async () => {
    for (const [id, annotation] of [
      ["i-0123456789abcdef0", EC2_ANNOTATION],
      // Hand-written in the engine's format, to pin the text the notifier reads.
      ["i-0fedcba9876543210", "[CRITICAL] PLATFORM.ALLOWED-SERVICE: AWS::EC2::Instance is not allowed."],
    ] as const) {
      await handler(
        complianceEvent({
          accountId: ACCOUNTS.rated,
          resourceId: id,
          resourceType: "AWS::EC2::Instance",
          ruleName: "compliance-allowed-services",
          compliance: "NON_COMPLIANT",
          ordering: T1,
          annotation,
          previous: null,
        }),
      );
      const [ciso] = publishedTo(endpoints.sns, CISO_TOPIC, id);
      expect(ciso?.attributes).toMatchObject({
        severity: "critical",
        controlId: "PLATFORM.ALLOWED-SERVICE",
        resourceType: "AWS::EC2::Instance",
        environment: "development",
      });
      expect(JSON.parse(jsonPart(ciso!.message)).cisoReasons).toEqual(["critical finding"]);
      expect(kinds(OWNER_TOPIC, id)).toEqual(["finding"]);
    }
  });

  test("no annotation (a rule outside this engine): sent fail safe, severity unknown, controlId none", async () => {
    await handler(finding(ACCOUNTS.rated, "unannotated", null));
    const [owner] = publishedTo(endpoints.sns, OWNER_TOPIC, "unannotated");
    expect(owner?.attributes).toMatchObject({
      severity: "unknown",
      controlId: "none",
      environment: "development",
    });
    expect(kinds(CISO_TOPIC, "unannotated")).toEqual([]);
  });

  test("AWS's own sample event (an 11-digit account id, no annotation): routed as unclassified to the CISO", async () => {
    const sample = JSON.parse(
      readFileSync(
        new URL("../../fixtures/events/eventbridge-compliance-change-rdk-workshop.json", import.meta.url),
        "utf8",
      ),
    );
    // As published, its envelope account (212591712841) differs from detail.awsAccountId: dropped.
    expect(await handler(sample)).toEqual({
      outcome: "dropped",
      reason: "envelope account differs from detail.awsAccountId",
    });
    expect(publishedTo(endpoints.sns, CISO_TOPIC, "AIDAJ7EHXUJYDKZNSYEF0")).toEqual([]);
    // With the envelope naming the same account, as Config's real events do, it is routed.
    sample.account = sample.detail.awsAccountId;
    expect(await handler(sample)).toMatchObject({
      mode: "stateless",
      outcome: "notified",
      previous: "COMPLIANT",
    });
    const [ciso] = publishedTo(endpoints.sns, CISO_TOPIC, "AIDAJ7EHXUJYDKZNSYEF0");
    expect(ciso?.attributes).toEqual({
      accountId: "12345678012",
      severity: "unknown",
      compliance: "NON_COMPLIANT",
      controlId: "none",
      resourceType: "AWS::IAM::User",
      environment: "untagged",
      notificationType: "finding",
    });
    expect(ciso!.message).toContain("the account is not in AWS Organizations: the highest rating applies");
    expect(JSON.parse(jsonPart(ciso!.message)).cisoReasons).toEqual(["unclassified account", "no owner tag"]);
    expect(kinds(OWNER_TOPIC, "AIDAJ7EHXUJYDKZNSYEF0")).toEqual(["finding"]);
  });
});

describe("stateless: resolved", () => {
  test("COMPLIANT after NON_COMPLIANT: resolved to whoever the old result would have gone to", async () => {
    await handler(
      closed(ACCOUNTS.production, "fixed-prod", { compliance: "NON_COMPLIANT", annotation: DDB_ANNOTATION }),
    );
    expect(kinds(OWNER_TOPIC, "fixed-prod")).toEqual(["resolved"]);
    expect(kinds(CISO_TOPIC, "fixed-prod")).toEqual(["resolved"]);
    const [owner] = publishedTo(endpoints.sns, OWNER_TOPIC, "fixed-prod");
    expect(owner!.subject).toBe("RESOLVED: AWS::DynamoDB::Table fixed-prod in 111111111111 (DDB.PITR)");
    expect(owner!.attributes).toMatchObject({
      compliance: "COMPLIANT",
      severity: "high",
      controlId: "DDB.PITR",
    });
    expect(owner!.message).toContain(`AWS Config reports it COMPLIANT at ${T2}.`);
    expect(owner!.message).toContain(`was last reported NON_COMPLIANT for the evaluation of ${T1}.`);
    // NOT_APPLICABLE closes too; a rated development account: its owner only.
    await handler(
      closed(
        ACCOUNTS.rated,
        "deleted",
        { compliance: "NON_COMPLIANT", annotation: DDB_ANNOTATION },
        "NOT_APPLICABLE",
      ),
    );
    expect(kinds(OWNER_TOPIC, "deleted")).toEqual(["resolved"]);
    expect(kinds(CISO_TOPIC, "deleted")).toEqual([]);
  });

  test("an old result without annotation is resolved fail safe; a critical one reaches the CISO", async () => {
    await handler(closed(ACCOUNTS.rated, "was-unannotated", { compliance: "NON_COMPLIANT" }));
    expect(kinds(OWNER_TOPIC, "was-unannotated")).toEqual(["resolved"]);
    await handler(
      closed(ACCOUNTS.rated, "was-critical", { compliance: "NON_COMPLIANT", annotation: EC2_ANNOTATION }),
    );
    expect(kinds(CISO_TOPIC, "was-critical")).toEqual(["resolved"]);
  });

  test("nothing to resolve: first result compliant, compliant before, or a finding the rating never required", async () => {
    const before = endpoints.sns.published.length;
    const reports = [
      await handler(closed(ACCOUNTS.production, "always-fine", null)),
      await handler(closed(ACCOUNTS.production, "still-fine", { compliance: "COMPLIANT" })),
      await handler(closed(ACCOUNTS.production, "was-unknown", { compliance: "INSUFFICIENT_DATA" })),
      await handler(
        closed(ACCOUNTS.lowRated, "never-sent", { compliance: "NON_COMPLIANT", annotation: DDB_ANNOTATION }),
      ),
    ];
    expect(reports.map((r) => (r as { outcome: string }).outcome)).toEqual([
      "nothing-to-send",
      "nothing-to-send",
      "nothing-to-send",
      "not-required",
    ]);
    expect(endpoints.sns.published.length).toBe(before);
  });
});

describe("stateless: delivery", () => {
  test("an SQS batch: good records are sent, bad ones fail alone", async () => {
    const answer = await handler(
      sqsBatch([
        { id: "a", event: finding(ACCOUNTS.rated, "batch-1") },
        {
          id: "bad",
          event: { "detail-type": "Config Rules Compliance Change", detail: { awsAccountId: "1" } },
        },
        {
          id: "b",
          event: closed(ACCOUNTS.rated, "batch-2", {
            compliance: "NON_COMPLIANT",
            annotation: DDB_ANNOTATION,
          }),
        },
        {
          id: "c",
          event: { Type: "Notification", Message: JSON.stringify(finding(ACCOUNTS.production, "batch-3")) },
        },
      ]),
    );
    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: "bad" }] });
    expect(kinds(OWNER_TOPIC, "batch-1")).toEqual(["finding"]);
    expect(kinds(OWNER_TOPIC, "batch-2")).toEqual(["resolved"]);
    expect(kinds(CISO_TOPIC, "batch-3")).toEqual(["finding"]);
  });

  test("a plain array of events and an SNS-triggered invocation: a bad event fails the invocation after the others ran", async () => {
    expect(await handler([finding(ACCOUNTS.rated, "array-1"), finding(ACCOUNTS.rated, "array-2")])).toEqual({
      batchItemFailures: [],
    });
    expect(kinds(OWNER_TOPIC, "array-1")).toEqual(["finding"]);
    expect(kinds(OWNER_TOPIC, "array-2")).toEqual(["finding"]);
    const sns = (message: string, id: string) => ({
      EventSource: "aws:sns",
      Sns: { MessageId: id, Message: message },
    });
    await expect(
      handler({
        Records: [sns("{oops", "m-1"), sns(JSON.stringify(finding(ACCOUNTS.rated, "via-sns")), "m-2")],
      }),
    ).rejects.toThrow("1 of 2 events failed: m-1: body: not valid JSON");
    expect(kinds(OWNER_TOPIC, "via-sns")).toEqual(["finding"]);
  });

  test("what it gives up: a re-delivered event is sent again", async () => {
    const event = finding(ACCOUNTS.rated, "redelivered");
    await handler(event);
    await handler(event);
    expect(kinds(OWNER_TOPIC, "redelivered")).toEqual(["finding", "finding"]);
  });

  test("a topic that refuses does not keep the message from the other; the delivery fails so it is retried", async () => {
    endpoints.sns.setFaultRule((call) =>
      call.action === "Publish" && call.params.TopicArn === CISO_TOPIC
        ? { status: 400, code: "KMSDisabled", message: "injected" }
        : undefined,
    );
    await expect(handler(finding(ACCOUNTS.production, "half-sent"))).rejects.toThrow(
      /^SNS did not accept the message for .*compliance-ciso/,
    );
    expect(kinds(OWNER_TOPIC, "half-sent")).toEqual(["finding"]);
    const answer = await handler(sqsBatch([{ id: "x", event: finding(ACCOUNTS.production, "half-sent-2") }]));
    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: "x" }] });
  });

  test("Organizations refusing (AccessDenied) or failing: the account is routed unclassified, never dropped; not cached", async () => {
    const { org } = endpoints;
    // Accounts no earlier test looked up (so none is in the notifier's cache): C1I1A1, which
    // requires none of the DynamoDB controls the table fails.
    const denied = "777777777701";
    const unavailable = "777777777702";
    for (const id of [denied, unavailable]) {
      org.accounts[id] = {
        name: id,
        tags: { "cia-rating": "C1I1A1", environment: "development", owner: "eve@example.com" },
      };
    }
    org.failNext("DescribeAccount", 1, {
      status: 400,
      type: "AccessDeniedException",
      message: "not the management account",
    });
    await handler(finding(denied, "denied"));
    // Unclassified (C3I3A3) requires them: sent, and to the CISO.
    const [ciso] = publishedTo(endpoints.sns, CISO_TOPIC, "denied");
    expect(ciso?.attributes).toMatchObject({ accountId: denied, environment: "untagged" });
    expect(ciso!.message).toContain(
      "AWS Organizations could not be asked (AccessDeniedException: not the management account): the highest rating applies (fail safe)",
    );
    expect(JSON.parse(jsonPart(ciso!.message))).toMatchObject({
      unclassified: true,
      accountRating: "C3I3A3",
      cisoReasons: ["unclassified account", "no owner tag"],
    });
    expect(kinds(OWNER_TOPIC, "denied")).toEqual(["finding"]);
    // A server error is retried once, then routed the same way.
    const calls = org.calls.length;
    org.failNext("DescribeAccount", 2, { status: 503, type: "ServiceUnavailableException" });
    await handler(finding(unavailable, "unavailable"));
    expect(org.calls.slice(calls).map((c) => c.operation)).toEqual(["DescribeAccount", "DescribeAccount"]);
    expect(kinds(CISO_TOPIC, "unavailable")).toEqual(["finding"]);
    // Organizations answers again: the account's own rating applies (the failure was not cached).
    expect(await handler(finding(denied, "answered"))).toMatchObject({ outcome: "not-required" });
  });

  test("sync-owners works without a ledger; digest and retry-pending fail with one line", async () => {
    const report = (await handler({ mode: "sync-owners", dryRun: true })) as {
      subscribed: { address: string }[];
    };
    expect(report.subscribed.map((s) => s.address)).toContain("bob@example.com");
    await expect(handler({ mode: "digest" })).rejects.toThrow(
      /^mode "digest" needs the findings ledger, and LEDGER_TABLE is not set$/,
    );
    await expect(handler({ mode: "retry-pending" })).rejects.toThrow(
      /^mode "retry-pending" needs the findings ledger, and LEDGER_TABLE is not set$/,
    );
  });
});

describe("configuration (each a cold start of its own)", () => {
  let saved: NodeJS.ProcessEnv = {};
  beforeEach(() => {
    saved = { ...process.env };
  });
  afterEach(() => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    vi.restoreAllMocks();
  });

  test("a missing topic ARN is a clear one-line error; once set, the same instance works", async () => {
    const instance = fresh[0]!;
    delete process.env.CISO_TOPIC_ARN;
    await expect(instance(finding(ACCOUNTS.rated, "config-1"))).rejects.toThrow(
      /^CISO_TOPIC_ARN is not set: the notifier needs the SNS topic's ARN$/,
    );
    process.env.CISO_TOPIC_ARN = CISO_TOPIC;
    process.env.OWNER_TOPIC_ARN = " ";
    await expect(instance({ mode: "sync-owners" })).rejects.toThrow(/^OWNER_TOPIC_ARN is not set/);
    process.env.OWNER_TOPIC_ARN = "compliance-owners";
    await expect(instance({ mode: "sync-owners" })).rejects.toThrow(
      "OWNER_TOPIC_ARN: not an SNS topic ARN: compliance-owners",
    );
    process.env.OWNER_TOPIC_ARN = OWNER_TOPIC;
    await instance(finding(ACCOUNTS.rated, "config-1"));
    expect(kinds(OWNER_TOPIC, "config-1")).toEqual(["finding"]);
  });

  test("without a ledger, one warning at cold start says what is given up", async () => {
    process.env.POWERTOOLS_LOG_LEVEL = "WARN";
    process.env.LOG_LEVEL = "WARN";
    const lines: string[] = [];
    // Powertools writes warnings through console.warn, i.e. to stderr.
    vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const instance = fresh[1]!;
    await instance(finding(ACCOUNTS.rated, "warned-1"));
    await instance(finding(ACCOUNTS.rated, "warned-2"));
    vi.restoreAllMocks();
    const warnings = lines.filter((l) => l.includes("LEDGER_TABLE is not set"));
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0]!)).toMatchObject({ level: "WARN" });
    expect(warnings[0]).toContain("duplicate and re-delivered events cannot be suppressed");
    expect(warnings[0]).toContain('modes \\"digest\\" and \\"retry-pending\\" are unavailable');
  });

  test("the general AWS_ENDPOINT_URL, no AWS_REGION, Organizations unreachable: still sent, fail safe", async () => {
    // A port nobody listens on: connection refused.
    const closedPort = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, "127.0.0.1", () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    delete process.env.AWS_ENDPOINT_URL_SNS;
    delete process.env.AWS_REGION;
    process.env.AWS_CONFIG_FILE = "/nonexistent/aws-config";
    process.env.AWS_ENDPOINT_URL = endpoints.sns.endpoint;
    process.env.AWS_ENDPOINT_URL_ORGANIZATIONS = `http://127.0.0.1:${closedPort}`;
    const report = await fresh[2]!(finding(ACCOUNTS.rated, "org-down"));
    expect(report).toMatchObject({ outcome: "notified" });
    const [ciso] = publishedTo(endpoints.sns, CISO_TOPIC, "org-down");
    expect(ciso?.message).toContain("AWS Organizations could not be asked");
    expect(kinds(OWNER_TOPIC, "org-down")).toEqual(["finding"]);
  });

  test("with LEDGER_TABLE set, events need the ledger: no stateless fallback hides a broken table", async () => {
    process.env.LEDGER_TABLE = "findings-ledger";
    process.env.AWS_ENDPOINT_URL_DYNAMODB = endpoints.sns.endpoint; // answers, but not as DynamoDB
    // The "table" answers in XML, not as DynamoDB: the ledger read fails, and so does the event.
    await expect(fresh[3]!(finding(ACCOUNTS.rated, "ledger-broken"))).rejects.toThrow(/is not valid JSON/);
    expect(kinds(OWNER_TOPIC, "ledger-broken")).toEqual([]);
  });
});
