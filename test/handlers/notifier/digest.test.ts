// The `digest` mode, from a ledger filled by real deliveries: owners get their findings open
// longer than N days (one message per account), the CISO a summary with the mean time to remediate.

import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { readConfig } from "../../../handlers/notifier/config.ts";
import { runDigest } from "../../../handlers/notifier/digest.ts";
import { parseComplianceChange } from "../../../handlers/notifier/event.ts";
import { type NotifierDeps, processResult } from "../../../handlers/notifier/process-result.ts";
import { createRuntime } from "../../../handlers/notifier/wiring.ts";
import {
  ACCOUNTS,
  CISO_TOPIC,
  COMPLIANT_ANNOTATION,
  complianceEvent,
  controls,
  DDB_ANNOTATION,
  EC2_ANNOTATION,
  jsonPart,
  OWNER_TOPIC,
  type Stack,
  startStack,
} from "./harness.ts";

let stack: Stack;
let deps: NotifierDeps;
const NOW = Date.parse("2025-06-30T12:00:00.000Z");

async function deliver(
  accountId: string,
  resourceId: string,
  history: [string, "NON_COMPLIANT" | "COMPLIANT"][],
  annotation = DDB_ANNOTATION,
  resourceType = "AWS::DynamoDB::Table",
) {
  for (const [day, compliance] of history) {
    const event = complianceEvent({
      accountId,
      resourceId,
      resourceType,
      compliance,
      ordering: `2025-${day}T12:00:00.000Z`,
      annotation: compliance === "NON_COMPLIANT" ? annotation : COMPLIANT_ANNOTATION,
    });
    await processResult(parseComplianceChange(event)!, deps);
  }
}

beforeAll(async () => {
  stack = await startStack();
  deps = {
    ...createRuntime(
      readConfig(process.env),
      () => controls,
      () => {},
    ).deps(),
    now: () => NOW,
  };
  await deliver(ACCOUNTS.production, "old-open", [["06-01", "NON_COMPLIANT"]]);
  await deliver(ACCOUNTS.production, "new-open", [["06-28", "NON_COMPLIANT"]]);
  await deliver(ACCOUNTS.production, "fixed-earlier", [
    ["06-10", "NON_COMPLIANT"],
    ["06-12", "COMPLIANT"],
  ]);
  await deliver(ACCOUNTS.rated, "dev-old", [["05-01", "NON_COMPLIANT"]]);
  await deliver(ACCOUNTS.rated, "dev-fixed", [
    ["06-25", "NON_COMPLIANT"],
    ["06-26", "COMPLIANT"],
  ]);
  await deliver(ACCOUNTS.rated, "ancient-fixed", [
    ["01-01", "NON_COMPLIANT"],
    ["01-03", "COMPLIANT"],
  ]);
  await deliver(ACCOUNTS.lowRated, "not-required", [["05-01", "NON_COMPLIANT"]]);
  await deliver(
    ACCOUNTS.unclassified,
    "i-0abc",
    [["06-15", "NON_COMPLIANT"]],
    EC2_ANNOTATION,
    "AWS::EC2::Instance",
  );
  stack.sns.reset();
});
afterAll(async () => stack?.close());

describe("digest", () => {
  test("owners: one message per account with the findings open longer than the window", async () => {
    const report = await runDigest(deps, 7);
    expect(report.owners).toEqual([
      { accountId: ACCOUNTS.production, findings: 1 },
      { accountId: ACCOUNTS.rated, findings: 1 },
      { accountId: ACCOUNTS.unclassified, findings: 1 },
    ]);
    const owners = stack.sns.published.filter((p) => p.topicArn === OWNER_TOPIC);
    expect(owners.map((p) => p.attributes.accountId)).toEqual([
      ACCOUNTS.production,
      ACCOUNTS.rated,
      ACCOUNTS.unclassified,
    ]);
    const production = owners[0]!;
    expect(production.subject).toBe('Digest: 1 finding(s) open over 7 days in 111111111111 "payments-prod"');
    expect(production.message).toContain("AWS::DynamoDB::Table old-open (eu-west-1)");
    expect(production.message).toContain("open 29 days since 2025-06-01T12:00:00.000Z");
    expect(production.message).not.toContain("new-open");
    expect(production.attributes.notificationType).toBe("digest");
    expect(JSON.parse(jsonPart(production.message)).findings).toEqual([
      expect.objectContaining({ resourceId: "old-open", daysOpen: 29, severity: "high" }),
    ]);
  });

  test("the CISO: open findings by account, rating and severity, and the mean time to remediate", async () => {
    stack.sns.reset();
    const report = await runDigest(deps, 7);
    expect(report.ciso).toMatchObject({
      open: 4,
      notRequired: 1,
      owed: 0,
      bySeverity: { high: 3, critical: 1 },
      byRating: { C3I3A3: 3, C2I2A2: 1 },
      accounts: 3,
      // In the window: dev-fixed (24 h). All time: 48 h, 24 h and 48 h.
      meanTimeToRemediateHours: { window: 24, windowCount: 1, all: 40, allCount: 3 },
    });
    const [ciso] = stack.sns.published.filter((p) => p.topicArn === CISO_TOPIC);
    expect(ciso!.subject).toBe("Compliance digest: 4 open finding(s) (1 critical, 3 high) in 3 account(s)");
    expect(ciso!.message).toContain("By account rating: C3I3A3 3, C2I2A2 1");
    expect(ciso!.message).toContain(
      "Mean time to remediate: last 7 days 24 hours over 1 finding(s); all time 40 hours over 3 finding(s)",
    );
    // Most severe accounts first; the unclassified account is marked.
    const lines = ciso!.message.split("Open findings by account:\n")[1]!.split("\n\n")[0]!.split("\n");
    expect(lines[0]).toBe(
      '  444444444444 "experiments" C3I3A3 (unclassified) untagged, owner carol@example.com: 1 open (1 critical)',
    );
    expect(lines[1]).toContain(
      '111111111111 "payments-prod" C3I3A3 production, owner alice@example.com: 2 open (2 high)',
    );
    expect(JSON.parse(jsonPart(ciso!.message))).toMatchObject({ kind: "ciso-digest", open: 4 });
  });

  test("a window of 0 days lists every open finding", async () => {
    const report = await runDigest(deps, 0);
    expect(report.owners.reduce((n, o) => n + o.findings, 0)).toBe(4);
  });
});
