import { describe, expect, it } from "vitest";
import { checkCatalogue } from "../../engine/catalogue.ts";
import { checkWaivers } from "../../engine/waivers.ts";

const valid = {
  service: "dynamodb",
  title: "Amazon DynamoDB",
  iamPrefixes: ["dynamodb"],
  resourceTypes: ["AWS::DynamoDB::Table"],
  controls: [
    {
      id: "DDB.PITR",
      title: "Tables have point-in-time recovery",
      resourceType: "AWS::DynamoDB::Table",
      severity: "high",
      cia: { i: 2 },
      rationale: "Recovery from a bad write: integrity from level 2.",
      remediation: {
        console: "Turn it on in the console.",
        cloudformation: "PointInTimeRecoverySpecification",
      },
      references: ["FSBP DynamoDB.2"],
      check: {
        type: "object",
        required: ["configuration"],
        properties: { configuration: { type: "object" } },
      },
      cases: [
        { name: "pass", expect: "PASS", item: {} },
        { name: "fail", expect: "FAIL", item: {} },
      ],
    },
  ],
};

const source = (value: unknown, file = "policies/dynamodb.json") => ({
  file,
  text: JSON.stringify(value, null, 2),
});

describe("catalogue checks", () => {
  it("accepts a valid policy", () => {
    const { problems, catalogue } = checkCatalogue([source(valid)]);
    expect(problems).toEqual([]);
    expect(catalogue.controls.map((c) => c.id)).toEqual(["DDB.PITR"]);
  });

  it("reports invalid JSON with its line", () => {
    const { problems } = checkCatalogue([
      { file: "policies/bad.json", text: '{\n  "service": "x",\n  oops\n}' },
    ]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: "policies/bad.json", line: 3, level: "error" });
    expect(problems[0]?.message).toMatch(/not valid JSON/);
  });

  it("reports structural errors by JSON pointer and line", () => {
    const broken = structuredClone(valid) as Record<string, unknown> & {
      controls: Record<string, unknown>[];
    };
    broken.controls[0]!.severity = "urgent";
    delete broken.controls[0]!.rationale;
    const { problems } = checkCatalogue([source(broken)]);
    expect(problems).toContainEqual(
      expect.objectContaining({ pointer: "/controls/0/severity", message: expect.stringMatching(/one of/) }),
    );
    expect(problems).toContainEqual(
      expect.objectContaining({ pointer: "/controls/0", message: 'missing required property "rationale"' }),
    );
    const severity = problems.find((p) => p.pointer === "/controls/0/severity");
    expect(severity?.line).toBe(
      text(broken)
        .split("\n")
        .findIndex((l) => l.includes('"urgent"')) + 1,
    );
  });

  it("rejects a check that is not a strict JSON Schema", () => {
    const broken = structuredClone(valid);
    (broken.controls[0] as Record<string, unknown>).check = { type: "object", requird: ["configuration"] };
    const { problems } = checkCatalogue([source(broken)]);
    expect(problems).toContainEqual(
      expect.objectContaining({
        pointer: "/controls/0/check",
        message: expect.stringMatching(/invalid JSON Schema.*requird/),
      }),
    );
  });

  it("rejects duplicate control ids across files, naming the first file", () => {
    const other = { ...structuredClone(valid), service: "dynamodb2" };
    const { problems } = checkCatalogue([source(valid), source(other, "policies/dynamodb2.json")]);
    expect(problems).toContainEqual(
      expect.objectContaining({
        file: "policies/dynamodb2.json",
        pointer: "/controls/0/id",
        message: 'duplicate control id "DDB.PITR" (first defined in policies/dynamodb.json)',
      }),
    );
  });

  it("rejects resource types AWS Config does not record, unless the control is periodic", () => {
    const broken = structuredClone(valid);
    broken.resourceTypes = ["AWS::DynamoDB::Tabel"];
    broken.controls[0]!.resourceType = "AWS::DynamoDB::Tabel";
    const { problems } = checkCatalogue([source(broken)]);
    expect(problems.map((p) => p.message)).toContain(
      'unknown resource type "AWS::DynamoDB::Tabel": AWS Config does not record it',
    );
    (broken.controls[0] as Record<string, unknown>).evaluation = "periodic";
    expect(checkCatalogue([source(broken)]).problems).toEqual([]);
  });

  it("requires a PASS and a FAIL case", () => {
    const broken = structuredClone(valid);
    broken.controls[0]!.cases = [
      { name: "pass", expect: "PASS", item: {} },
      { name: "again", expect: "PASS", item: {} },
    ];
    const { problems } = checkCatalogue([source(broken)]);
    expect(problems.map((p) => p.message)).toContain(
      "a control needs at least one PASS case and one FAIL case",
    );
  });
});

function text(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

describe("waiver checks", () => {
  const ids = new Set(["DDB.PITR"]);
  const now = new Date("2026-11-28T00:00:00Z");
  const waiver = {
    controlId: "DDB.PITR",
    accounts: ["222222222222"],
    reason: "Scratch tables, recreated nightly",
    approver: "ciso@bank.example",
    granted: "2026-11-01",
    expires: "2027-10-31",
  };
  const file = (waivers: unknown[]) => text({ waivers });

  it("accepts a waiver in force", () => {
    const { waivers, problems } = checkWaivers("policies/waivers.json", file([waiver]), now, ids);
    expect(problems).toEqual([]);
    expect(waivers).toHaveLength(1);
  });

  it("says when a waiver expired", () => {
    const expired = { ...waiver, granted: "2025-11-01", expires: "2026-10-31" };
    const { problems } = checkWaivers("policies/waivers.json", file([expired]), now, ids);
    const line =
      file([expired])
        .split("\n")
        .findIndex((l) => l.includes('"expires"')) + 1;
    expect(problems).toEqual([
      expect.objectContaining({
        pointer: "/waivers/0/expires",
        message: "waiver for DDB.PITR expired on 2026-10-31: it no longer applies",
        line,
      }),
    ]);
  });

  it("rejects waivers for more than a year, unknown controls, and missing scope", () => {
    const long = { ...waiver, expires: "2027-12-31" };
    const unknown = { ...waiver, controlId: "NOPE.X" };
    const { accounts: _accounts, ...unscoped } = waiver;
    const { problems } = checkWaivers("policies/waivers.json", file([long, unknown]), now, ids);
    expect(problems.map((p) => p.message)).toEqual([
      "expires 2027-12-31, more than a year after it was granted (2026-11-01)",
      'unknown control id "NOPE.X"',
    ]);
    expect(checkWaivers("policies/waivers.json", file([unscoped]), now, ids).problems.length).toBeGreaterThan(
      0,
    );
  });

  it("counts every problem but an expired waiver among the errors that leave the file unusable", () => {
    const expired = { ...waiver, granted: "2025-11-01", expires: "2026-10-31" };
    const unknown = { ...waiver, controlId: "NOPE.X" };
    const onlyExpired = checkWaivers("policies/waivers.json", file([waiver, expired]), now, ids);
    expect(onlyExpired.problems).toHaveLength(1);
    expect(onlyExpired.errors).toEqual([]);
    const both = checkWaivers("policies/waivers.json", file([expired, unknown]), now, ids);
    expect(both.errors.map((p) => p.pointer)).toEqual(["/waivers/1/controlId"]);
    const schema = checkWaivers("policies/waivers.json", file([{ ...waiver, reason: "short" }]), now, ids);
    expect(schema.errors.map((p) => p.pointer)).toEqual(["/waivers/0/reason"]);
    expect(checkWaivers("policies/waivers.json", '{ "waivers": [', now, ids).errors).toHaveLength(1);
  });
});
