// `compliance evaluate` as a user runs it, over every real input and over broken ones: one bad
// item, element or file is one line on stderr naming it, exit 2, and every other item is still
// evaluated and reported.

import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT, runCli } from "../support/cli.ts";
import { FIXTURES, readFixture } from "../support/fixtures.ts";

type Raw = Record<string, unknown>;
const BIN = join(ROOT, "bin/compliance.mjs");
interface Output {
  results: { resourceType: string; resourceId: string; accountId: string; compliance: string }[];
  summary: { resources: number; inputErrors: number };
  problems: { source: string; message: string }[];
}

let dir: string;
const table = readFixture("ci/AWS_DynamoDB_Table/rdk-sample-ci.json") as Raw;
const topicRow = readFixture("ci-partial/AWS_SNS_Topic/c7n-select-sns-config-0.json") as Raw;
const write = (name: string, value: unknown) => {
  const file = join(dir, name);
  writeFileSync(file, typeof value === "string" || Buffer.isBuffer(value) ? value : JSON.stringify(value));
  return file;
};

/** stderr as lines, after checking that none is part of a stack trace. */
function lines(stderr: string): string[] {
  expect(stderr).not.toMatch(/^\s+at /m);
  return stderr.split("\n").filter((l) => l.length > 0);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "compliance-inputs-"));
});

const files = (kind: string) =>
  readdirSync(join(FIXTURES, kind), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".json"))
    .map((f) => join(FIXTURES, kind, f))
    .sort();

describe("every real input of test/fixtures", () => {
  it("evaluates every full item and every SelectResourceConfig row, and names each event that carries none", async () => {
    const items = [...files("ci"), ...files("ci-partial")];
    const events = files("events");
    const { code, stdout, stderr } = await runCli(["evaluate", ...items, ...events, "--format", "json"]);
    const out = JSON.parse(stdout) as Output;
    // Every problem is an event without a configuration item, one line naming its file.
    const problemLines = lines(stderr);
    expect(problemLines).toHaveLength(out.problems.length);
    for (const p of out.problems) {
      expect(events).toContain(p.source);
      expect(p.message).toMatch(/no configuration|carries no configuration|has no configurationItem/);
      expect(problemLines).toContain(`compliance evaluate: ${p.source}: ${p.message}`);
    }
    expect(out.problems.map((p) => p.source)).toEqual(
      events.filter((e) => /scheduled|oversized|delivery|compliance-change/.test(e)),
    );
    // Every item file gave a result (the snapshot and history files of events give several).
    expect(out.results.length).toBeGreaterThanOrEqual(items.length);
    expect(out.summary.resources).toBe(out.results.length);
    expect(code).toBe(2);
  });

  it("reads a SelectResourceConfig row's type from its ARN, and exits 1 when it is non-compliant", async () => {
    const { code, stdout, stderr } = await runCli([
      "evaluate",
      write("row.json", topicRow),
      "--format",
      "json",
    ]);
    expect(stderr).toBe("");
    const [result] = (JSON.parse(stdout) as Output).results;
    expect(result).toMatchObject({
      resourceType: "AWS::SNS::Topic",
      resourceId: "arn:aws:sns:ap-northeast-2:644160558196:sandbox-relay",
      accountId: "644160558196",
    });
    expect(code).toBe(result?.compliance === "NON_COMPLIANT" ? 1 : 0);
  });

  it("reads SelectResourceConfig and BatchGetResourceConfig output", async () => {
    const select = write("select.json", {
      QueryInfo: { SelectFields: [{ Name: "configuration" }] },
      Results: [JSON.stringify(topicRow), "{not json"],
    });
    const api = { ...table, accountId: "222222222222", configuration: JSON.stringify(table.configuration) };
    const batch = write("batch.json", { baseConfigurationItems: [api], unprocessedResourceKeys: [] });
    const { code, stdout, stderr } = await runCli(["evaluate", select, batch, "--format", "json"]);
    const out = JSON.parse(stdout) as Output;
    expect(out.results.map((r) => [r.resourceType, r.accountId])).toEqual([
      ["AWS::SNS::Topic", "644160558196"],
      ["AWS::DynamoDB::Table", "222222222222"],
    ]);
    expect(lines(stderr)).toEqual([`compliance evaluate: ${select}.Results[1]: row is not valid JSON`]);
    expect(code).toBe(2);
  });
});

