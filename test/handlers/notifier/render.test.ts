// Message rendering: subjects SNS accepts, a body a person can act on, a JSON part for machines.

import { describe, expect, test } from "vitest";
import { accountContext } from "../../../engine/accounts.ts";
import { assess } from "../../../handlers/notifier/assess.ts";
import type { CisoSummary } from "../../../handlers/notifier/digest.ts";
import { renderCisoDigest } from "../../../handlers/notifier/digest-render.ts";
import { parseComplianceChange } from "../../../handlers/notifier/event.ts";
import {
  configConsoleUrl,
  forceFit,
  MAX_MESSAGE_BYTES,
  messageBytes,
  renderFinding,
  renderResolved,
  subjectLine,
} from "../../../handlers/notifier/render.ts";
import { applyResult } from "../../../handlers/notifier/transition.ts";
import { complianceEvent, controls, DDB_ANNOTATION, jsonPart } from "./harness.ts";

const account = {
  ...accountContext(
    "123456789012",
    { "cia-rating": "C2I2A1", owner: "team@example.com", environment: "test" },
    "team",
  ),
  found: true,
  parentId: "ou-ab12-cdef3456",
};

function item(
  resourceId: string,
  annotation: string | null = DDB_ANNOTATION,
  resourceType = "AWS::DynamoDB::Table",
) {
  const result = parseComplianceChange(
    complianceEvent({
      accountId: account.accountId,
      resourceId,
      resourceType,
      compliance: "NON_COMPLIANT",
      ordering: "2025-02-01T08:00:00.000Z",
      ...(annotation ? { annotation } : {}),
    }),
  )!;
  return applyResult(undefined, result, assess(result, account, controls), account);
}

describe("subjects", () => {
  test("at most 100 printable ASCII characters, whatever the resource id", () => {
    const long = item(`arn:aws:dynamodb:eu-west-1:123456789012:table/${"t".repeat(300)}`);
    const subject = renderFinding(long, account, controls).subject;
    expect(subject).toHaveLength(100);
    expect(subject.endsWith("...")).toBe(true);
    expect(subjectLine("tab\there\nnewline — dash ünïcode")).toBe("tab here newline ? dash ?n?code");
  });
});

describe("finding messages", () => {
  const message = renderFinding(item("orders"), account, controls);

  test("say what, where, rating against achieved, why it matters, how to fix, and link to AWS Config", () => {
    const body = message.body;
    expect(body).toMatch(/^AWS Config finds AWS::DynamoDB::Table "orders" NON_COMPLIANT \(severity high\)\./);
    expect(body).toContain("  DDB.PITR (high): Tables have point-in-time recovery enabled");
    expect(body).toMatch(/and \d+ more failing control\(s\): see the resource in AWS Config\./);
    expect(body).toContain(
      '  Account:    123456789012 "team" (environment test, owner team@example.com, parent ou-ab12-cdef3456)',
    );
    expect(body).toContain("The account requires C2I2A1 (from the account's cia-rating tag).");
    expect(body).toContain("The resource achieves C2I1A1 (the rule evaluated it against C3I3A3).");
    expect(body).toContain(`DDB.PITR: ${controls.control("DDB.PITR")!.rationale}`);
    expect(body).toContain(`CloudFormation: ${controls.control("DDB.PITR")!.remediation.cloudformation}`);
    expect(body).toContain(
      configConsoleUrl({ region: "eu-west-1", resourceId: "orders", resourceType: "AWS::DynamoDB::Table" }),
    );
    expect(body).not.toContain("CISO");
  });

  test("carry a JSON part and the attributes subscribers filter on", () => {
    expect(JSON.parse(jsonPart(message.body))).toMatchObject({
      schema: "compliance-notifier/1",
      kind: "finding",
      accountId: "123456789012",
      accountRating: "C2I2A1",
      achieved: "C2I1A1",
      cisoReasons: [],
      resolvedAt: null,
    });
    expect(JSON.parse(jsonPart(message.body)).controls[0]).toMatchObject({
      id: "DDB.PITR",
      severity: "high",
    });
    expect(message.attributes).toEqual({
      accountId: "123456789012",
      severity: "high",
      compliance: "NON_COMPLIANT",
      controlId: "DDB.PITR",
      resourceType: "AWS::DynamoDB::Table",
      environment: "test",
      notificationType: "finding",
      owner: ["team@example.com"],
    });
  });

  test("a rule outside the catalogue, without annotation, still reads sensibly", () => {
    const foreign = renderFinding(item("AIDAEXAMPLE", null, "AWS::IAM::User"), account, controls);
    expect(foreign.subject).toBe(
      "[UNKNOWN] NON_COMPLIANT AWS::IAM::User AIDAEXAMPLE in 123456789012 (compliance-dynamodb)",
    );
    expect(foreign.body).toContain("Rule compliance-dynamodb reports the resource non-compliant.");
    expect(foreign.body).toContain("The rule did not say what the resource achieves.");
    expect(foreign.attributes.controlId).toBe("none");
  });
});

