// The JSON documents of `evaluate` and `catalogue --format json`, field by field, through the CLI as a
// separate process, and the CIA rules as `--accounts` applies them (in process). The `evaluate`
// process is also the smoke test of its input: without `-` it evaluates the sample organisation
// and leaves what is piped to it unread (`evaluate -` reading its own stdin:
// test/cli/reader/evaluate-reading.test.ts).

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type CliResult, cli, runCli } from "../support/cli.ts";
import { readFixture } from "../support/fixtures.ts";

type Raw = Record<string, unknown>;

const LEVELS = (min: number) => ({
  c: expect.toSatisfy((n: number) => Number.isInteger(n) && n >= min && n <= 3),
  i: expect.toSatisfy((n: number) => Number.isInteger(n) && n >= min && n <= 3),
  a: expect.toSatisfy((n: number) => Number.isInteger(n) && n >= min && n <= 3),
});

describe("evaluate --format json (the documented fields)", () => {
  let run: CliResult;
  let out: { results: Raw[]; summary: Raw };
  beforeAll(() => {
    // An item on stdin that must not be read: without `-`, the sample organisation is evaluated.
    const piped = {
      ...(readFixture("ci/AWS_DynamoDB_Table/rdk-sample-ci.json") as Raw),
      resourceId: "ignored",
    };
    run = cli(["evaluate", "--format", "json"], { input: `${JSON.stringify(piped)}\n` });
    out = JSON.parse(run.stdout) as typeof out;
  });

  it("is one JSON document with results and a summary, and nothing on stderr", () => {
    expect(run.stderr).toBe("");
    expect(run.code).toBe(1);
    expect(out.results.length).toBeGreaterThanOrEqual(30);
    expect(out.summary).toEqual(expect.any(Object));
  });

  it("evaluates the sample organisation, and leaves stdin unread, without `-`", () => {
    expect(out.results.map((r) => r.resourceId)).not.toContain("ignored");
  });

  it("gives every result the documented fields and values", () => {
    const statuses = new Set<unknown>();
    const compliance = new Set<unknown>();
    for (const result of out.results) {
      expect(result).toEqual(
        expect.objectContaining({
          resourceType: expect.stringMatching(/^AWS::(\w+::\w+|::Account)$/),
          resourceId: expect.any(String),
          accountId: expect.stringMatching(/^\d{12}$/),
          region: expect.any(String),
          compliance: expect.stringMatching(/^(COMPLIANT|NON_COMPLIANT|NOT_APPLICABLE)$/),
          annotation: expect.any(String),
          required: LEVELS(1),
          achieved: LEVELS(0),
          findings: expect.any(Array),
        }),
      );
      expect(Object.keys(result.required as Raw).sort()).toEqual(["a", "c", "i"]);
      expect(Object.keys(result.achieved as Raw).sort()).toEqual(["a", "c", "i"]);
      const annotation = result.annotation as string;
      expect(annotation.length).toBeGreaterThan(0);
      expect(annotation.length).toBeLessThanOrEqual(256);
      compliance.add(result.compliance);
      for (const finding of result.findings as Raw[]) {
        expect(finding).toEqual(
          expect.objectContaining({
            controlId: expect.any(String),
            status: expect.stringMatching(/^(FAIL|PASS|WAIVED|SKIP)$/),
            severity: expect.stringMatching(/^(low|medium|high|critical)$/),
            message: expect.any(String),
          }),
        );
        statuses.add(finding.status);
      }
      if (result.compliance === "NON_COMPLIANT") {
        expect((result.findings as Raw[]).some((f) => f.status === "FAIL" && f.required === true)).toBe(true);
      }
    }
    // The sample organisation shows every value of both enumerations.
    expect([...compliance].sort()).toEqual(["COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE"]);
    expect([...statuses].sort()).toEqual(["FAIL", "PASS", "SKIP", "WAIVED"]);
  });
});

