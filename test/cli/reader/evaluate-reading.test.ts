// `compliance evaluate` reading what users give it, run in process: no silent green (nothing read
// is exit 2; every skipped file named), NDJSON, stdin, any-case extensions, a directory's
// accounts.json, BOMs and UTF-16, and reports that never destroy their inputs.

import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { cli } from "../../support/cli.ts";
import { readFixture } from "../../support/fixtures.ts";
import { lines, report, runEvaluate } from "./run-evaluate.ts";

type Raw = Record<string, unknown>;
let dir: string;
const table = readFixture("ci/AWS_DynamoDB_Table/rdk-sample-ci.json") as Raw;
const bucket = readFixture("ci/AWS_S3_Bucket/rdk-sample-ci.json") as Raw;
const named = (id: string) => ({ ...table, resourceId: id });

function put(name: string, content: string | Buffer | unknown): string {
  const file = join(dir, name);
  mkdirSync(join(file, ".."), { recursive: true });
  writeFileSync(
    file,
    typeof content === "string" || Buffer.isBuffer(content) ? content : JSON.stringify(content),
  );
  return file;
}

const ndjson = (items: unknown[]) => `${items.map((i) => JSON.stringify(i)).join("\n")}\n`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "compliance-reading-"));
});

describe("no silent green", () => {
  it("reads .json, .jsonl and .ndjson.gz in any case, and names every file it skips", async () => {
    put("mixed/A.JSON", named("upper"));
    put("mixed/b.jsonl", ndjson([named("line1"), named("line2")]));
    put("mixed/c.txt", JSON.stringify(named("text")));
    put("mixed/d.NDJSON.GZ", gzipSync(ndjson([named("zipped")])));
    put("mixed/e.json.bak", "{}");
    const run = await runEvaluate([join(dir, "mixed"), "--format", "json"]);
    expect(report(run).results.map((r) => r.resourceId)).toEqual(["upper", "line1", "line2", "zipped"]);
    expect(lines(run.stderr)).toEqual([
      `compliance evaluate: ${join(dir, "mixed/c.txt")}: skipped: not a .json, .jsonl or .ndjson file (gzipped or not)`,
      `compliance evaluate: ${join(dir, "mixed/e.json.bak")}: skipped: not a .json, .jsonl or .ndjson file (gzipped or not)`,
    ]);
    expect(run.code).toBe(1);
  });

  it("an empty directory, an empty array or an empty snapshot is exit 2, unless --allow-empty", async () => {
    mkdirSync(join(dir, "empty"));
    const inputs = [
      join(dir, "empty"),
      put("none.json", []),
      put("none-snapshot.json", { configurationItems: [] }),
    ];
    for (const input of inputs) {
      const run = await runEvaluate([input, "--format", "json"]);
      expect(run.code).toBe(2);
      expect(lines(run.stderr)).toEqual([
        `compliance evaluate: ${input}: no configuration item read (pass --allow-empty if none is expected)`,
      ]);
      expect(report(run).problems).toHaveLength(1);
      const allowed = await runEvaluate([input, "--format", "json", "--allow-empty"]);
      expect([allowed.code, allowed.stderr]).toEqual([0, ""]);
    }
  });

  it("an empty file is a problem naming it", async () => {
    const file = put("blank.json", "  \n");
    const run = await runEvaluate([file, put("one.json", table), "--format", "json"]);
    expect(lines(run.stderr)).toEqual([`compliance evaluate: ${file}: empty: no JSON value in it`]);
    expect(report(run).results).toHaveLength(1);
    expect(run.code).toBe(2);
  });
});

describe("NDJSON", () => {
  it("names a bad line by its number, and evaluates every other line", async () => {
    const file = put(
      "items.jsonl",
      `${JSON.stringify(named("a"))}\n{"configuration": \n\n42\n${JSON.stringify(named("b"))}\n`,
    );
    const run = await runEvaluate([file, "--format", "json"]);
    expect(report(run).results.map((r) => r.resourceId)).toEqual(["a", "b"]);
    expect(lines(run.stderr)).toEqual([
      `compliance evaluate: ${file}:2: not valid JSON: the line ends before the value does (line 2)`,
      `compliance evaluate: ${file}:4: not a configuration item, snapshot or event (expected a JSON object)`,
    ]);
    expect(run.code).toBe(2);
  });
});

