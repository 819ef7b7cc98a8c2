import { describe, expect, it } from "vitest";
import { loadCatalogue, type PolicySource } from "../../engine/catalogue.ts";
import { achieved, isRequired, parseRating, ratingFromTags } from "../../engine/cia.ts";
import { evaluate } from "../../engine/evaluate.ts";
import { normalise } from "../../engine/normalise.ts";
import type { ConfigurationItem } from "../../engine/types.ts";
import type { Waiver } from "../../engine/waivers.ts";
import { readFixture } from "../support/fixtures.ts";

const now = new Date("2026-11-28T12:00:00Z");
const HIGHEST = { c: 3, i: 3, a: 3 } as const;

/** A control over the DynamoDB table fixture: `property` must equal `value`. */
function control(
  id: string,
  cia: Record<string, number>,
  severity: string,
  pointer: string[],
  value: unknown,
) {
  let check: Record<string, unknown> = { const: value };
  for (const key of [...pointer].reverse())
    check = { type: "object", required: [key], properties: { [key]: check } };
  return {
    id,
    title: `${id} holds`,
    resourceType: "AWS::DynamoDB::Table",
    severity,
    cia,
    rationale: "A rationale long enough to pass the meta-schema.",
    remediation: { console: "Do the right thing.", cloudformation: "AWS::DynamoDB::Table Property: value" },
    references: [],
    check,
    cases: [
      { name: "pass", expect: "PASS", item: {} },
      { name: "fail", expect: "FAIL", item: {} },
    ],
  };
}

function catalogueOf(controls: unknown[], extra: Record<string, unknown> = {}) {
  const policy = {
    service: "dynamodb",
    title: "Amazon DynamoDB",
    iamPrefixes: ["dynamodb"],
    resourceTypes: ["AWS::DynamoDB::Table", "AWS::CloudFormation::Stack"],
    controls,
    ...extra,
  };
  const sources: PolicySource[] = [{ file: "policies/dynamodb.json", text: JSON.stringify(policy, null, 2) }];
  return loadCatalogue(sources);
}

const PITR = [
  "supplementaryConfiguration",
  "ContinuousBackupsDescription",
  "pointInTimeRecoveryDescription",
  "pointInTimeRecoveryStatus",
];
const BILLING = ["configuration", "billingModeSummary", "billingMode"];
const table = (): ConfigurationItem => normalise(readFixture("ci/AWS_DynamoDB_Table/rdk-sample-ci.json"));

describe("CIA ratings", () => {
  it("parses ratings and rejects malformed ones", () => {
    expect(parseRating("C3I2A1")).toEqual({ c: 3, i: 2, a: 1 });
    expect(parseRating("c1i1a1")).toEqual({ c: 1, i: 1, a: 1 });
    expect(parseRating("C4I1A1")).toBeUndefined();
    expect(parseRating("high")).toBeUndefined();
  });

  it("applies the highest rating to production, and to missing or malformed ratings (fail safe)", () => {
    expect(ratingFromTags({ "cia-rating": "C1I1A1", environment: "production" })).toEqual({
      rating: HIGHEST,
      unclassified: false,
    });
    expect(ratingFromTags({ "cia-rating": "C1I2A1", environment: "development" })).toEqual({
      rating: { c: 1, i: 2, a: 1 },
      unclassified: false,
    });
    expect(ratingFromTags({})).toEqual({ rating: HIGHEST, unclassified: true });
    expect(ratingFromTags({ "cia-rating": "C9" })).toEqual({ rating: HIGHEST, unclassified: true });
  });

  it("requires a control when the account reaches its level in any dimension", () => {
    expect(isRequired({ i: 2, a: 2 }, { c: 1, i: 1, a: 2 })).toBe(true);
    expect(isRequired({ i: 2, a: 2 }, { c: 3, i: 1, a: 1 })).toBe(false);
    expect(isRequired({ c: 3 }, { c: 3, i: 1, a: 1 })).toBe(true);
  });

  it("achieves the highest level below the lowest failing control, per dimension", () => {
    expect(achieved([])).toEqual({ c: 3, i: 3, a: 3 });
    expect(
      achieved([
        { status: "FAIL", cia: { c: 3 } },
        { status: "FAIL", cia: { i: 2, a: 1 } },
        { status: "PASS", cia: { c: 1 } },
        { status: "SKIP", cia: { c: 1 } },
      ]),
    ).toEqual({ c: 2, i: 1, a: 0 });
    // A waiver keeps a resource compliant, not its achieved level.
    expect(achieved([{ status: "WAIVED", cia: { c: 2 } }])).toEqual({ c: 1, i: 3, a: 3 });
  });
});

