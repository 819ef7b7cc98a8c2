// `compliance evaluate` on what AWS and the security team create in every account (a real default
// VPC, the same VPC made non-default, a GuardDuty detector), and `compliance validate` and `test`
// on the platform-resources file, as a user runs them (the same dispatch, arguments and exit code as
// bin/compliance.mjs, run in this process).

import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { catalogueJson } from "../../cli/commands/catalogue.ts";
import { DEFAULT_POLICIES_DIR } from "../../loader/policy-files.ts";
import { repositoryCatalogue } from "../support/catalogue.ts";
import { runCli } from "../support/cli.ts";

const fixture = (name: string) =>
  JSON.parse(readFileSync(join(DEFAULT_POLICIES_DIR, "fixtures", name), "utf8")) as Record<string, unknown>;

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "compliance-platform-"));
  const vpc = fixture("AWS_EC2_VPC/rdk-sample-ci.json");
  const configuration = vpc.configuration as Record<string, unknown>;
  const custom = {
    ...vpc,
    resourceId: "vpc-0c0ffee0c0ffee000",
    arn: "arn:aws:ec2:us-east-1:264683526309:vpc/vpc-0c0ffee0c0ffee000",
    configuration: { ...configuration, vpcId: "vpc-0c0ffee0c0ffee000", isDefault: false },
  };
  writeFileSync(join(dir, "default-vpc.json"), JSON.stringify(vpc));
  writeFileSync(join(dir, "custom-vpc.json"), JSON.stringify(custom));
  writeFileSync(
    join(dir, "detector.json"),
    JSON.stringify(fixture("AWS_GuardDuty_Detector/schema-shaped-ci.json")),
  );
});

interface Result {
  resourceType: string;
  resourceId: string;
  compliance: string;
  annotation: string;
  findings: { controlId: string; status: string; severity: string; message: string }[];
}

describe("compliance evaluate", () => {
  it("gives a default VPC its medium finding, a built VPC the critical one, a detector a pass", async () => {
    const run = await runCli(["evaluate", dir, "--format", "json"]);
    expect(run.stderr).toBe("");
    // A non-compliant resource: exit 1.
    expect(run.code).toBe(1);
    const results = (JSON.parse(run.stdout) as { results: Result[] }).results;
    const byId = new Map(results.map((r) => [r.resourceId, r]));
    expect(byId.get("vpc-0990dc6d")).toMatchObject({
      compliance: "NON_COMPLIANT",
      findings: [{ controlId: "PLATFORM.DEFAULT-VPC", status: "FAIL", severity: "medium" }],
    });
    expect(byId.get("vpc-0990dc6d")?.findings[0]?.message).toContain("break-glass or platform role");
    expect(byId.get("vpc-0c0ffee0c0ffee000")).toMatchObject({
      compliance: "NON_COMPLIANT",
      findings: [{ controlId: "PLATFORM.ALLOWED-SERVICE", status: "FAIL", severity: "critical" }],
    });
    expect(byId.get("6ec8f2a1b7d94e0c9a3f51d2e8b40c17")).toMatchObject({
      resourceType: "AWS::GuardDuty::Detector",
      compliance: "COMPLIANT",
      findings: [{ controlId: "PLATFORM.ALLOWED-SERVICE", status: "PASS" }],
    });
    expect(byId.get("6ec8f2a1b7d94e0c9a3f51d2e8b40c17")?.annotation).toMatch(
      /is platform-managed: the security team/,
    );
  });
});

describe("compliance validate and test", () => {
  it("validate names the file, line and field of a bad entry; test runs the list's cases", async () => {
    const policies = join(dir, "policies");
    cpSync(DEFAULT_POLICIES_DIR, policies, { recursive: true });
    const file = join(policies, "platform-resources.json");
    const data = JSON.parse(readFileSync(file, "utf8")) as { resources: Record<string, unknown>[] };
    data.resources.push({
      resourceType: "AWS::SecurityHub::Hub",
      iamPrefix: "securityhub",
      disposition: "platform-managed",
      managedBy: "the security team, in every account",
    });
    writeFileSync(file, JSON.stringify(data, null, 2));
    const validate = await runCli(["validate", "--policies", policies]);
    expect(validate.code).toBe(1);
    expect(validate.stdout).toMatch(
      /^error: .*platform-resources\.json:\d+:\d+ \/resources\/\d+\/resourceType: unknown resource type "AWS::SecurityHub::Hub": AWS Config does not record it$/m,
    );
    expect(`${validate.stdout}${validate.stderr}`).not.toMatch(/\n\s+at /);

    const test = await runCli(["test", "--format", "json"]);
    expect(test.code).toBe(0);
    const platform = (
      JSON.parse(test.stdout) as {
        results: { service: string; controlId: string; ok: boolean; expected: string }[];
      }
    ).results.filter((r) => r.service === "platform");
    expect(platform.map((r) => `${r.controlId} ${r.expected}`)).toEqual(
      expect.arrayContaining([
        "PLATFORM.DEFAULT-VPC finding",
        "PLATFORM.DEFAULT-VPC none",
        "PLATFORM.ALLOWED-SERVICE (AWS::GuardDuty::Detector) platform-managed",
      ]),
    );
    expect(platform.every((r) => r.ok)).toBe(true);
  });
});

describe("compliance catalogue --format json", () => {
  it("lists the platform-resources entries beside the services and controls, without their cases", () => {
    const listed = (catalogueJson(repositoryCatalogue()) as { platformResources: Record<string, unknown>[] })
      .platformResources;
    expect(listed.find((e) => e.resourceType === "AWS::EC2::VPC")).toMatchObject({
      where: { "/configuration/isDefault": true },
      disposition: "finding",
      finding: { id: "PLATFORM.DEFAULT-VPC", severity: "medium" },
    });
    expect(listed.find((e) => e.resourceType === "AWS::GuardDuty::Detector")).toMatchObject({
      disposition: "platform-managed",
    });
    expect(listed.filter((e) => "cases" in e)).toEqual([]);
  });
});
