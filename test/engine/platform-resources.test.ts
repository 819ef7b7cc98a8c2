// The platform-resources list (policies/platform-resources.json): which entry decides an item,
// the record each disposition gives, and the checks `compliance validate` runs on the file.

import { describe, expect, it } from "vitest";
import { assembleCatalogue, checkCatalogue } from "../../engine/catalogue.ts";
import { evaluate } from "../../engine/evaluate.ts";
import { normalise } from "../../engine/normalise.ts";
import { entryMatches, type PlatformEntry, platformEntryFor } from "../../engine/platform-resources.ts";
import { checkPlatformResources } from "../../engine/platform-resources-check.ts";
import { waiversInForce } from "../../engine/policy-set.ts";
import { evaluateTemplate } from "../../engine/template/index.ts";
import type { ConfigurationItem } from "../../engine/types.ts";
import { fixtureReader, readPolicySources } from "../../loader/policy-files.ts";
import { repositoryCatalogue } from "../support/catalogue.ts";

const sources = readPolicySources();
const catalogue = repositoryCatalogue();
const fixture = fixtureReader();
const now = new Date("2026-11-28T12:00:00Z");
const HIGHEST = { c: 3, i: 3, a: 3 } as const;
const LOWEST = { c: 1, i: 1, a: 1 } as const;

const item = (name: string, edit?: (configuration: Record<string, unknown>) => void): ConfigurationItem => {
  const normalised = normalise(structuredClone(fixture(name)));
  if (edit) edit(normalised.configuration as Record<string, unknown>);
  return normalised;
};
const defaultVpc = () => item("AWS_EC2_VPC/rdk-sample-ci.json");
const customVpc = () =>
  item("AWS_EC2_VPC/rdk-sample-ci.json", (c) => {
    c.isDefault = false;
  });
const detector = () => item("AWS_GuardDuty_Detector/schema-shaped-ci.json");

describe("which entry decides an item", () => {
  const entry = (where: PlatformEntry["where"]): PlatformEntry => ({
    resourceType: "AWS::EC2::RouteTable",
    iamPrefix: "ec2",
    disposition: "platform-managed",
    managedBy: "AWS: a test entry",
    ...(where ? { where } : {}),
  });
  const routeTable = item("AWS_EC2_RouteTable/rdk-sample-ci.json");

  it("matches a value at a JSON pointer, `*` standing for any array element", () => {
    expect(entryMatches(entry({ "/configuration/associations/*/main": true }), routeTable)).toBe(true);
    expect(entryMatches(entry({ "/configuration/associations/0/main": true }), routeTable)).toBe(true);
    expect(entryMatches(entry({ "/configuration/associations/*/main": false }), routeTable)).toBe(false);
    expect(entryMatches(entry({ "/configuration/vpcId": "vpc-0990dc6d" }), routeTable)).toBe(true);
  });

  it("needs every condition, compares strictly and never reads inherited properties", () => {
    expect(
      entryMatches(
        entry({ "/configuration/vpcId": "vpc-0990dc6d", "/configuration/routeTableId": "x" }),
        routeTable,
      ),
    ).toBe(false);
    // `true` as a string is not the boolean AWS Config records.
    expect(entryMatches(entry({ "/configuration/associations/*/main": "true" }), routeTable)).toBe(false);
    expect(entryMatches(entry({ "/configuration/constructor/name": "Object" }), routeTable)).toBe(false);
    expect(entryMatches(entry({ "/configuration/missing/deeper": null }), routeTable)).toBe(false);
  });

  it("takes the first entry of the type that matches; none for a type not listed", () => {
    const platform = catalogue.platform!;
    expect(platformEntryFor(platform, defaultVpc())?.finding?.id).toBe("PLATFORM.DEFAULT-VPC");
    expect(platformEntryFor(platform, customVpc())).toBeUndefined();
    expect(platformEntryFor(platform, detector())?.disposition).toBe("platform-managed");
    expect(platformEntryFor(platform, item("AWS_S3_Bucket/rdk-sample-ci.json"))).toBeUndefined();
    expect(platformEntryFor(undefined, defaultVpc())).toBeUndefined();
  });
});