describe("a row whose type cannot be told", () => {
  it("is one line naming the file, exit 2; --resource-type names the type", async () => {
    const { resourceId: _id, ...row } = topicRow;
    const config = { ...(row.configuration as Raw) };
    delete config.TopicArn;
    const file = write("anonymous-row.json", { ...row, configuration: config });
    const bad = await runCli(["evaluate", file, "--format", "json"]);
    expect(bad.code).toBe(2);
    expect(lines(bad.stderr)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^compliance evaluate: ${file}: configuration item has no \`resourceType\`.*, or pass --resource-type TYPE$`,
        ),
      ),
    ]);
    expect((JSON.parse(bad.stdout) as Output).results).toEqual([]);

    const named = await runCli(["evaluate", file, "--resource-type", "AWS::SNS::Topic", "--format", "json"]);
    expect(named.stderr).toBe("");
    expect((JSON.parse(named.stdout) as Output).results[0]?.resourceType).toBe("AWS::SNS::Topic");

    const unknown = await runCli(["evaluate", file, "--resource-type", "AWS::SNS::Topik"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /^compliance evaluate: --resource-type: unknown resource type "AWS::SNS::Topik"/,
    );
  });
});

describe("one bad item never stops the others", () => {
  it("an array with bad elements: the others are evaluated, each bad one named by index", async () => {
    const file = write("array.json", [table, 42, { hello: "world" }, { ...table, resourceId: "second" }]);
    const { code, stdout, stderr } = await runCli(["evaluate", file, "--format", "json"]);
    const out = JSON.parse(stdout) as Output;
    expect(out.results.map((r) => r.resourceId)).toEqual(["test", "second"]);
    expect(lines(stderr)).toEqual([
      expect.stringMatching(new RegExp(`^compliance evaluate: ${file}\\[1\\]: not a configuration item`)),
      expect.stringMatching(new RegExp(`^compliance evaluate: ${file}\\[2\\]: not a configuration item`)),
    ]);
    expect(out.summary.inputErrors).toBe(2);
    expect(code).toBe(2);
  });

  it("a snapshot (.json.gz) with a bad element: the others are evaluated", async () => {
    const { configurationItemStatus: _status, configuration: _c, ...broken } = table;
    const file = write(
      "snapshot.json.gz",
      gzipSync(JSON.stringify({ configurationItems: [table, broken, { ...table, resourceId: "third" }] })),
    );
    const { code, stdout, stderr } = await runCli(["evaluate", file, "--format", "json"]);
    expect((JSON.parse(stdout) as Output).results.map((r) => r.resourceId)).toEqual(["test", "third"]);
    expect(lines(stderr)).toEqual([
      expect.stringMatching(new RegExp(`^compliance evaluate: ${file}\\.configurationItems\\[1\\]: `)),
    ]);
    expect(code).toBe(2);
  });

  it("a directory with an unreadable file and a broken one: the others are evaluated", async () => {
    const tree = join(dir, "tree");
    mkdirSync(tree);
    writeFileSync(join(tree, "a.json"), JSON.stringify(table));
    writeFileSync(join(tree, "b.json"), "{oops");
    symlinkSync(join(dir, "nowhere.json"), join(tree, "c.json"));
    writeFileSync(join(tree, "d.json"), JSON.stringify({ ...table, resourceId: "last" }));
    const { code, stdout, stderr } = await runCli(["evaluate", tree, "--format", "json"]);
    expect((JSON.parse(stdout) as Output).results.map((r) => r.resourceId)).toEqual(["test", "last"]);
    expect(lines(stderr)).toEqual([
      expect.stringMatching(new RegExp(`^compliance evaluate: ${tree}/b\\.json: not valid JSON`)),
      `compliance evaluate: ${tree}/c.json: cannot read: no such file or directory`,
    ]);
    expect(code).toBe(2);
  });

  it("the table format reports the same problems and still lists the resources", async () => {
    const file = write("array2.json", [table, "nope"]);
    const { code, stdout, stderr } = await runCli(["evaluate", file]);
    expect(stdout).toMatch(/AWS::DynamoDB::Table/);
    expect(lines(stderr)).toEqual([
      expect.stringMatching(new RegExp(`^compliance evaluate: ${file}\\[1\\]: `)),
    ]);
    expect(code).toBe(2);
  });
});

describe("output that cannot be written", () => {
  it("a reader that goes away (`| head`): no stack trace, and no success", async () => {
    // Five times every real item: far more than a pipe holds, so writing goes on after the reader left.
    const ci = join(FIXTURES, "ci");
    const child = spawn(process.execPath, [BIN, "evaluate", ci, ci, ci, ci, ci, "--format", "json"], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += String(chunk);
    });
    child.stdout.once("data", () => child.stdout.destroy());
    const code = await new Promise<number | null>((done) => child.on("close", done));
    expect(stderr).toBe("");
    // The verdict when it was reached before the write failed, else 2: never 0.
    expect([1, 2]).toContain(code);
  });

  it("is one line naming the path, exit 2", async () => {
    const table1 = write("one.json", table);
    for (const option of ["--out", "--html"]) {
      const { code, stderr } = await runCli(["evaluate", table1, option, dir]);
      expect(code).toBe(2);
      expect(lines(stderr)).toEqual([
        `compliance evaluate: ${dir}: cannot write the report: it is a directory`,
      ]);
    }
  });
});
