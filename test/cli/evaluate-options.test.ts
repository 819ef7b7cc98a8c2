// Option mistakes of `compliance evaluate` that Node's parser or the file system used to word:
// a value starting with a dash (`--jobs -1`), an empty value (`--out ''`), and a report named
// `.gz` (it is never compressed). Each is one line naming the option, exit 2, nothing written.

import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCommandArgs } from "../../cli/args.ts";
import { runCli } from "../support/cli.ts";

const ITEM = "policies/fixtures/AWS_DynamoDB_Table/rdk-sample-ci.json";

describe("compliance evaluate: option values", () => {
  it("passes a negative number to the option, whose own check names what it accepts", async () => {
    for (const args of [["--jobs", "-1"], ["--jobs=-1"]]) {
      const { code, stdout, stderr } = await runCli(["evaluate", ITEM, ...args]);
      expect([code, stdout]).toEqual([2, ""]);
      expect(stderr).toBe('compliance evaluate: --jobs: "-1" is not a number of threads from 1 to 256\n');
    }
  });

  it("says in one line how to give any other value that starts with a dash", async () => {
    const { code, stderr } = await runCli(["evaluate", ITEM, "--format", "-x"]);
    expect(code).toBe(2);
    expect(stderr).toBe(
      "compliance evaluate: --format needs a value: --format FORMAT (table, json, sarif, html) (a value starting with a dash is written --format=-x)\n",
    );
  });

  it("refuses an empty value as a missing one", async () => {
    for (const args of [["--out", ""], ["--out="]]) {
      const { code, stdout, stderr } = await runCli(["evaluate", ITEM, ...args]);
      expect([code, stdout, stderr]).toEqual([
        2,
        "",
        "compliance evaluate: --out needs a value: --out FILE\n",
      ]);
    }
  });

  it("refuses a report named .gz: it is never compressed, and a later run would try to gunzip it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "out-gz-"));
    for (const name of ["r.json.gz", "R.HTML.GZ"]) {
      const out = join(dir, name);
      const option = name.startsWith("r") ? "--out" : "--html";
      const { code, stdout, stderr } = await runCli(["evaluate", ITEM, option, out]);
      expect([code, stdout]).toEqual([2, ""]);
      expect(stderr).toBe(
        `compliance evaluate: ${out}: ${option} names a .gz file, but the report is not compressed: refused (name it without .gz)\n`,
      );
      expect(existsSync(out)).toBe(false);
    }
  });

  it("parses `--jobs -1` as the value -1, and `--` still ends the options", () => {
    const options = { jobs: { type: "string" as const, value: "N" } };
    expect(parseCommandArgs(["--jobs", "-1", "a.json"], options, "FILES")).toEqual({
      values: { jobs: "-1" },
      positionals: ["a.json"],
    });
    expect(parseCommandArgs(["--", "--jobs", "-1"], options, "FILES").positionals).toEqual(["--jobs", "-1"]);
  });
});
