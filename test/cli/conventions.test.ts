// The CLI's conventions, run in process (cli/run.ts, the same function bin/compliance.mjs runs):
// --version, "did you mean", one-line parse errors with the valid choices, case-insensitive
// formats, the format from --out's extension, output paths named for what is wrong with them,
// never "internal error" for a user's mistake, a broken catalogue never reported as green.

import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../cli/run.ts";
import { ROOT } from "../support/cli.ts";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function sink(): Writable & { text: string } {
  const out = new Writable({
    write(chunk, _enc, done) {
      out.text += String(chunk);
      done();
    },
  }) as Writable & { text: string };
  out.text = "";
  return out;
}

async function run(args: string[], cwd = ROOT): Promise<Run> {
  const stdout = sink();
  const stderr = sink();
  const code = await main(args, { stdout, stderr, now: () => new Date("2026-11-28T00:00:00Z"), cwd });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** A usage error: exit 2, exactly one line on stderr matching `line`, no stack, no Node wording. */
function oneLine(result: Run, line: RegExp): void {
  expect(result.code).toBe(2);
  const lines = result.stderr.trimEnd().split("\n");
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(line);
  expect(result.stderr).not.toMatch(/internal error|ERR_PARSE_ARGS|\n\s+at |Unknown option '/);
}

describe("compliance CLI conventions", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "cli-conventions-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("--version prints the package's version", async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    for (const flag of ["--version", "-V"]) {
      const result = await run([flag]);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(`${pkg.version}\n`);
    }
  });

  it("suggests the command meant, and lists the commands", async () => {
    oneLine(
      await run(["evalute"]),
      /^compliance: unknown command "evalute" \(did you mean "evaluate"\?\); commands: validate, test, evaluate, catalogue, scp, synth, diff/,
    );
    oneLine(await run(["synht"]), /did you mean "synth"\?/);
    const far = await run(["frobnicate"]);
    oneLine(far, /^compliance: unknown command "frobnicate"; commands: /);
  });

  it("suggests the option meant, in one line with the command's options", async () => {
    oneLine(
      await run(["evaluate", "--formt", "json"]),
      /^compliance evaluate: unknown option --formt \(did you mean --format\?\); options: --format FORMAT, --accounts FILE, .*--exit-zero, .*--rating RATING$/,
    );
    oneLine(
      await run(["validate", "--polices", "x"]),
      /unknown option --polices \(did you mean --policies\?\)/,
    );
    oneLine(
      await run(["scp", "-o", "x"]),
      /^compliance scp: unknown option -o \(did you mean --out\?\); options: --out FILE, --policies DIR$/,
    );
  });

  it("names the valid choices for a wrong value, a missing value or a stray argument", async () => {
    oneLine(
      await run(["validate", "--format", "junit"]),
      /^compliance validate: --format: unknown format "junit"; choose one of: text, json, sarif$/,
    );
    oneLine(
      await run(["test", "--format", "junt"]),
      /unknown format "junt" \(did you mean "junit"\?\); choose one of: text, json, junit$/,
    );
    oneLine(
      await run(["evaluate", "--format"]),
      /^compliance evaluate: --format needs a value: --format FORMAT \(table, json, sarif, html\)$/,
    );
    oneLine(
      await run(["validate", "extra"]),
      /^compliance validate: unexpected argument "extra": this command takes only options$/,
    );
    oneLine(await run(["synth", "--check=yes"]), /^compliance synth: --check takes no value$/);
  });

  it("reads formats case-insensitively", async () => {
    const json = await run(["catalogue", "--format", "JSON"]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toHaveProperty("controls");
    const md = await run(["catalogue", "--format", "Markdown"]);
    expect(md.stdout).toMatch(/^\| Id \| Title \|/m);
  });

  it("infers the report's format from --out's extension when --format is absent", async () => {
    const file = "policies/fixtures/AWS_DynamoDB_Table/rdk-sample-ci.json";
    for (const [name, check] of [
      ["report.json", (t: string) => expect(JSON.parse(t)).toHaveProperty("results")],
      ["report.SARIF", (t: string) => expect(JSON.parse(t)).toHaveProperty("version", "2.1.0")],
      ["report.html", (t: string) => expect(t.startsWith("<!DOCTYPE html>")).toBe(true)],
      ["report.txt", (t: string) => expect(t).toMatch(/^Compliance report: /)],
    ] as const) {
      const out = join(dir, name);
      const result = await run(["evaluate", file, "--out", out, "--exit-zero"]);
      expect(result.code, result.stderr).toBe(0);
      check(readFileSync(out, "utf8"));
    }
    // An explicit --format wins over the extension.
    const out = join(dir, "table.json");
    await run(["evaluate", file, "--out", out, "--format", "table", "--exit-zero"]);
    expect(readFileSync(out, "utf8")).toMatch(/^Compliance report: /);
  });

  it("names an output path whose parent is a file as not a directory, for every command that writes", async () => {
    const file = join(dir, "a-file");
    writeFileSync(file, "x");
    const target = join(file, "x");
    oneLine(
      await run(["evaluate", "--out", target]),
      /^compliance evaluate: .*a-file\/x: cannot write the report: .*a-file is not a directory$/,
    );
    oneLine(
      await run(["evaluate", "--html", join(file, "r.html"), "--exit-zero"]),
      /cannot write the report: .*a-file is not a directory$/,
    );
    oneLine(
      await run(["synth", "--out", target]),
      /^compliance synth: .*a-file\/x: cannot write the templates: .*a-file is not a directory$/,
    );
    oneLine(
      await run(["scp", "--out", target]),
      // The SCPs do not fit in one policy: the first is written as x-1.
      /^compliance scp: .*a-file\/x(-1)?: cannot write the SCP: .*a-file is not a directory$/,
    );
    // Relative paths are shown as typed, never as this machine's absolute path.
    const relative = await run(["scp", "--out", "a-file/deeper/scp.json"], dir);
    oneLine(
      relative,
      /^compliance scp: a-file\/deeper\/scp(-1)?\.json: cannot write the SCP: a-file is not a directory$/,
    );
    // A directory where a file should go.
    oneLine(await run(["evaluate", "--out", dir]), /cannot write the report: it is a directory$/);
    for (const r of [relative]) expect(r.stderr).not.toMatch(/already exists/);
  });

  it("reports a broken catalogue from `test` as errors, never as cases passed", async () => {
    const policies = join(dir, "policies");
    cpSync(join(ROOT, "policies"), policies, { recursive: true });
    writeFileSync(join(policies, "sns.json"), '{ "service": "sns", ');
    const text = await run(["test", "--policies", policies]);
    expect(text.code).toBe(1);
    expect(text.stderr).toMatch(/^error: .*sns\.json:\d+:\d+ \/: not valid JSON/m);
    // The summary leads with the catalogue's errors: never a bare "N passed, 0 failed".
    expect(text.stdout).toMatch(
      /^1 error\(s\) in the catalogue \(above\); \d+ passed, 0 failed \(\d+ controls\)$/m,
    );
    expect(text.stdout).not.toMatch(/^\d+ passed, 0 failed/m);
    const stdoutOf: Record<string, string> = {};
    for (const format of ["json", "junit"]) {
      const result = await run(["test", "--policies", policies, "--format", format]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^error: .*sns\.json:\d+:\d+ \/: not valid JSON/m);
      expect(result.stderr).toMatch(/^compliance test: 1 error\(s\) in the catalogue \(above\)$/m);
      stdoutOf[format] = result.stdout;
    }
    const json = JSON.parse(stdoutOf.json ?? "") as { catalogueErrors: unknown[] };
    expect(json.catalogueErrors).toHaveLength(1);
  });

  it("prints each input error once, also in table mode", async () => {
    const good = "policies/fixtures/AWS_DynamoDB_Table/rdk-sample-ci.json";
    const result = await run(["evaluate", join(dir, "missing.json"), good]);
    expect(result.code).toBe(2);
    // Once on stderr; the report itself names it only in its title (the inputs it was asked for).
    expect(result.stderr.match(/missing\.json/g)).toHaveLength(1);
    expect(result.stdout.split("\n").slice(1).join("\n")).not.toContain("missing.json");
    expect(result.stderr).toMatch(/^compliance evaluate: .*missing\.json: no such file or directory$/m);
    expect(result.stdout).toMatch(/^Not evaluated: 1 input with errors \(reported above\)$/m);
  });

  it("shows an account without name, environment or owner as its id alone", async () => {
    const accounts = join(dir, "accounts.json");
    writeFileSync(accounts, JSON.stringify({ "123456789012": { tags: { "cia-rating": "C1I1A1" } } }));
    const result = await run([
      "evaluate",
      "policies/fixtures/AWS_DynamoDB_Table/rdk-sample-ci.json",
      "--accounts",
      accounts,
      "--exit-zero",
    ]);
    expect(result.stdout).toMatch(/^Account 123456789012\n {2}required C1I1A1/m);
    expect(result.stdout).not.toContain("()");
  });
});
