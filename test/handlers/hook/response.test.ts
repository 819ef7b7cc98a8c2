// The hook's answer: the message stays within CloudFormation's 4,096 characters however many
// controls fail, most severe first, saying how many did not fit; annotation statuses per finding.

import { describe, expect, it } from "vitest";
import type { EvaluationRecord, Finding } from "../../../engine/types.ts";
import { MAX_MESSAGE, respond } from "../../../handlers/hook/response.ts";
import { repositoryCatalogue } from "../../support/catalogue.ts";

const catalogue = repositoryCatalogue();

function record(findings: Finding[]): EvaluationRecord {
  return {
    resourceType: "AWS::S3::Bucket",
    resourceId: "Uploads",
    accountId: "111122223333",
    region: "eu-west-1",
    compliance: findings.some((f) => f.status === "FAIL" && f.required) ? "NON_COMPLIANT" : "COMPLIANT",
    annotation: "",
    required: { c: 3, i: 3, a: 3 },
    achieved: { c: 0, i: 0, a: 0 },
    findings,
    capturedAt: "1970-01-01T00:00:00.000Z",
  };
}

const finding = (i: number, over: Partial<Finding> = {}): Finding => ({
  controlId: `X.CONTROL-${i}`,
  title: `A control whose title is long enough to fill the message quickly ${"x".repeat(80)}`,
  status: "FAIL",
  severity: i >= 197 ? "critical" : "medium",
  message: "failed",
  cia: { c: 1 },
  required: true,
  ...over,
});

describe("the hook's response", () => {
  it("keeps the message within 4,096 characters, most severe first, and says how many more fail", () => {
    const response = respond(record(Array.from({ length: 200 }, (_, i) => finding(i))), catalogue, "t");
    expect(response.hookStatus).toBe("FAILED");
    expect(response.errorCode).toBe("NonCompliant");
    expect(response.message.length).toBeLessThanOrEqual(MAX_MESSAGE);
    expect(response.message).toMatch(/200 required control\(s\) fail/);
    expect(response.message).toMatch(/And \d+ more\.$/);
    expect(response.message.indexOf("[CRITICAL]")).toBeLessThan(response.message.indexOf("[MEDIUM]"));
    expect(response.annotations).toHaveLength(200);
  });

  it("maps statuses: FAIL required -> FAILED, PASS and WAIVED -> PASSED, not required, SKIP and UNKNOWN -> SKIPPED", () => {
    const response = respond(
      record([
        finding(1),
        finding(2, { status: "PASS" }),
        finding(3, { status: "WAIVED" }),
        finding(4, { required: false }),
        finding(5, { status: "SKIP" }),
        finding(6, { status: "UNKNOWN" }),
      ]),
      catalogue,
      undefined,
    );
    expect(response.annotations?.map((a) => a.status)).toEqual([
      "FAILED",
      "PASSED",
      "PASSED",
      "SKIPPED",
      "SKIPPED",
      "SKIPPED",
    ]);
    expect(response.annotations?.[3]?.statusMessage).toMatch(/^not required at C3I3A3/);
    expect(response.clientRequestToken).toBeUndefined();
  });

  it("succeeds when only UNKNOWN findings do not pass, naming them", () => {
    const response = respond(
      record([finding(1, { status: "UNKNOWN" }), finding(2, { status: "PASS" })]),
      catalogue,
      "t",
    );
    expect(response).toMatchObject({ hookStatus: "SUCCESS", clientRequestToken: "t" });
    expect(response.message).toMatch(/Not decided from the template alone: X\.CONTROL-1\./);
  });
});
