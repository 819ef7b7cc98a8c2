// Catalogue-wide checks: the whole catalogue loads, ids are unique, every
// control is documented and tested by its own real-item cases, every service is in the SCP with
// real IAM prefixes, every resource type is one AWS Config records (or runs in the sweep), no EC2.

import { describe, expect, it } from "vitest";
import { buildServiceControlPolicies } from "../../deploy/scp.ts";
import { readScpSettings } from "../../deploy/scp-settings.ts";
import { runCases } from "../../engine/cases.ts";
import { checkCatalogue, isRecordedType } from "../../engine/catalogue.ts";
import iamPrefixes from "../../engine/data/iam-prefixes.json" with { type: "json" };
import { formatProblem } from "../../engine/errors.ts";
import { DIMENSIONS } from "../../engine/types.ts";
import { checkWaivers } from "../../engine/waivers.ts";
import { fixtureReader, readPolicySources, readWaiverSource } from "../../loader/policy-files.ts";
import { NO_REAL_ITEM } from "./schema-exemptions.ts";

const { catalogue, problems } = checkCatalogue(readPolicySources());
const { controls, policies } = catalogue;
const FSBP = /^FSBP [A-Za-z0-9]+\.\d+$/;
const WORD = { c: "confidentiality", i: "integrity", a: "availability" } as const;
const byId = controls.map((c) => [c.id, c] as const);