describe("evaluate", () => {
  const catalogue = catalogueOf([
    control("DDB.PITR", { i: 2, a: 2 }, "high", PITR, "ENABLED"),
    control("DDB.BILLING", { a: 1 }, "medium", BILLING, "PAY_PER_REQUEST"),
    control("DDB.STRICT", { c: 3 }, "critical", BILLING, "PROVISIONED"),
  ]);

  it("is NON_COMPLIANT when a required control fails, and says which property and what was expected", () => {
    const record = evaluate(table(), catalogue, { rating: HIGHEST, now });
    expect(record.compliance).toBe("NON_COMPLIANT");
    expect(record.required).toEqual(HIGHEST);
    expect(record.achieved).toEqual({ c: 2, i: 1, a: 1 });
    const pitr = record.findings.find((f) => f.controlId === "DDB.PITR");
    expect(pitr?.status).toBe("FAIL");
    expect(pitr?.message).toBe(
      'supplementaryConfiguration.ContinuousBackupsDescription.pointInTimeRecoveryDescription.pointInTimeRecoveryStatus is "DISABLED", expected "ENABLED"',
    );
    // Most severe first, then the achieved rating.
    expect(record.annotation).toBe(
      '[CRITICAL] DDB.STRICT: configuration.billingModeSummary.billingMode is "PAY_PER_REQUEST", expected "PROVISIONED"; and 1 more. Achieved C2I1A1 of required C3I3A3.',
    );
  });

  it("is COMPLIANT when only controls the rating does not require fail", () => {
    const record = evaluate(table(), catalogue, { rating: { c: 1, i: 1, a: 1 }, now });
    expect(record.compliance).toBe("COMPLIANT");
    expect(record.findings.filter((f) => f.status === "FAIL").every((f) => !f.required)).toBe(true);
    expect(record.achieved).toEqual({ c: 2, i: 1, a: 1 });
    expect(record.annotation).toBe("All 1 required controls pass. Achieved C2I1A1 of required C1I1A1.");
  });

  it("waives a failing control while the waiver is in force, and not after it expired", () => {
    const waiver: Waiver = {
      controlId: "DDB.STRICT",
      accounts: ["123456789012"],
      reason: "Migration to provisioned capacity planned",
      approver: "ciso@bank.example",
      granted: "2026-06-01",
      expires: "2027-05-31",
    };
    const waived = evaluate(table(), catalogue, { rating: { c: 3, i: 1, a: 1 }, now, waivers: [waiver] });
    const strict = waived.findings.find((f) => f.controlId === "DDB.STRICT");
    expect(strict?.status).toBe("WAIVED");
    expect(strict?.message).toMatch(/waived until 2027-05-31 by ciso@bank\.example/);
    expect(waived.compliance).toBe("COMPLIANT");
    const later = evaluate(table(), catalogue, {
      rating: { c: 3, i: 1, a: 1 },
      now: new Date("2027-06-01T00:00:00Z"),
      waivers: [waiver],
    });
    expect(later.findings.find((f) => f.controlId === "DDB.STRICT")?.status).toBe("FAIL");
    expect(later.compliance).toBe("NON_COMPLIANT");
    const otherAccount = evaluate({ ...table(), accountId: "999999999999" }, catalogue, {
      rating: { c: 3, i: 1, a: 1 },
      now,
      waivers: [waiver],
    });
    expect(otherAccount.findings.find((f) => f.controlId === "DDB.STRICT")?.status).toBe("FAIL");
  });

  it("matches waivers by resource ARN pattern", () => {
    const waiver: Waiver = {
      controlId: "DDB.PITR",
      resources: ["arn:aws:dynamodb:*:123456789012:table/te*"],
      reason: "Scratch table, recreated daily",
      approver: "platform@bank.example",
      granted: "2026-11-01",
      expires: "2027-10-31",
    };
    const record = evaluate(table(), catalogue, { rating: { c: 1, i: 2, a: 1 }, now, waivers: [waiver] });
    expect(record.findings.find((f) => f.controlId === "DDB.PITR")?.status).toBe("WAIVED");
  });

  it("fails closed when a control throws", () => {
    const broken = catalogueOf([control("DDB.PITR", { i: 1 }, "high", PITR, "ENABLED")]);
    const compiled = broken.controls[0]!;
    const validate = Object.assign(
      () => {
        throw new Error("boom");
      },
      { errors: null },
    );
    compiled.validate = validate as unknown as typeof compiled.validate;
    const record = evaluate(table(), broken, { rating: HIGHEST, now });
    expect(record.compliance).toBe("NON_COMPLIANT");
    expect(record.findings[0]?.status).toBe("FAIL");
    expect(record.findings[0]?.message).toMatch(/fails closed.*boom/);
  });

  it("fails closed when the item carries no configuration", () => {
    const item = { ...table(), configuration: null };
    const record = evaluate(item, catalogue, { rating: HIGHEST, now });
    expect(record.compliance).toBe("NON_COMPLIANT");
    expect(record.findings.every((f) => f.status === "FAIL")).toBe(true);
  });

  it("keeps the annotation within 256 characters, most severe first, then `and N more`", () => {
    const many = catalogueOf(
      Array.from({ length: 12 }, (_, i) =>
        control(`DDB.C${i}`, { a: 1 }, i === 7 ? "critical" : "low", BILLING, `MODE_${"X".repeat(30)}_${i}`),
      ),
    );
    const record = evaluate(table(), many, { rating: HIGHEST, now });
    expect(record.annotation.length).toBeLessThanOrEqual(256);
    expect(record.annotation.length).toBeGreaterThan(0);
    expect(record.annotation.startsWith("[CRITICAL] DDB.C7:")).toBe(true);
    expect(record.annotation).toMatch(/and \d+ more\. Achieved C3I3A0 of required C3I3A3\.$/);
  });

  it("is NOT_APPLICABLE for deleted, not recorded and out-of-scope items, and types no control covers", () => {
    for (const status of ["ResourceDeleted", "ResourceDeletedNotRecorded", "ResourceNotRecorded"]) {
      const record = evaluate({ ...table(), configurationItemStatus: status }, catalogue, {
        rating: HIGHEST,
        now,
      });
      expect(record.compliance).toBe("NOT_APPLICABLE");
      expect(record.annotation).toContain(status);
    }
    expect(evaluate(table(), catalogue, { rating: HIGHEST, now, eventLeftScope: true }).compliance).toBe(
      "NOT_APPLICABLE",
    );
    const stack = normalise(readFixture("ci/AWS_CloudFormation_Stack/rdk-sample-ci.json"));
    const record = evaluate(stack, catalogue, { rating: HIGHEST, now });
    expect(record.compliance).toBe("NOT_APPLICABLE");
    expect(record.annotation.length).toBeGreaterThan(0);
  });

  it("makes a resource of a service the catalogue does not allow NON_COMPLIANT at every rating", () => {
    const instance = normalise(readFixture("ci/AWS_EC2_Instance/rdk-sample-ci.json"));
    const record = evaluate(instance, catalogue, { rating: { c: 1, i: 1, a: 1 }, now });
    expect(record.compliance).toBe("NON_COMPLIANT");
    expect(record.findings).toEqual([
      expect.objectContaining({
        controlId: "PLATFORM.ALLOWED-SERVICE",
        status: "FAIL",
        severity: "critical",
      }),
    ]);
    expect(record.achieved).toEqual({ c: 0, i: 0, a: 0 });
    const allowed = evaluate(table(), catalogue, {
      rating: HIGHEST,
      now,
      scope: { kind: "allowed-services" },
    });
    expect(allowed.compliance).toBe("COMPLIANT");
  });

  it("runs only the named service's controls when a rule names one", () => {
    const record = evaluate(table(), catalogue, {
      rating: HIGHEST,
      now,
      scope: { kind: "service", service: "lambda" },
    });
    expect(record.compliance).toBe("NOT_APPLICABLE");
  });
});

