import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { readInputs } from "../../cli/inputs.ts";
import { runCli } from "../support/cli.ts";
import { readFixture } from "../support/fixtures.ts";

let dir: string;
const table = readFixture("ci/AWS_DynamoDB_Table/rdk-sample-ci.json") as Record<string, unknown>;
const bucket = readFixture("ci/AWS_S3_Bucket/rdk-sample-ci.json") as Record<string, unknown>;
const instance = readFixture("ci/AWS_EC2_Instance/rdk-sample-ci.json") as Record<string, unknown>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "compliance-cli-"));
  writeFileSync(join(dir, "table.json"), JSON.stringify(table));
  writeFileSync(join(dir, "not-json.json"), '{"configuration": ');
  writeFileSync(join(dir, "wrong-shape.json"), JSON.stringify({ hello: "world" }));
  const snapshot = {
    fileVersion: "1.0",
    configSnapshotId: "x",
    configurationItems: [table, bucket, instance],
  };
  writeFileSync(join(dir, "snapshot.json.gz"), gzipSync(JSON.stringify(snapshot)));
  writeFileSync(join(dir, "truncated.json.gz"), gzipSync(JSON.stringify(snapshot)).subarray(0, 60));
  writeFileSync(
    join(dir, "accounts.json"),
    JSON.stringify({ "123456789012": { tags: { "cia-rating": "C1I1A1", environment: "development" } } }),
  );
  mkdirSync(join(dir, "tree/nested"), { recursive: true });
  writeFileSync(join(dir, "tree/a.json"), JSON.stringify([table, bucket]));
  writeFileSync(join(dir, "tree/nested/b.json"), JSON.stringify(instance));
  writeFileSync(join(dir, "tree/notes.txt"), "ignored");
});

const json = (stdout: string) =>
  JSON.parse(stdout) as {
    results: {
      resourceType: string;
      resourceId: string;
      compliance: string;
      annotation: string;
      findings: unknown[];
    }[];
    summary: { resources: number; byCompliance: Record<string, number> };
    problems: { source: string; message: string }[];
  };

