// The report formats through the CLI (in process), as CI runs them: `evaluate --format sarif|html`,
// `validate --format sarif` on a broken policy, `test --format junit`.

import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { XMLValidator } from "fast-xml-parser";
import type { Log } from "sarif";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, runCli } from "../support/cli.ts";
import { expectValid } from "./sarif-schema.ts";

describe("report formats through the CLI", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "report-formats-"));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("evaluate --format sarif: valid SARIF for the sample organisation, a result per failing required control", async () => {
    const sarif = await runCli(["evaluate", "--format", "sarif"]);
    expect(sarif.code).toBe(1); // the sample organisation has non-compliant resources
    const log = JSON.parse(sarif.stdout) as Log;
    expectValid(log);
    const json = JSON.parse((await runCli(["evaluate", "--format", "json"])).stdout) as {
      results: { findings: { status: string; required: boolean }[] }[];
    };
    const expected = json.results.flatMap((r) =>
      r.findings.filter((f) => f.required && (f.status === "FAIL" || f.status === "WAIVED")),
    );
    const results = log.runs[0]!.results ?? [];
    expect(results.length).toBe(expected.length);
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) {
      expect(r.kind).toBe("fail");
      // An account item has no ARN of its own: it is named account/region/type/id.
      expect(r.locations?.[0]?.logicalLocations?.[0]?.fullyQualifiedName).toMatch(
        /^arn:aws:|^\d{12}\/[a-z0-9-]+\/AWS::::Account\//,
      );
    }
  });

  it("evaluate --format html --out FILE: one page with every sample account", async () => {
    const out = join(dir, "report.html");
    const run = await runCli(["evaluate", "--format", "html", "--out", out]);
    expect(run.code).toBe(1);
    const html = readFileSync(out, "utf8");
    const accounts = JSON.parse(
      readFileSync(join(ROOT, "samples/organisation/accounts.json"), "utf8"),
    ) as Record<string, { name: string }>;
    for (const [id, { name }] of Object.entries(accounts)) {
      expect(html).toContain(`id="account-${id}"`);
      expect(html).toContain(name);
    }
  });

  it("validate --format sarif: a broken policy file's problem at its line, exit 1", async () => {
    const policies = join(dir, "policies");
    cpSync(join(ROOT, "test/fixtures/policies/dynamodb.json"), join(policies, "dynamodb.json"));
    const text = readFileSync(join(policies, "dynamodb.json"), "utf8").replace(
      '"severity": "medium"',
      '"severity": "urgent"',
    );
    writeFileSync(join(policies, "dynamodb.json"), text);
    const run = await runCli(["validate", "--policies", policies, "--format", "sarif"], { cwd: dir });
    expect(run.code).toBe(1);
    const log = JSON.parse(run.stdout) as Log;
    expectValid(log);
    const result = log.runs[0]!.results!.find((r) => r.message.text?.includes("/controls/1/severity"))!;
    const location = result.locations![0]!.physicalLocation!;
    expect(location.artifactLocation?.uri).toBe("policies/dynamodb.json");
    const line = text.split("\n").findIndex((l) => l.includes('"severity": "urgent"')) + 1;
    expect(location.region?.startLine).toBe(line);
    expect(location.region?.startColumn).toBe(text.split("\n")[line - 1]!.indexOf('"severity"') + 1);
  });

  it("test --format junit: a well-formed report with a test case per control case", async () => {
    const run = await runCli(["test", "--format", "junit"]);
    expect(XMLValidator.validate(run.stdout)).toBe(true);
    const json = JSON.parse((await runCli(["test", "--format", "json"])).stdout) as { results: unknown[] };
    expect(run.stdout.match(/<testcase /g)?.length).toBe(json.results.length);
  });
});