describe("catalogue --format json (the documented fields)", () => {
  it("lists services with their IAM prefixes and resource types, and controls with the documented fields", () => {
    const { code, stdout, stderr } = cli(["catalogue", "--format", "json"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as { services: Raw[]; controls: Raw[] };
    expect(out.services.length).toBeGreaterThanOrEqual(5);
    for (const service of out.services) {
      expect(service).toEqual(
        expect.objectContaining({
          service: expect.stringMatching(/^[a-z0-9-]+$/),
          iamPrefixes: expect.any(Array),
          resourceTypes: expect.any(Array),
        }),
      );
      for (const prefix of service.iamPrefixes as unknown[]) expect(prefix).toMatch(/^[a-z0-9-]+$/);
      for (const type of service.resourceTypes as unknown[])
        expect(type).toMatch(/^AWS::(\w+::\w+|::Account)$/);
    }
    const services = new Set(out.services.map((s) => s.service));
    for (const name of ["dynamodb", "lambda", "s3", "sns", "sqs"]) expect(services).toContain(name);
    const ids = new Set<unknown>();
    for (const control of out.controls) {
      expect(control).toEqual(
        expect.objectContaining({
          id: expect.any(String),
          service: expect.any(String),
          resourceType: expect.any(String),
          title: expect.any(String),
          severity: expect.stringMatching(/^(low|medium|high|critical)$/),
          cia: expect.any(Object),
          references: expect.any(Array),
        }),
      );
      expect(services).toContain(control.service);
      const owner = out.services.find((s) => s.service === control.service);
      expect(owner?.resourceTypes).toContain(control.resourceType);
      const cia = control.cia as Record<string, unknown>;
      expect(Object.keys(cia).length).toBeGreaterThan(0);
      for (const [dimension, level] of Object.entries(cia)) {
        expect(["c", "i", "a"]).toContain(dimension);
        expect([1, 2, 3]).toContain(level);
      }
      for (const reference of control.references as unknown[]) expect(reference).toEqual(expect.any(String));
      expect(ids.has(control.id)).toBe(false);
      ids.add(control.id);
    }
  });
});

describe("--accounts (ratings from account tags)", () => {
  const dir = mkdtempSync(join(tmpdir(), "compliance-accounts-"));
  const table = readFixture("ci/AWS_DynamoDB_Table/rdk-sample-ci.json") as Raw;
  const accounts: Record<string, unknown> = {
    "111111111111": { tags: { "cia-rating": "C1I1A1", environment: "production" } },
    "222222222222": { tags: { "cia-rating": "C4I1A1", environment: "development" } },
    "333333333333": { tags: { "cia-rating": "C1I2A3", environment: "development" } },
    "444444444444": { tags: {} },
    "555555555555": { tags: { "CIA-Rating": " c1i1a1 ", Environment: "Production" } },
    "666666666666": {
      tags: { "cia-rating": "C1I1A1", environment: "development", owner: "dev@bank.example" },
    },
    // 777777777777 is not in the file.
  };
  const items = join(dir, "items.json");
  const file = join(dir, "accounts.json");
  beforeAll(() => {
    const ids = [...Object.keys(accounts), "777777777777"];
    writeFileSync(items, JSON.stringify(ids.map((accountId) => ({ ...table, accountId }))));
    writeFileSync(file, JSON.stringify(accounts));
  });

  it("applies each account's rating: production forces C3I3A3, a missing or malformed rating is the highest", async () => {
    const { stdout } = await runCli(["evaluate", items, "--accounts", file, "--format", "json"]);
    const results = (JSON.parse(stdout) as { results: Raw[] }).results;
    const required = Object.fromEntries(results.map((r) => [r.accountId, r.required]));
    const HIGHEST = { c: 3, i: 3, a: 3 };
    expect(required).toEqual({
      "111111111111": HIGHEST,
      "222222222222": HIGHEST,
      "333333333333": { c: 1, i: 2, a: 3 },
      "444444444444": HIGHEST,
      "555555555555": HIGHEST,
      "666666666666": { c: 1, i: 1, a: 1 },
      "777777777777": HIGHEST,
    });
    // The rating decides which failing controls count: the same table passes at C1I1A1 only.
    const compliance = Object.fromEntries(results.map((r) => [r.accountId, r.compliance]));
    expect(compliance["666666666666"]).toBe("COMPLIANT");
    expect(compliance["111111111111"]).toBe("NON_COMPLIANT");
    const low = results.find((r) => r.accountId === "666666666666")!;
    const high = results.find((r) => r.accountId === "111111111111")!;
    const failing = (r: Raw) =>
      (r.findings as Raw[]).filter((f) => f.status === "FAIL").map((f) => f.controlId);
    expect(failing(low)).toEqual(failing(high));
    expect((low.findings as Raw[]).every((f) => f.status !== "FAIL" || f.required === false)).toBe(true);
  });

  it("shows in the table where an account's rating came from", async () => {
    const { stdout } = await runCli(["evaluate", items, "--accounts", file]);
    expect(stdout).toMatch(/Account 111111111111 \(production\)\n {2}required C3I3A3/);
    expect(stdout).toMatch(
      /Account 222222222222 \(.*unclassified: highest rating applied\)\n {2}required C3I3A3/,
    );
    expect(stdout).toMatch(
      /Account 777777777777 \(unclassified: highest rating applied\)\n {2}required C3I3A3/,
    );
    expect(stdout).toMatch(/Account 666666666666 \(development, dev@bank\.example\)\n {2}required C1I1A1/);
  });

  it("rejects an accounts file that is not JSON or not the documented shape: one line naming it, exit 2", async () => {
    for (const [name, text, reason] of [
      ["not-json.json", "{", /not valid JSON/],
      ["array.json", "[]", /expected an object/],
      [
        "bad-tags.json",
        JSON.stringify({ "111111111111": { tags: ["C1I1A1"] } }),
        /\/111111111111\/tags: must be an object of tag names to values/,
      ],
    ] as const) {
      const path = join(dir, name);
      writeFileSync(path, text);
      const { code, stdout, stderr } = await runCli([
        "evaluate",
        items,
        "--accounts",
        path,
        "--format",
        "json",
      ]);
      expect(code).toBe(2);
      expect(stdout).toBe("");
      expect(stderr.trim().split("\n")).toEqual([
        expect.stringMatching(new RegExp(`^compliance evaluate: ${path}: `)),
      ]);
      expect(stderr).toMatch(reason);
    }
  });
});