describe("compliance evaluate", () => {
  it("writes the documented JSON for a single item", async () => {
    const { code, stdout, stderr } = await runCli(["evaluate", join(dir, "table.json"), "--format", "json"]);
    expect(stderr).toBe("");
    const out = json(stdout);
    expect(out.results).toHaveLength(1);
    const [result] = out.results;
    expect(result).toMatchObject({
      resourceType: "AWS::DynamoDB::Table",
      resourceId: "test",
      accountId: "123456789012",
      region: "us-east-2",
      required: { c: 3, i: 3, a: 3 },
    });
    expect(["COMPLIANT", "NON_COMPLIANT"]).toContain(result?.compliance);
    expect(result?.annotation.length).toBeGreaterThan(0);
    expect(result?.annotation.length).toBeLessThanOrEqual(256);
    expect(code).toBe(result?.compliance === "NON_COMPLIANT" ? 1 : 0);
    for (const f of (result?.findings ?? []) as Record<string, unknown>[]) {
      expect(Object.keys(f)).toEqual(expect.arrayContaining(["controlId", "status", "severity", "message"]));
    }
  });

  it("reads a gzipped snapshot, and makes a resource of a forbidden service NON_COMPLIANT (exit 1)", async () => {
    const { code, stdout } = await runCli(["evaluate", join(dir, "snapshot.json.gz"), "--format", "json"]);
    const out = json(stdout);
    expect(out.results.map((r) => r.resourceType)).toEqual([
      "AWS::DynamoDB::Table",
      "AWS::S3::Bucket",
      "AWS::EC2::Instance",
    ]);
    expect(out.results[2]?.compliance).toBe("NON_COMPLIANT");
    expect(out.summary.resources).toBe(3);
    expect(code).toBe(1);
  });

  it("applies account ratings from --accounts", async () => {
    const { stdout } = await runCli([
      "evaluate",
      join(dir, "table.json"),
      "--format",
      "json",
      "--accounts",
      join(dir, "accounts.json"),
    ]);
    expect(json(stdout).results[0]).toMatchObject({ required: { c: 1, i: 1, a: 1 } });
  });

  it("walks directories for .json and .json.gz files", async () => {
    const { stdout } = await runCli(["evaluate", join(dir, "tree"), "--format", "json"]);
    expect(json(stdout).results.map((r) => r.resourceType)).toEqual([
      "AWS::DynamoDB::Table",
      "AWS::S3::Bucket",
      "AWS::EC2::Instance",
    ]);
  });

  it("evaluates a Lambda invocation event", async () => {
    const fallback = join(dir, "event.json");
    writeFileSync(
      fallback,
      JSON.stringify({
        invokingEvent: JSON.stringify({
          messageType: "ConfigurationItemChangeNotification",
          configurationItem: table,
        }),
        ruleParameters: "{}",
        resultToken: "TESTMODE",
        eventLeftScope: false,
      }),
    );
    const { stdout } = await runCli(["evaluate", fallback, "--format", "json"]);
    expect(json(stdout).results[0]?.resourceType).toBe("AWS::DynamoDB::Table");
  });

  it.each([
    ["not-json.json", /not-json\.json: not valid JSON/],
    ["wrong-shape.json", /wrong-shape\.json: not a configuration item/],
    ["truncated.json.gz", /truncated\.json\.gz: cannot decompress/],
    ["missing.json", /missing\.json: no such file or directory/],
  ])("reports %s in one line, exits 2, and still evaluates the other inputs", async (file, message) => {
    const { code, stdout, stderr } = await runCli([
      "evaluate",
      join(dir, file),
      join(dir, "table.json"),
      "--format",
      "json",
    ]);
    expect(code).toBe(2);
    const lines = stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
    const out = json(stdout);
    expect(out.results).toHaveLength(1);
    expect(out.problems).toHaveLength(1);
  });

  // In process: the same dispatch and exit code as the launcher's (cli/run.ts). Exit 2 with one
  // line on bad input from a separate `evaluate` process: test/cli/evaluate-template.test.ts.
  it("rejects a bad accounts file and bad usage with exit 2 and one line", async () => {
    writeFileSync(join(dir, "bad-accounts.json"), JSON.stringify({ "12": { tags: {} } }));
    const bad = await runCli([
      "evaluate",
      join(dir, "table.json"),
      "--accounts",
      join(dir, "bad-accounts.json"),
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    expect(bad.stderr.trim()).toMatch(/bad-accounts\.json: "12" is not a 12-digit account id$/);
    expect(bad.stdout).toBe("");
    const usage = await runCli(["evaluate", "--format", "yaml"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/unknown format "yaml"/);
    expect((await runCli(["evaluate", "--bogus"])).code).toBe(2);
    expect((await runCli(["nonsense"])).code).toBe(2);
  });

  it("prints a table grouped by account, without colours when not on a TTY", async () => {
    const { stdout } = await runCli([
      "evaluate",
      join(dir, "snapshot.json.gz"),
      "--accounts",
      join(dir, "accounts.json"),
    ]);
    expect(stdout).toMatch(/Account 123456789012 \(development\)/);
    expect(stdout).toMatch(
      /required C1I1A1: [01] of 1 evaluated meet it \(C \d+%, I \d+%, A \d+%\); 1 resource:/,
    );
    expect(stdout).toMatch(/Account \d{12} \(unclassified: highest rating applied\)\n {2}required C3I3A3/);
    expect(stdout).toMatch(/NON_COMPLIANT +AWS::EC2::Instance/);
    expect(stdout.includes(String.fromCharCode(27))).toBe(false);
  });

  it("writes the report to --out and says where", async () => {
    const out = join(dir, "out/report.json");
    const { stderr } = await runCli(["evaluate", join(dir, "table.json"), "--format", "json", "--out", out]);
    expect(stderr).toMatch(/wrote the json report to/);
    expect(json(readFileSync(out, "utf8")).results).toHaveLength(1);
  });
});

describe("streaming inputs", () => {
  it("streams a snapshot item by item, with the same items as parsing it whole", async () => {
    const items = Array.from({ length: 500 }, (_, i) => ({ ...table, resourceId: `t${i}` }));
    const file = join(dir, "large.json.gz");
    writeFileSync(file, gzipSync(JSON.stringify({ fileVersion: "1.0", configurationItems: items })));
    const streamed: unknown[] = [];
    for await (const e of readInputs([file])) if (e.kind === "item") streamed.push(e.item.raw);
    const whole = (
      JSON.parse(gunzipSync(readFileSync(file)).toString("utf8")) as { configurationItems: unknown[] }
    ).configurationItems;
    expect(streamed).toHaveLength(500);
    expect(streamed).toEqual(whole);
    expect((streamed[499] as { resourceId: string }).resourceId).toBe("t499");
  });

  it("reports a truncated large file after the items it could read", async () => {
    const items = Array.from({ length: 200 }, (_, i) => ({ ...table, resourceId: `t${i}` }));
    const file = join(dir, "cut.json");
    writeFileSync(file, JSON.stringify(items).slice(0, 20_000));
    const events = [];
    for await (const e of readInputs([file])) events.push(e);
    const problems = events.filter((e) => e.kind === "problem");
    expect(problems).toHaveLength(1);
    expect(events.filter((e) => e.kind === "item").length).toBeGreaterThan(5);
  });
});
