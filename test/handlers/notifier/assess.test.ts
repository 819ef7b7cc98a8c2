// Judging a finding against the account's own rating, from the annotation the engine writes.
// The oracle is the engine itself: evaluating the same item with the account's rating says
// whether the account requires the failing controls.

import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { accountContext } from "../../../engine/accounts.ts";
import { parseAnnotation } from "../../../engine/annotation.ts";
import { parseRating } from "../../../engine/cia.ts";
import { evaluate } from "../../../engine/evaluate.ts";
import { normalise } from "../../../engine/normalise.ts";
import { assess } from "../../../handlers/notifier/assess.ts";
import type { ComplianceResult } from "../../../handlers/notifier/types.ts";
import { catalogue, controls, DDB_ANNOTATION, EC2_ANNOTATION } from "./harness.ts";

const ddbItem = normalise(
  JSON.parse(
    readFileSync(new URL("../../fixtures/ci/AWS_DynamoDB_Table/rdk-sample-ci.json", import.meta.url), "utf8"),
  ),
);

const result = (annotation: string | undefined, resourceType = "AWS::DynamoDB::Table"): ComplianceResult => ({
  accountId: "123456789012",
  region: "eu-west-1",
  ruleName: "compliance-dynamodb",
  resourceType,
  resourceId: "orders",
  compliance: "NON_COMPLIANT",
  orderingTimestamp: "2025-01-01T00:00:00.000Z",
  resultRecordedTime: "2025-01-01T00:00:00.000Z",
  ...(annotation ? { annotation } : {}),
});

describe("parseAnnotation", () => {
  test("reads what the engine writes: failures most severe first, the overflow count, the levels", () => {
    const parsed = parseAnnotation(DDB_ANNOTATION);
    expect(parsed.failures[0]).toEqual({ severity: "high", controlId: "DDB.PITR" });
    expect(parsed.failures.length + parsed.more).toBe(
      evaluate(ddbItem, catalogue, { rating: { c: 3, i: 3, a: 3 }, now: new Date() }).findings.filter(
        (f) => f.status === "FAIL",
      ).length,
    );
    expect(parsed).toMatchObject({ achieved: "C2I1A1", evaluatedAgainst: "C3I3A3" });
    expect(parseAnnotation(EC2_ANNOTATION).failures).toEqual([
      { severity: "critical", controlId: "PLATFORM.ALLOWED-SERVICE" },
    ]);
    expect(parseAnnotation(undefined)).toEqual({ failures: [], more: 0 });
  });
});

describe("assess", () => {
  test.each(["C1I1A1", "C1I2A1", "C1I1A2", "C2I2A2", "C3I1A1", "C3I3A3"])(
    "the account rated %s is told exactly when the engine, run with that rating, finds the table non-compliant",
    (rating) => {
      const account = accountContext("123456789012", { "cia-rating": rating, owner: "o@example.com" });
      const engine = evaluate(ddbItem, catalogue, { rating: parseRating(rating)!, now: new Date() });
      expect(assess(result(DDB_ANNOTATION), account, controls).required).toBe(
        engine.compliance === "NON_COMPLIANT",
      );
    },
  );

  test("routing: production, unclassified, critical and unowned reach the CISO; the owner always", () => {
    const production = accountContext("1", { environment: "Production", owner: "o@example.com" });
    expect(assess(result(DDB_ANNOTATION), production, controls)).toMatchObject({
      required: true,
      severity: "high",
      targets: ["owner", "ciso"],
      cisoReasons: ["production account"],
    });
    const unrated = accountContext("1", { "cia-rating": "C9", owner: "o@example.com" });
    expect(assess(result(DDB_ANNOTATION), unrated, controls).cisoReasons).toEqual(["unclassified account"]);
    const dev = accountContext("1", { "cia-rating": "C1I1A1", owner: "o@example.com" });
    const critical = assess(result(EC2_ANNOTATION, "AWS::EC2::Instance"), dev, controls);
    expect(critical).toMatchObject({
      required: true,
      severity: "critical",
      cisoReasons: ["critical finding"],
    });
    const unowned = accountContext("1", { "cia-rating": "C3I3A3" });
    expect(assess(result(DDB_ANNOTATION), unowned, controls).cisoReasons).toEqual(["no owner tag"]);
  });

  test("fails safe: no annotation, or a control the catalogue does not know, counts as required", () => {
    const low = accountContext("1", { "cia-rating": "C1I1A1", owner: "o@example.com" });
    expect(assess(result(undefined, "AWS::IAM::User"), low, controls)).toMatchObject({
      required: true,
      severity: "unknown",
      controlIds: [],
      targets: ["owner"],
    });
    const foreign = "[LOW] OTHER.CHECK: something. Achieved C3I3A3 of required C3I3A3.";
    expect(assess(result(foreign), low, controls)).toMatchObject({ required: true, severity: "low" });
    // A listed failure the rating does not need, and overflow on a type the catalogue does not cover.
    const overflow = "[MEDIUM] DDB.ON-DEMAND: provisioned and 3 more. Achieved C3I3A1 of required C3I3A3.";
    expect(assess(result(overflow, "AWS::Custom::Thing"), low, controls).required).toBe(true);
    expect(assess(result(overflow), low, controls).required).toBe(false);
  });
});