describe("resolved messages", () => {
  test("short: what was resolved, how, and how long it was open", () => {
    const open = item("orders");
    const closed = {
      ...open,
      state: "COMPLIANT" as const,
      resolvedAt: "2025-02-04T20:00:00.000Z",
      orderingTimestamp: "2025-02-04T20:00:00.000Z",
    };
    const message = renderResolved(closed, account, controls);
    expect(message.subject).toBe("RESOLVED: AWS::DynamoDB::Table orders in 123456789012 (DDB.PITR)");
    expect(message.body.split("\n\n--- JSON ---")[0]!.split("\n").length).toBeLessThanOrEqual(6);
    expect(message.body).toContain("open since 2025-02-01T08:00:00.000Z (3.5 days)");
    expect(message.attributes).toMatchObject({ compliance: "COMPLIANT", notificationType: "resolved" });
    expect(JSON.parse(jsonPart(message.body))).toMatchObject({
      kind: "resolved",
      resolvedAt: "2025-02-04T20:00:00.000Z",
    });
  });
});

describe("the SNS size limit", () => {
  test("counts the body and each attribute's name, data type and value in UTF-8 (and the subject)", () => {
    const message = {
      subject: "s",
      body: "é",
      attributes: {
        ...renderFinding(item("orders"), account, controls).attributes,
        owner: ["a@example.com"],
      },
    };
    const attributes = Object.entries(message.attributes).reduce(
      (n, [k, v]) =>
        n + k.length + (Array.isArray(v) ? "String.Array".length + JSON.stringify(v).length : 6 + v.length),
      0,
    );
    expect(messageBytes(message)).toBe(1 + 2 + attributes);
  });

  test("the publisher's last resort cuts a body that is still too large at a character boundary", () => {
    const message = renderFinding(item("orders"), account, controls);
    const huge = { ...message, body: `${"é".repeat(200_000)}` };
    const cut = forceFit(huge);
    expect(messageBytes(cut)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(messageBytes(cut)).toBeGreaterThan(MAX_MESSAGE_BYTES - 100);
    expect(cut.body).toMatch(/^é+\n\.\.\. \(cut: the message exceeded the SNS size limit\)\n$/);
    expect(forceFit(message)).toBe(message);
  });
});

describe("the CISO digest of more accounts than an SNS message holds", () => {
  test("lists the accounts that fit, in the order given (most severe first), and says how many are left out", () => {
    // 2,401 accounts with one open finding each: the production account with the critical ones first.
    const accounts: CisoSummary["accounts"] = Array.from({ length: 2401 }, (_, n) => ({
      accountId: String(600_000_000_000 + n),
      rating: "C3I3A3",
      unclassified: n > 0,
      open: n === 0 ? 20 : 1,
      bySeverity: n === 0 ? { critical: 20 } : { high: 1 },
      ...(n === 0 ? { name: "payments", owner: "alice@example.com", environment: "production" } : {}),
    }));
    const summary: CisoSummary = {
      generatedAt: "2025-06-30T12:00:00.000Z",
      days: 7,
      open: 2420,
      notRequired: 0,
      owed: 0,
      bySeverity: { critical: 20, high: 2400 },
      byRating: { C3I3A3: 2401 },
      accounts,
      meanTimeToRemediateHours: { window: null, windowCount: 0, all: null, allCount: 0 },
      oldest: [],
    };
    const message = renderCisoDigest(summary);
    expect(messageBytes(message)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(message.subject).toBe(
      "Compliance digest: 2420 open finding(s) (20 critical, 2400 high) in 2401 account(s)",
    );
    const json = JSON.parse(jsonPart(message.body)) as {
      open: number;
      accounts: { accountId: string }[];
      accountsOmitted: number;
    };
    const listed = json.accounts.length;
    expect(listed).toBeGreaterThan(100);
    expect(listed).toBeLessThan(2401);
    expect(json).toMatchObject({ open: 2420, accountsOmitted: 2401 - listed });
    expect(json.accounts.map((a) => a.accountId)).toEqual(accounts.slice(0, listed).map((a) => a.accountId));
    const text = message.body.split("--- JSON ---")[0]!;
    expect(text.match(/^ {2}6\d{11} /gm)).toHaveLength(listed);
    expect(text).toContain(
      `  ... and ${2401 - listed} more account(s) not listed: an SNS message holds at most 256 KiB. The findings ledger (the notifier's LEDGER_TABLE) holds every finding of every account.`,
    );
    // As many as fit: one more account's line and JSON entry would not.
    const entry = Buffer.byteLength(text.split("\n").find((l) => l.startsWith("  600000000001"))!) * 3;
    expect(MAX_MESSAGE_BYTES - messageBytes(message)).toBeLessThan(entry);
  });
});