describe("a rule that runs one service", () => {
  it("is NOT_APPLICABLE for types outside its service; the allowed-services rule judges them", () => {
    const catalogue = catalogueOf([control("DDB.PITR", { i: 2 }, "high", PITR, "ENABLED")]);
    const instance = normalise(readFixture("ci/AWS_EC2_Instance/rdk-sample-ci.json"));
    const scoped = evaluate(instance, catalogue, {
      rating: HIGHEST,
      now,
      scope: { kind: "service", service: "dynamodb" },
    });
    expect(scoped.compliance).toBe("NOT_APPLICABLE");
    expect(scoped.annotation).toBe(
      "Not applicable: AWS::EC2::Instance is not a resource type of this rule's service (dynamodb).",
    );
    expect(
      evaluate(instance, catalogue, { rating: HIGHEST, now, scope: { kind: "allowed-services" } }).compliance,
    ).toBe("NON_COMPLIANT");
    expect(evaluate(instance, catalogue, { rating: HIGHEST, now }).compliance).toBe("NON_COMPLIANT");
  });
});

describe("annotation of a resource no control is required for", () => {
  it("says so instead of counting zero passes", () => {
    const catalogue = catalogueOf([control("DDB.PITR", { i: 2 }, "high", PITR, "ENABLED")]);
    const record = evaluate(table(), catalogue, { rating: { c: 1, i: 1, a: 1 }, now });
    expect(record.compliance).toBe("COMPLIANT");
    expect(record.annotation).toBe(
      "No control of this resource is required at C1I1A1. Achieved C3I1A3 of required C1I1A1.",
    );
  });
});

describe("an annotation whose most severe failure alone is too long", () => {
  it("still shows that failure, shortened with an ellipsis, and the levels", () => {
    const long = (id: string, words: number) => ({
      ...control(id, { a: 1 }, "high", BILLING, "PROVISIONED"),
      check: {
        type: "object",
        properties: {
          configuration: { description: "too long ".repeat(words).trim(), not: { type: "object" } },
        },
      },
    });
    for (const controls of [[long("DDB.LONG", 40)], [long("DDB.LONG", 40), long("DDB.OTHER", 2)]]) {
      const record = evaluate(table(), catalogueOf(controls), { rating: HIGHEST, now });
      expect(record.annotation.length).toBeLessThanOrEqual(256);
      expect(record.annotation).toMatch(/^\[HIGH\] DDB\.LONG: configuration: too long too long/);
      const more = controls.length > 1 ? "; and 1 more\\." : "";
      expect(record.annotation).toMatch(new RegExp(`…${more} Achieved C3I3A0 of required C3I3A3\\.$`));
    }
  });
});