describe("the record of each disposition", () => {
  it("a default VPC is its own medium finding, with the remediation's role, not the critical allow-list one", () => {
    const record = evaluate(defaultVpc(), catalogue, { rating: HIGHEST, now });
    expect(record.compliance).toBe("NON_COMPLIANT");
    expect(record.findings).toEqual([
      expect.objectContaining({
        controlId: "PLATFORM.DEFAULT-VPC",
        status: "FAIL",
        severity: "medium",
        required: true,
        cia: { c: 1 },
      }),
    ]);
    expect(record.annotation).toMatch(
      /^\[MEDIUM\] PLATFORM\.DEFAULT-VPC: .*break-glass.*Achieved C0I3A3 of required C3I3A3\.$/,
    );
    expect(record.achieved).toEqual({ c: 0, i: 3, a: 3 });
    // Required at the lowest rating too: every account should lose its default VPCs.
    expect(evaluate(defaultVpc(), catalogue, { rating: LOWEST, now }).compliance).toBe("NON_COMPLIANT");
  });

  it("a VPC someone built stays the critical allowed-service finding", () => {
    const record = evaluate(customVpc(), catalogue, { rating: HIGHEST, now });
    expect(record.compliance).toBe("NON_COMPLIANT");
    expect(record.findings).toEqual([
      expect.objectContaining({
        controlId: "PLATFORM.ALLOWED-SERVICE",
        status: "FAIL",
        severity: "critical",
      }),
    ]);
  });

  it("a GuardDuty detector passes the allowed-service control, saying who manages it", () => {
    const record = evaluate(detector(), catalogue, { rating: HIGHEST, now });
    expect(record.compliance).toBe("COMPLIANT");
    expect(record.findings).toEqual([
      expect.objectContaining({
        controlId: "PLATFORM.ALLOWED-SERVICE",
        status: "PASS",
        message: expect.stringMatching(/^AWS::GuardDuty::Detector is platform-managed: the security team/),
      }),
    ]);
    expect(record.annotation).toMatch(/^AWS::GuardDuty::Detector is platform-managed: .+\.$/);
    expect(record.annotation.length).toBeLessThanOrEqual(256);
  });

  it("the default VPC's own parts are low findings that point at the VPC; the same parts of a built network are critical", () => {
    // No EC2 resource counts as compliant on a platform that runs none: a default part is
    // non-compliant at low severity (it goes with its VPC), a built one keeps the critical finding.
    for (const [name, id] of [
      ["AWS_EC2_Subnet/rdk-sample-ci.json", "PLATFORM.DEFAULT-SUBNET"],
      ["AWS_EC2_RouteTable/rdk-sample-ci.json", "PLATFORM.MAIN-ROUTE-TABLE"],
      ["AWS_EC2_NetworkAcl/rdk-sample-ci.json", "PLATFORM.DEFAULT-NETWORK-ACL"],
      ["AWS_EC2_SecurityGroup/docs-get-resource-config-history.json", "PLATFORM.DEFAULT-SECURITY-GROUP"],
    ] as const) {
      const record = evaluate(item(name), catalogue, { rating: HIGHEST, now });
      expect(record.compliance, name).toBe("NON_COMPLIANT");
      expect(
        record.findings.filter((f) => f.status === "FAIL"),
        name,
      ).toEqual([expect.objectContaining({ controlId: id, severity: "low" })]);
    }
    const builtGroup = evaluate(item("AWS_EC2_SecurityGroup/rdk-sample-ci.json"), catalogue, {
      rating: HIGHEST,
      now,
    });
    expect(builtGroup.findings[0]).toMatchObject({ controlId: "PLATFORM.ALLOWED-SERVICE", status: "FAIL" });
    const builtSubnet = item("AWS_EC2_Subnet/rdk-sample-ci.json", (c) => {
      c.defaultForAz = false;
    });
    expect(evaluate(builtSubnet, catalogue, { rating: HIGHEST, now }).findings[0]?.severity).toBe("critical");
  });

  it("the allowed-services rule's scope gives the same records as the CLI's", () => {
    for (const make of [defaultVpc, customVpc, detector]) {
      expect(
        evaluate(make(), catalogue, { rating: HIGHEST, now, scope: { kind: "allowed-services" } }),
      ).toEqual(evaluate(make(), catalogue, { rating: HIGHEST, now }));
    }
  });

  it("a service rule leaves them alone, and a deleted default VPC is not applicable", () => {
    const scoped = evaluate(defaultVpc(), catalogue, {
      rating: HIGHEST,
      now,
      scope: { kind: "service", service: "s3" },
    });
    expect(scoped.compliance).toBe("NOT_APPLICABLE");
    const deleted = defaultVpc();
    deleted.configurationItemStatus = "ResourceDeleted";
    expect(evaluate(deleted, catalogue, { rating: HIGHEST, now }).compliance).toBe("NOT_APPLICABLE");
  });

  it("a waiver may name a platform finding's id", () => {
    const waiver = {
      controlId: "PLATFORM.DEFAULT-VPC",
      accounts: ["264683526309"],
      reason: "Legacy workload still in the default VPC until its migration",
      approver: "ciso@example.com",
      granted: "2026-11-01",
      expires: "2027-03-31",
    };
    const record = evaluate(defaultVpc(), catalogue, { rating: HIGHEST, now, waivers: [waiver] });
    expect(record.compliance).toBe("COMPLIANT");
    expect(record.findings[0]).toMatchObject({ controlId: "PLATFORM.DEFAULT-VPC", status: "WAIVED" });
  });

  it("the waiver file may name a platform finding's id; an unknown PLATFORM id is still reported", () => {
    const waiverFile = (controlId: string) => ({
      file: "policies/waivers.json",
      text: JSON.stringify({
        waivers: [
          {
            controlId,
            accounts: ["264683526309"],
            reason: "Legacy workload still in the default VPC until its migration",
            approver: "ciso@example.com",
            granted: "2026-11-01",
            expires: "2027-03-31",
          },
        ],
      }),
    });
    const accepted = waiversInForce(waiverFile("PLATFORM.DEFAULT-VPC"), catalogue, now);
    expect(accepted.problems).toEqual([]);
    expect(accepted.waivers.map((w) => w.controlId)).toEqual(["PLATFORM.DEFAULT-VPC"]);
    const unknown = waiversInForce(waiverFile("PLATFORM.NO-SUCH-FINDING"), catalogue, now);
    expect(unknown.problems.map((p) => p.message).join(" ")).toContain("PLATFORM.NO-SUCH-FINDING");
  });

  it("the template path agrees: a VPC in a template is never the default one; a detector is platform-managed", () => {
    const records = evaluateTemplate(
      {
        Resources: {
          Network: { Type: "AWS::EC2::VPC", Properties: { CidrBlock: "10.0.0.0/16" } },
          Detector: { Type: "AWS::GuardDuty::Detector", Properties: { Enable: true } },
        },
      },
      catalogue,
      { rating: HIGHEST, now },
    );
    const byId = new Map(records.map((r) => [r.resourceId, r]));
    expect(byId.get("Network")?.findings[0]).toMatchObject({
      controlId: "PLATFORM.ALLOWED-SERVICE",
      status: "FAIL",
      severity: "critical",
    });
    expect(byId.get("Detector")).toMatchObject({ compliance: "COMPLIANT" });
    expect(byId.get("Detector")?.findings[0]?.message).toMatch(/platform-managed/);
  });
});

