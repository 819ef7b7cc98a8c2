// SARIF output checked against the SARIF 2.1.0 JSON schema (test/report/sarif-schema.ts).

import type { Result } from "sarif";
import { describe, expect, it } from "vitest";
import { checkCatalogue } from "../../engine/catalogue.ts";
import { renderSarif, renderValidationSarif } from "../../engine/report/sarif.ts";
import { checkWaivers } from "../../engine/waivers.ts";
import { readPolicySources } from "../../loader/policy-files.ts";
import { dynamodbSource } from "../diff/policy-edit.ts";
import { repositoryCatalogue } from "../support/catalogue.ts";
import { sampleInput, UNTAGGED } from "./sample-input.ts";
import { expectValid, validateSarif } from "./sarif-schema.ts";

describe("the SARIF schema check", () => {
  it("rejects a log that is not SARIF 2.1.0", () => {
    expect(validateSarif({ version: "2.0.0", runs: [] })).toBe(false);
    expect(validateSarif({ version: "2.1.0", runs: [{ tool: { driver: {} } }] })).toBe(false);
    expect(
      validateSarif({ version: "2.1.0", runs: [{ tool: { driver: { name: "x" } }, results: [{}] }] }),
    ).toBe(false);
  });
});

describe("renderSarif (evaluate)", () => {
  const input = sampleInput();
  const log = renderSarif(input);
  const run = log.runs[0]!;
  const rules = run.tool.driver.rules ?? [];

  it("is valid SARIF 2.1.0", () => {
    expect(log.version).toBe("2.1.0");
    expectValid(log);
  });

  it("has a rule per control with help text (rationale + remediation) and severity", () => {
    const ids = rules.map((r) => r.id);
    expect(ids).toEqual(["PLATFORM.ALLOWED-SERVICE", ...input.catalogue.controls.map((c) => c.id)]);
    for (const control of input.catalogue.controls) {
      const rule = rules.find((r) => r.id === control.id)!;
      expect(rule.shortDescription?.text).toBe(control.title);
      expect(rule.help?.text).toContain(control.rationale);
      expect(rule.help?.text).toContain(control.remediation.console);
      expect(rule.help?.text).toContain(control.remediation.cloudformation);
      expect(rule.help?.markdown).toContain(control.rationale);
      const expected = { critical: "error", high: "error", medium: "warning", low: "note" }[control.severity];
      expect(rule.defaultConfiguration?.level).toBe(expected);
      const score = Number(rule.properties?.["security-severity"]);
      expect(score).toBeGreaterThan(0);
      expect(score).toBeLessThanOrEqual(10);
    }
    const critical = rules.find((r) => r.id === "PLATFORM.ALLOWED-SERVICE")!;
    expect(Number(critical.properties?.["security-severity"])).toBeGreaterThanOrEqual(9);
  });

  it("has a result per failing required control per resource, located by ARN", () => {
    const expected = input.records.flatMap((r) =>
      r.findings
        .filter((f) => f.required && (f.status === "FAIL" || f.status === "WAIVED"))
        .map((f) => `${r.arn}|${f.controlId}`),
    );
    const results = run.results ?? [];
    expect(
      results.map((r) => `${r.locations?.[0]?.logicalLocations?.[0]?.fullyQualifiedName}|${r.ruleId}`),
    ).toEqual(expected);
    for (const result of results) {
      expect(rules[result.ruleIndex!]?.id).toBe(result.ruleId);
      expect(result.locations?.[0]?.logicalLocations?.[0]?.fullyQualifiedName).toMatch(/^arn:aws:/);
    }
    // Not-required failures (the development account's table) are not results.
    expect(input.records.some((r) => r.findings.some((f) => f.status === "FAIL" && !f.required))).toBe(true);
  });

  it("marks a waived failure as suppressed, with the waiver's justification", () => {
    const waived = (run.results ?? []).filter((r: Result) => r.suppressions?.length);
    expect(waived).toHaveLength(1);
    expect(waived[0]!.properties?.accountId).toBe(UNTAGGED);
    expect(waived[0]!.suppressions?.[0]?.justification).toContain("rebuilt nightly");
  });

  it("reports unreadable inputs as tool notifications", () => {
    const notes = run.invocations?.[0]?.toolExecutionNotifications ?? [];
    expect(notes.map((n) => n.message.text)).toEqual([
      "snapshots/broken.json: not valid JSON: Unexpected end of input",
    ]);
  });
});