describe("the catalogue", () => {
  it("loads without a single problem", () => {
    expect(problems.map(formatProblem)).toEqual([]);
  });

  it("is at least 45 controls, at least 20 of them mapped to Security Hub FSBP controls", () => {
    expect(controls.length).toBeGreaterThanOrEqual(45);
    const fsbp = controls.filter((c) => c.references.some((r) => FSBP.test(r)));
    expect(fsbp.length).toBeGreaterThanOrEqual(20);
  });

  it("has unique control ids", () => {
    const ids = controls.map((c) => c.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it("covers the services the organisation allows", () => {
    const services = policies.map((p) => p.service);
    for (const required of [
      ...["s3", "dynamodb", "lambda", "apigateway", "sns", "sqs", "kms", "iam", "logs"],
      ...["secretsmanager", "states", "events", "cloudtrail"],
      ...["config", "organizations", "sts", "cloudformation", "cloudwatch", "xray"],
    ]) {
      expect(services, required).toContain(required);
    }
    const types = policies.flatMap((p) => p.resourceTypes);
    for (const type of [
      ...[
        "AWS::ApiGateway::RestApi",
        "AWS::ApiGateway::Stage",
        "AWS::ApiGatewayV2::Api",
        "AWS::ApiGatewayV2::Stage",
      ],
      ...["AWS::IAM::Role", "AWS::IAM::Policy", "AWS::IAM::User", "AWS::Logs::LogGroup"],
      ...["AWS::StepFunctions::StateMachine", "AWS::Events::EventBus", "AWS::Events::Rule"],
    ]) {
      expect(types, type).toContain(type);
    }
  });

  it("allows no EC2 or VPC: no ec2 prefix, no EC2 resource type", () => {
    expect(policies.flatMap((p) => p.iamPrefixes)).not.toContain("ec2");
    expect(policies.flatMap((p) => p.resourceTypes).filter((t) => /^AWS::(EC2|VPC)::/.test(t))).toEqual([]);
  });

  it("gives each resource type to one service only (one Config rule scope each)", () => {
    const types = policies.flatMap((p) => p.resourceTypes);
    expect(types.filter((t, i) => types.indexOf(t) !== i)).toEqual([]);
  });
});

describe("every service", () => {
  it.each(policies.map((p) => [p.service, p] as const))("%s has real IAM prefixes", (_service, policy) => {
    expect(policy.iamPrefixes.length).toBeGreaterThan(0);
    expect(policy.iamPrefixes.filter((p) => !iamPrefixes.includes(p))).toEqual([]);
  });

  it.each(policies.map((p) => [p.service, p] as const))(
    "%s lists resource types AWS Config records, or that periodic controls sweep",
    (_service, policy) => {
      for (const type of policy.resourceTypes) {
        const own = controls.filter((c) => c.resourceType === type);
        const swept = own.length > 0 && own.every((c) => c.evaluation === "periodic");
        expect(isRecordedType(type) || swept, type).toBe(true);
      }
    },
  );

  it("is allowed by the generated service control policy", () => {
    const scp = buildServiceControlPolicies(catalogue, readScpSettings());
    const notAction = scp.policies.flatMap((p) => p.document.Statement).flatMap((s) => s.NotAction ?? []);
    const missing = policies
      .flatMap((p) => p.iamPrefixes)
      .filter((prefix) => !notAction.includes(`${prefix}:*`));
    expect(missing).toEqual([]);
    expect(notAction).not.toContain("ec2:*");
  });
});

describe("every control is documented", () => {
  it.each(byId)("%s says why, from which level, how to fix it, and where it comes from", (_id, control) => {
    const levels = DIMENSIONS.filter((d) => control.cia[d] !== undefined);
    expect(levels.length).toBeGreaterThan(0);
    for (const d of levels) {
      expect(control.rationale, `names the dimension ${WORD[d]}`).toContain(WORD[d]);
      expect(control.rationale, "names the level").toMatch(new RegExp(`level \\(?${control.cia[d]}\\)?`));
    }
    expect(control.remediation.console.length).toBeGreaterThan(20);
    expect(control.remediation.cloudformation, "names a CloudFormation resource type").toMatch(
      /AWS::[A-Za-z0-9]+::[A-Za-z0-9]+/,
    );
    expect(control.references.length).toBeGreaterThan(0);
    for (const reference of control.references.filter((r) => r.startsWith("FSBP"))) {
      expect(reference).toMatch(FSBP);
    }
  });

  it.each(byId.filter(([, c]) => c.evaluation === "periodic"))(
    "%s says it runs in the scheduled sweep",
    (_id, control) => {
      expect(control.title).toContain("scheduled sweep");
      expect(control.rationale).toContain("scheduled sweep");
      expect(isRecordedType(control.resourceType), "AWS Config records it: no need to sweep").toBe(false);
    },
  );

  it("puts each control under the service that owns its resource type", () => {
    const misplaced = controls.filter(
      (c) => !policies.find((p) => p.service === c.service)?.resourceTypes.includes(c.resourceType),
    );
    expect(misplaced.map((c) => c.id)).toEqual([]);
  });
});

describe("every control's cases", () => {
  const results = runCases(catalogue, fixtureReader());

  it.each(byId)(
    "%s has a PASS and a FAIL case built from a real item (or inline where none exists)",
    (_id, c) => {
      expect(c.cases.some((k) => k.expect === "PASS")).toBe(true);
      expect(c.cases.some((k) => k.expect === "FAIL")).toBe(true);
      for (const k of c.cases) {
        if (k.fixture) {
          expect(k.fixture.split("/")[0], "fixture folder is the resource type").toBe(
            c.resourceType.replace(/::/g, "_"),
          );
          expect(k.source ?? "").toMatch(
            new RegExp(`^aws-config-data/ci(-partial)?/${k.fixture.replace(/\./g, "\\.")}$`),
          );
        } else {
          expect(NO_REAL_ITEM.has(c.resourceType), `${c.resourceType} has real items: use one`).toBe(true);
          expect(k.source ?? "").toMatch(/^inline: no real item exists/);
        }
      }
    },
  );

  it.each(byId)("%s: every case gives its expected finding", (id) => {
    const wrong = results
      .filter((r) => r.controlId === id && !r.ok)
      .map((r) => `case ${r.caseIndex} "${r.name}": expected ${r.expected}, got ${r.actual}: ${r.message}`);
    expect(wrong).toEqual([]);
  });

  it("explains each failure in words: the FAIL messages name a property", () => {
    const fails = results.filter((r) => r.expected === "FAIL" && r.ok);
    expect(fails.length).toBeGreaterThan(50);
    for (const r of fails)
      expect(r.message, r.controlId).toMatch(/(configuration|supplementaryConfiguration)\b/);
  });
});

describe("the sample waiver", () => {
  it("is valid, in force on 2026-11-28, for a real control, scoped to account 222222222222", () => {
    const source = readWaiverSource();
    expect(source).toBeDefined();
    const ids = new Set(controls.map((c) => c.id));
    const { waivers, problems: waiverProblems } = checkWaivers(
      source?.file ?? "",
      source?.text ?? "",
      new Date("2026-11-28T00:00:00Z"),
      ids,
    );
    expect(waiverProblems.map(formatProblem)).toEqual([]);
    expect(waivers).toHaveLength(1);
    expect(waivers[0]).toMatchObject({
      granted: "2026-11-01",
      expires: "2027-10-31",
      accounts: ["222222222222"],
    });
    expect(ids.has(waivers[0]?.controlId ?? "")).toBe(true);
  });
});