describe("the Lambda bundles' catalogue", () => {
  it("assembled from the texts and generated validators, reads the same list and gives the same records", () => {
    const validators = Object.fromEntries(
      catalogue.controls.map((c) => [
        c.id,
        c.applies ? { check: c.validate, applies: c.applies } : { check: c.validate },
      ]),
    );
    const assembled = assembleCatalogue(sources, validators);
    expect(assembled.platform?.entries).toEqual(catalogue.platform?.entries);
    expect(assembled.platform?.entries.length).toBeGreaterThan(0);
    for (const make of [defaultVpc, customVpc, detector]) {
      expect(evaluate(make(), assembled, { rating: HIGHEST, now })).toEqual(
        evaluate(make(), catalogue, { rating: HIGHEST, now }),
      );
    }
  });
});

describe("compliance validate's checks of the file", () => {
  const platformSource = sources.find((s) => s.file.endsWith("platform-resources.json"))!;
  // The file's own check against the loaded catalogue (checkCatalogue runs the same after the services).
  const problems = (resources: unknown[]) =>
    checkPlatformResources(
      { file: platformSource.file, text: JSON.stringify({ resources }, null, 2) },
      catalogue,
    ).problems.map((p) => `${p.pointer} ${p.message}`);
  const managed = (resourceType: string, extra: Record<string, unknown> = {}) => ({
    resourceType,
    iamPrefix: "x",
    disposition: "platform-managed",
    managedBy: "the security team, in every account",
    ...extra,
  });
  const defaultVpcEntry = JSON.parse(platformSource.text).resources[0];

  it("the package's own file has no problem, checked with the whole catalogue", () => {
    expect(checkCatalogue(sources).problems.filter((p) => p.file === platformSource.file)).toEqual([]);
  });

  it("rejects a type AWS Config does not record, and one a catalogue service allows already", () => {
    expect(
      problems([managed("AWS::SecurityHub::Hub"), managed("AWS::Config::ConfigurationRecorder")]),
    ).toEqual([
      '/resources/0/resourceType unknown resource type "AWS::SecurityHub::Hub": AWS Config does not record it',
      expect.stringMatching(
        /^\/resources\/1\/resourceType "AWS::Config::ConfigurationRecorder" is a type of a service the catalogue allows already \(.*config\.json\)/,
      ),
    ]);
  });

  it("rejects an entry an earlier unconditional one hides, and `where` without cases", () => {
    expect(
      problems([
        managed("AWS::GuardDuty::Detector"),
        managed("AWS::GuardDuty::Detector", { where: { "/configuration/Enable": true } }),
      ]),
    ).toEqual([
      '/resources/1 never applies: entry 0 of "AWS::GuardDuty::Detector" has no "where" and decides every item of the type first',
      '/resources/1/where an entry with "where" needs cases: real items it matches and does not match',
    ]);
  });

  it("rejects duplicate finding ids and the built-in control's id", () => {
    const taken = {
      ...defaultVpcEntry,
      finding: { ...defaultVpcEntry.finding, id: "PLATFORM.ALLOWED-SERVICE" },
    };
    expect(problems([defaultVpcEntry, defaultVpcEntry, taken])).toEqual([
      '/resources/1/finding/id duplicate finding id "PLATFORM.DEFAULT-VPC" (first in entry 0)',
      '/resources/2/finding/id finding id "PLATFORM.ALLOWED-SERVICE" is a control id already',
    ]);
  });

  it("says a finding disposition needs its finding, and a platform-managed one has none", () => {
    const { finding: _dropped, ...withoutFinding } = defaultVpcEntry;
    expect(problems([withoutFinding])).toEqual(['/resources/0 missing required property "finding"']);
    expect(problems([managed("AWS::GuardDuty::Detector", { finding: defaultVpcEntry.finding })])).toEqual([
      '/resources/0 only a "finding" disposition has a "finding"',
    ]);
    expect(problems([managed("AWS::GuardDuty::Detector", { disposition: "allowed" })])).toEqual([
      '/resources/0/disposition must be one of ["platform-managed","finding"]',
    ]);
  });

  it("reports broken JSON in one line, on line 1", () => {
    const broken = [
      ...sources.filter((s) => s !== platformSource),
      { file: platformSource.file, text: "{ nope" },
    ];
    const found = checkCatalogue(broken).problems.filter((p) => p.file === platformSource.file);
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toMatch(/^not valid JSON: /);
  });
});