describe("renderSarif over the whole catalogue", () => {
  it("makes every control of the repository's catalogue a valid rule", () => {
    const catalogue = repositoryCatalogue();
    const log = renderSarif({ ...sampleInput(), catalogue });
    expectValid(log);
    // The built-in control, the catalogue's, and the findings of policies/platform-resources.json.
    const platformIds = (catalogue.platform?.entries ?? []).flatMap((e) => (e.finding ? [e.finding.id] : []));
    expect(platformIds).toContain("PLATFORM.DEFAULT-VPC");
    const rules = log.runs[0]!.tool.driver.rules ?? [];
    expect(rules.map((r) => r.id)).toEqual([
      "PLATFORM.ALLOWED-SERVICE",
      ...catalogue.controls.map((c) => c.id),
      ...platformIds,
    ]);
    const defaultVpc = rules.find((r) => r.id === "PLATFORM.DEFAULT-VPC")!;
    expect(defaultVpc.help?.text).toContain("break-glass");
    expect(defaultVpc.defaultConfiguration?.level).toBe("warning");
  });
});

describe("renderValidationSarif (validate)", () => {
  const good = readPolicySources();
  const dynamodb = dynamodbSource();
  // A broken copy: an unknown property on the second control, and the first control's id reused.
  const value = JSON.parse(dynamodb.text) as { controls: Record<string, unknown>[] };
  value.controls[1]!.colour = "blue";
  const brokenText = JSON.stringify(value, null, 2);
  const copy = { file: "policies/dynamodb-copy.json", text: brokenText.replace('"dynamodb"', '"dynamodb2"') };
  // A valid copy under another service name: every control id is a duplicate.
  const twin = { file: "policies/twin.json", text: dynamodb.text.replace('"dynamodb"', '"twin"') };
  const { problems } = checkCatalogue([dynamodb, copy, twin]);

  const lineOf = (text: string, needle: string) => text.split("\n").findIndex((l) => l.includes(needle)) + 1;

  it("locates each problem at file, line and column, and is valid SARIF", () => {
    expect(problems.length).toBeGreaterThanOrEqual(1);
    // The files listed, and any file a problem names, are the run's artifacts.
    const log = renderValidationSarif(problems, [dynamodb, copy]);
    expectValid(log);
    const results = log.runs[0]!.results ?? [];
    expect(results).toHaveLength(problems.length);
    const unknown = results.find((r) => r.message.text?.includes('unknown property "colour"'))!;
    const where = unknown.locations![0]!.physicalLocation!;
    expect(where.artifactLocation?.uri).toBe("policies/dynamodb-copy.json");
    expect(unknown.level).toBe("error");
    // Reported at the object that has the unknown property: the "{" opening the second control.
    const line = lineOf(copy.text, '"id": "DDB.ON-DEMAND"') - 1;
    expect(copy.text.split("\n")[line - 1]!.trim()).toBe("{");
    expect(where.region?.startLine).toBe(line);
    expect(where.region?.startColumn).toBe(copy.text.split("\n")[line - 1]!.indexOf("{") + 1);
    expect(log.runs[0]!.artifacts?.map((a) => a.location?.uri)).toEqual([
      "policies/dynamodb.json",
      "policies/dynamodb-copy.json",
      "policies/twin.json",
    ]);
    // Every result's artifact index points at its file.
    for (const r of results) {
      const loc = r.locations![0]!.physicalLocation!.artifactLocation!;
      expect(log.runs[0]!.artifacts![loc.index!]!.location?.uri).toBe(loc.uri);
    }
  });

  it("places a duplicate control id on the line of that id", () => {
    const log = renderValidationSarif(problems, [dynamodb, copy, twin]);
    const dup = (log.runs[0]!.results ?? []).find((r) =>
      r.message.text?.includes('duplicate control id "DDB.PITR"'),
    )!;
    expect(dup.locations![0]!.physicalLocation!.artifactLocation!.uri).toBe("policies/twin.json");
    const region = dup.locations![0]!.physicalLocation!.region!;
    expect(region.startLine).toBe(lineOf(twin.text, '"id": "DDB.PITR"'));
    expect(region.startColumn).toBe(twin.text.split("\n")[region.startLine! - 1]!.indexOf('"id"') + 1);
  });

  it("carries waiver problems and warnings, and is valid with no problems at all", () => {
    const waivers = checkWaivers(
      "policies/waivers.json",
      '{\n  "waivers": [\n    { "controlId": "NOPE.1", "reason": "r", "approver": "a@example.com", "granted": "2026-01-01", "expires": "2026-02-01" }\n  ]\n}\n',
      new Date("2026-01-10T00:00:00Z"),
      new Set(["DDB.PITR"]),
    );
    const mixed = [
      ...waivers.problems,
      { ...waivers.problems[0]!, level: "warning" as const, message: "a warning" },
    ];
    const log = renderValidationSarif(mixed, ["policies/waivers.json"]);
    expectValid(log);
    expect(log.runs[0]!.results?.map((r) => r.level)).toEqual([
      ...waivers.problems.map(() => "error"),
      "warning",
    ]);
    expect(log.runs[0]!.results?.[0]?.locations?.[0]?.physicalLocation?.region?.startLine).toBe(3);
    const clean = renderValidationSarif([], good);
    expectValid(clean);
    expect(clean.runs[0]!.results).toEqual([]);
  });
});
