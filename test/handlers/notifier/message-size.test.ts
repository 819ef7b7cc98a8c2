// SNS refuses a message over 262,144 bytes (the body and every attribute's name, data type and
// value, in UTF-8). Through the built bundle with real SDK clients against dynalite and the local
// SNS endpoint (which enforces that limit): a digest whose list would exceed it lists as many
// findings as fit, most severe first, and says how many it left out and where the whole list is; a
// finding whose event carries a pathological annotation is still sent. (The CISO digest's list of
// accounts is fitted by the same code: render.test.ts renders one of thousands of accounts.)

import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Published } from "../../support/sns-endpoint.ts";
import {
  ACCOUNTS,
  buildNotifierBundles,
  CISO_TOPIC,
  complianceEvent,
  DDB_ANNOTATION,
  EC2_ANNOTATION,
  type Handler,
  jsonPart,
  OWNER_TOPIC,
  publishedTo,
  type Stack,
  sqsBatch,
  startStack,
} from "./harness.ts";

const SNS_LIMIT = 262_144;
let stack: Stack;
let quiet: Handler;
let normal: Handler;

/** What SNS counts: the body and each attribute's name, data type and value, in UTF-8. */
function snsBytes(p: Published): number {
  const types = p.attributeTypes;
  return (
    Buffer.byteLength(p.message) +
    Object.entries(p.attributes).reduce(
      (n, [k, v]) =>
        n + Buffer.byteLength(k) + Buffer.byteLength(types[k] ?? "String") + Buffer.byteLength(v),
      0,
    )
  );
}

const HIGH = 480;
const CRITICAL = 20;
const longId = (n: number) => `table-${String(n).padStart(4, "0")}-${"p".repeat(400)}`;

beforeAll(async () => {
  stack = await startStack();
  [quiet, normal] = (await buildNotifierBundles(2)) as [Handler, Handler];
  process.env.ROLLOUT_MODE = "quiet";
  await quiet({ mode: "sync-owners" });
  stack.sns.confirmAll();
  // The quiet go-live's backlog of one production account: 480 high findings with long resource
  // ids, then 20 critical ones opened last (the oldest-first order alone would cut them).
  const events = [
    ...Array.from({ length: HIGH }, (_, n) => ({
      resourceId: longId(n),
      annotation: DDB_ANNOTATION,
      resourceType: "AWS::DynamoDB::Table",
      ordering: new Date(Date.UTC(2025, 0, 1, 0, n)).toISOString(),
    })),
    ...Array.from({ length: CRITICAL }, (_, n) => ({
      resourceId: `i-critical-${n}`,
      annotation: EC2_ANNOTATION,
      resourceType: "AWS::EC2::Instance",
      ordering: new Date(Date.UTC(2025, 5, 1, 0, n)).toISOString(),
    })),
  ];
  for (let at = 0; at < events.length; at += 10) {
    const batch = events.slice(at, at + 10).map((e, n) => ({
      id: String(at + n),
      event: complianceEvent({
        accountId: ACCOUNTS.production,
        compliance: "NON_COMPLIANT",
        previous: null,
        ...e,
      }),
    }));
    expect(await quiet(sqsBatch(batch))).toEqual({ batchItemFailures: [] });
  }
}, 120_000);
afterAll(async () => {
  delete process.env.ROLLOUT_MODE;
  await stack?.close();
});

describe("the owner digest of a backlog larger than an SNS message", () => {
  test("lists as many findings as fit, most severe first, and says how many are left out and where they are", async () => {
    // Act
    const answer = await quiet({ mode: "digest", days: 0 });
    // Assess: published, within the limit, and delivered to the owner's subscription.
    expect(answer).toMatchObject({
      published: 2,
      owners: [{ accountId: ACCOUNTS.production, findings: 500 }],
    });
    const [digest, ...others] = publishedTo(stack.sns, OWNER_TOPIC);
    expect(others).toEqual([]);
    expect(snsBytes(digest!)).toBeLessThanOrEqual(SNS_LIMIT);
    expect(digest!.deliveredTo).toEqual(["alice@example.com"]);
    expect(digest!.subject).toContain("Digest: 500 open finding(s) in 111111111111");
    const json = JSON.parse(jsonPart(digest!.message)) as {
      total: number;
      omitted: number;
      findings: { resourceId: string; severity: string }[];
    };
    const listed = json.findings.length;
    expect(listed).toBeGreaterThan(CRITICAL);
    expect(listed).toBeLessThan(500);
    expect(json).toMatchObject({ total: 500, omitted: 500 - listed });
    // Most severe first: every critical finding is listed, ahead of the high ones.
    expect(json.findings.slice(0, CRITICAL).map((f) => f.severity)).toEqual(Array(CRITICAL).fill("critical"));
    expect(json.findings.slice(CRITICAL).every((f) => f.severity === "high")).toBe(true);
    // The text lists the same findings and says what is missing and where to find it.
    const text = digest!.message.split("--- JSON ---")[0]!;
    expect(text.match(/^ {2}\[(CRITICAL|HIGH)\] /gm)).toHaveLength(listed);
    expect(text).toContain(
      `  ... and ${500 - listed} more finding(s) not listed: an SNS message holds at most 256 KiB. AWS Config in account 111111111111 lists every non-compliant resource (Rules, in eu-west-1), and the findings ledger in the security account holds this whole list.`,
    );
    // As many as fit: the room left is less than one more finding (its line and JSON entry)
    // and the notifier's margin for the subject and framing.
    const entry = Buffer.byteLength(text.split("\n").find((l) => l.startsWith("  [HIGH]"))!) * 3;
    expect(SNS_LIMIT - snsBytes(digest!)).toBeLessThan(entry + 1124);
  });
});

describe("a finding whose event carries a pathological annotation", () => {
  test("is sent, shortened to fit, with its controls and resource intact", async () => {
    // Arrange: per-finding notices on; AWS Config keeps annotations to 256 characters, but the
    // notifier reads any event, and an EventBridge event may hold 256 KiB.
    process.env.ROLLOUT_MODE = "normal";
    stack.sns.published.length = 0;
    const annotation = `${DDB_ANNOTATION} ${"é".repeat(120_000)}`;
    // Act
    await normal(
      complianceEvent({
        accountId: ACCOUNTS.production,
        resourceId: "huge-annotation",
        compliance: "NON_COMPLIANT",
        ordering: new Date().toISOString(),
        annotation,
        previous: null,
      }),
    );
    // Assess: to the owner and the CISO (production), each within the limit.
    const sent = stack.sns.published;
    expect(sent.map((p) => p.topicArn).sort()).toEqual([CISO_TOPIC, OWNER_TOPIC].sort());
    for (const p of sent) {
      expect(snsBytes(p)).toBeLessThanOrEqual(SNS_LIMIT);
      expect(p.message).toMatch(/^AWS Config finds AWS::DynamoDB::Table "huge-annotation" NON_COMPLIANT/);
      const json = JSON.parse(jsonPart(p.message)) as { resourceId: string; controls: { id: string }[] };
      expect(json.resourceId).toBe("huge-annotation");
      expect(json.controls.map((c) => c.id)).toContain("DDB.PITR");
    }
  });
});
