import { describe, expect, it } from "vitest";
import { rankFixFirst } from "../../engine/report/html/fix-first.ts";
import type { EvaluationRecord, Finding, Severity } from "../../engine/types.ts";

const fail = (controlId: string, severity: Severity = "high", required = true): Finding => ({
  controlId,
  title: `title of ${controlId}`,
  status: "FAIL",
  severity,
  message: "wrong",
  cia: { c: 1 },
  required,
});

function record(id: string, findings: Finding[]): EvaluationRecord {
  const open = findings.some((f) => f.status === "FAIL" && f.required);
  return {
    resourceType: "AWS::S3::Bucket",
    resourceId: id,
    accountId: "111111111111",
    region: "eu-west-1",
    compliance: open ? "NON_COMPLIANT" : "COMPLIANT",
    annotation: "",
    required: { c: 3, i: 3, a: 3 },
    achieved: { c: 0, i: 0, a: 0 },
    findings,
    capturedAt: "2026-11-27T08:00:00.000Z",
  };
}

describe("rankFixFirst", () => {
  it("ranks by resources made compliant, counting the controls ranked above as fixed", () => {
    const records = [
      record("a", [fail("X"), fail("Y")]),
      record("b", [fail("X"), fail("Y")]),
      record("c", [fail("Z", "critical")]),
      record("d", [fail("Y")]),
      record("e", [fail("W", "critical", false)]),
    ];
    // Y and Z each complete one resource; Y is closer to completing more (a and b), so it goes
    // first; then X completes a and b; then Z completes c. W is not required: never ranked.
    expect(rankFixFirst(records).map((r) => [r.controlId, r.failing, r.completes, r.compliantAfter])).toEqual(
      [
        ["Y", 3, 1, 2],
        ["X", 2, 2, 4],
        ["Z", 1, 1, 5],
      ],
    );
    expect(rankFixFirst(records, 1).map((r) => r.controlId)).toEqual(["Y"]);
    expect(rankFixFirst([record("e", [])])).toEqual([]);
  });
});