describe("stdin (-)", () => {
  it("reads NDJSON, an array or a gzipped snapshot from stdin, streamed", async () => {
    const shapes = [
      ndjson([named("s1"), named("s2")]),
      JSON.stringify([named("s1"), named("s2")]),
      gzipSync(JSON.stringify({ configurationItems: [named("s1"), named("s2")] })),
    ];
    for (const shape of shapes) {
      const run = await runEvaluate(["-", "--format", "json"], shape);
      expect(run.stderr).toBe("");
      expect(report(run).results.map((r) => r.resourceId)).toEqual(["s1", "s2"]);
    }
  });

  it("names stdin's bad elements stdin[i] or stdin:LINE", async () => {
    const array = await runEvaluate(["-", "--format", "json"], `[${JSON.stringify(table)}, 7]`);
    expect(lines(array.stderr)).toEqual([
      "compliance evaluate: stdin[1]: not a configuration item, snapshot or event (expected a JSON object)",
    ]);
    const lined = await runEvaluate(["-", "--format", "json"], `${JSON.stringify(table)}\n"x"\n`);
    expect(lines(lined.stderr)).toEqual([
      "compliance evaluate: stdin:2: not a configuration item, snapshot or event (expected a JSON object)",
    ]);
  });

  it("a CloudFormation template on stdin is named as one, and the way to give it (a file)", async () => {
    const template = { Resources: { Orders: { Type: "AWS::DynamoDB::Table", Properties: {} } } };
    const run = await runEvaluate(["-", "--format", "json"], JSON.stringify(template));
    expect(run.code).toBe(2);
    expect(lines(run.stderr)).toEqual([
      "compliance evaluate: stdin: a CloudFormation template: templates are read from a file, so that findings can name their lines (give its path, not -)",
    ]);
  });

  it("reads stdin chunk by chunk, split anywhere", async () => {
    const bytes = Buffer.from(ndjson([named("c1"), bucket, named("c3")]));
    const chunks = Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) =>
      bytes.subarray(i * 7, i * 7 + 7),
    );
    const run = await runEvaluate(["-", "--format", "json"], Readable.from(chunks));
    expect(report(run).results.map((r) => r.resourceType)).toEqual([
      "AWS::DynamoDB::Table",
      "AWS::S3::Bucket",
      "AWS::DynamoDB::Table",
    ]);
  });
});

// Without `-`, the sample organisation with what is piped left unread: the `evaluate` process of
// test/cli/contract.test.ts, which gets an item on its stdin.
describe("the CLI process (smoke)", () => {
  it("reads its own stdin with -", () => {
    const piped = cli(["evaluate", "-", "--format", "json"], { input: ndjson([named("p1"), named("p2")]) });
    expect([piped.code, piped.stderr]).toEqual([1, ""]);
    expect(report({ ...piped, writes: 0 }).results.map((r) => r.resourceId)).toEqual(["p1", "p2"]);
  });
});

describe("a directory's accounts.json", () => {
  it("is read as the accounts file, and said so; --accounts takes precedence", async () => {
    put("org/accounts.json", { "123456789012": { tags: { "cia-rating": "C1I1A1" } } });
    put("org/items/snapshot.json", { configurationItems: [table] });
    const accountsFile = join(dir, "org/accounts.json");
    const run = await runEvaluate([join(dir, "org"), "--format", "json"]);
    expect(lines(run.stderr)).toEqual([
      `compliance evaluate: ${accountsFile}: read as the accounts file (account ratings)`,
    ]);
    expect(report(run).results[0]?.required).toEqual({ c: 1, i: 1, a: 1 });

    const other = put("other-accounts.json", { "123456789012": { tags: { "cia-rating": "C2I2A2" } } });
    const overridden = await runEvaluate([join(dir, "org"), "--accounts", other, "--format", "json"]);
    expect(lines(overridden.stderr)).toEqual([
      `compliance evaluate: ${accountsFile}: skipped: another accounts file (${other} is used)`,
    ]);
    expect(report(overridden).results[0]?.required).toEqual({ c: 2, i: 2, a: 2 });
  });
});

describe("encodings", () => {
  it("reads UTF-8 with a byte-order mark, and UTF-16 (LE and BE, with or without a mark)", async () => {
    const text = JSON.stringify({ ...table, tags: { owner: "équipe-données" } });
    const be = (s: string) => Buffer.from(s, "utf16le").swap16();
    const files = [
      put("bom.json", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])),
      put("le-bom.json", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")])),
      put("be-bom.json", Buffer.concat([Buffer.from([0xfe, 0xff]), be(text)])),
      put("le.json", Buffer.from(text, "utf16le")),
      put("be.json.gz", gzipSync(be(text))),
    ];
    const run = await runEvaluate([...files, "--format", "json"]);
    expect(run.stderr).toBe("");
    expect(report(run).results).toHaveLength(files.length);
  });
});

describe("--out", () => {
  it("is refused when it names an input, and the input is left intact", async () => {
    const input = put("keep.json", table);
    const before = readFileSync(input, "utf8");
    const run = await runEvaluate([input, "--format", "json", "--out", input]);
    expect(run.code).toBe(2);
    expect(lines(run.stderr)).toEqual([
      `compliance evaluate: ${input}: --out names one of the inputs: refused (the report would overwrite it)`,
    ]);
    expect(readFileSync(input, "utf8")).toBe(before);
  });

  it("is refused inside a directory being read when the next run would read it", async () => {
    put("scanned/one.json", table);
    const target = join(dir, "scanned/sub/report.json");
    const run = await runEvaluate([join(dir, "scanned"), "--format", "json", "--out", target]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--out names a file inside a directory being read/);
    expect(existsSync(target)).toBe(false);
    // An HTML report beside the items is no input: allowed.
    const html = await runEvaluate([
      join(dir, "scanned"),
      "--format",
      "html",
      "--out",
      join(dir, "scanned/r.html"),
    ]);
    expect(html.code).toBe(1);
  });

  it("appears whole at the end, with no temporary file left", async () => {
    const target = join(dir, "reports/out.json");
    const run = await runEvaluate([put("two.json", [table, bucket]), "--format", "json", "--out", target]);
    expect(run.code).toBe(1);
    expect((JSON.parse(readFileSync(target, "utf8")) as { results: unknown[] }).results).toHaveLength(2);
    expect(readdirSync(join(dir, "reports"))).toEqual(["out.json"]);
  });

  it("writes stdout in large chunks, not a write per record", async () => {
    const many = put(
      "many.json",
      Array.from({ length: 400 }, (_, i) => named(`t${i}`)),
    );
    const run = await runEvaluate([many, "--format", "json"]);
    expect(report(run).results).toHaveLength(400);
    expect(run.writes).toBeLessThan(10);
  });
});

describe("hostile input", () => {
  it("never echoes the input in an error, and describes binary input", async () => {
    const secretText = '{"Environment": {"Variables": {"DB": "hunter2-SECRET"}}, "configuration": }';
    const secret = put("secret.json", secretText);
    const bare = put("bare.json", "hunter2-SECRET and more");
    const inArrayText = `[${JSON.stringify(table)}, {"x": "hunter2-SECRET" "y"}]`;
    const inArray = put("in-array.json", inArrayText);
    const png = put(
      "image.json",
      Buffer.concat([
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
        Buffer.from("hunter2-SECRET"),
      ]),
    );
    const run = await runEvaluate([secret, bare, inArray, png, "--format", "json"]);
    expect(run.stdout + run.stderr).not.toMatch(/hunter2|SECRET/);
    expect(lines(run.stderr)).toEqual([
      `compliance evaluate: ${secret}: not valid JSON: unexpected closing bracket at line 1, column ${secretText.lastIndexOf("}") + 1}`,
      `compliance evaluate: ${bare}: not valid JSON: unexpected letter at line 1, column 1`,
      `compliance evaluate: ${inArray}[1]: not valid JSON: expected ',' or '}' after a property value at line 1, column ${inArrayText.indexOf('"y"') + 1}`,
      `compliance evaluate: ${png}: not JSON: a PNG image`,
    ]);
    expect(report(run).results).toHaveLength(1);
  });

  it("refuses a device and a FIFO named *.json, without reading them", async () => {
    mkdirSync(join(dir, "fifo"));
    execFileSync("mkfifo", [join(dir, "fifo/pipe.json")]);
    put("fifo/ok.json", table);
    const run = await runEvaluate(["/dev/zero", join(dir, "fifo"), "--format", "json"]);
    expect(lines(run.stderr)).toEqual([
      "compliance evaluate: /dev/zero: a character device, not a regular file: refused (only files and stdin are read)",
      `compliance evaluate: ${join(dir, "fifo/pipe.json")}: a FIFO, not a regular file: refused (only files and stdin are read)`,
    ]);
    expect(report(run).results).toHaveLength(1);
    expect(run.code).toBe(2);
  });

  it("skips an item beyond --max-item-size or --max-depth, and evaluates the others", async () => {
    const deep = { ...table, configuration: { a: { b: { c: { d: { e: { f: 1 } } } } } } };
    const big = { ...table, configuration: { blob: "x".repeat(5000) } };
    const file = put("limits.json", { configurationItems: [table, deep, big, table] });
    const run = await runEvaluate([file, "--format", "json", "--max-item-size", "4KiB", "--max-depth", "6"]);
    expect(lines(run.stderr)).toEqual([
      `compliance evaluate: ${file}.configurationItems[1]: nested deeper than the depth limit (--max-depth 6): skipped`,
      `compliance evaluate: ${file}.configurationItems[2]: larger than the item size limit (--max-item-size 4KiB): skipped`,
    ]);
    expect(report(run).results).toHaveLength(2);
    const bad = await runEvaluate([file, "--max-item-size", "lots"]);
    expect([bad.code, lines(bad.stderr)]).toEqual([
      2,
      ['compliance evaluate: --max-item-size: "lots" is not a size (e.g. 64MiB, 512KiB, 1GiB)'],
    ]);
  });
});
