// `compliance evaluate` with a waiver file it cannot use: not JSON, or one waiver that fails the
// schema or the checks. The run stops with one line naming the file, the waiver and the field
// (exit 2), the same problem `validate` reports; it never goes on without the waivers. An expired
// waiver only stops applying: the run goes on.

import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runCli } from "../support/cli.ts";

const ITEM = join(ROOT, "policies/fixtures/AWS_DynamoDB_Table/rdk-sample-ci.json");
const DAY = 86_400_000;
const day = (offset: number) => new Date(Date.now() + offset * DAY).toISOString().slice(0, 10);

/** A waiver of DDB.PITR for the item's account, in force today. */
const pitr = {
  controlId: "DDB.PITR",
  accounts: ["123456789012"],
  reason: "Scratch tables, recreated nightly",
  approver: "ciso@bank.example",
  granted: day(-10),
  expires: day(300),
};

const POLICIES = join(ROOT, "policies");

/** A copy of the repository's policies with `text` as the waiver file. */
function withWaivers(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "waivers-"));
  cpSync(POLICIES, dir, { recursive: true });
  writeFileSync(join(dir, "waivers.json"), text);
  return dir;
}

const file = (waivers: unknown[]) => JSON.stringify({ waivers }, null, 2);

describe("compliance evaluate with a waiver file it cannot use", () => {
  it("applies the waivers of a good file (the baseline of the tests below)", async () => {
    const dir = withWaivers(file([pitr]));
    const { code, stdout, stderr } = await runCli(["evaluate", ITEM, "--policies", dir, "--format", "json"]);
    expect(stderr).toBe("");
    expect(code).toBe(1);
    const findings = JSON.parse(stdout).results[0].findings as { controlId: string; status: string }[];
    expect(findings.find((f) => f.controlId === "DDB.PITR")?.status).toBe("WAIVED");
  });

  it("refuses a waiver file that is not JSON: one line naming it, exit 2, no report", async () => {
    const dir = withWaivers('{ "waivers": [ \n');
    const { code, stdout, stderr } = await runCli(["evaluate", ITEM, "--policies", dir]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe(
      `compliance evaluate: the waiver file has errors: ${join(dir, "waivers.json")}:1:1 /: not valid JSON: Unexpected end of JSON input; run \`compliance validate\`\n`,
    );
  });

  it("refuses a file where one waiver fails the schema, naming the waiver and the field, as validate does", async () => {
    const dir = withWaivers(file([pitr, { ...pitr, controlId: "DDB.DELETION-PROTECTION", reason: "short" }]));
    const { code, stdout, stderr } = await runCli(["evaluate", ITEM, "--policies", dir]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    const problem = `${join(dir, "waivers.json")}:18:7 /waivers/1/reason: must NOT have fewer than 10 characters`;
    expect(stderr).toBe(
      `compliance evaluate: the waiver file has errors: ${problem}; run \`compliance validate\`\n`,
    );
    const validate = await runCli(["validate", "--policies", dir]);
    expect(validate.stdout).toContain(`error: ${problem}\n`);
  });

  it("refuses a waiver the checks reject (unknown control, more than a year), counting the others", async () => {
    const dir = withWaivers(
      file([
        { ...pitr, controlId: "DDB.NO-SUCH-CONTROL" },
        { ...pitr, expires: day(400) },
      ]),
    );
    const { code, stdout, stderr } = await runCli(["evaluate", ITEM, "--policies", dir]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(
      /^compliance evaluate: the waiver file has errors: \S+waivers\.json:4:\d+ \/waivers\/0\/controlId: unknown control id "DDB\.NO-SUCH-CONTROL" \(and 1 more\); run `compliance validate`\n$/,
    );
  });

  it("goes on when a waiver has expired: it only stops applying", async () => {
    const expired = { ...pitr, granted: day(-300), expires: day(-2) };
    const dir = withWaivers(file([expired]));
    const { code, stdout, stderr } = await runCli(["evaluate", ITEM, "--policies", dir, "--format", "json"]);
    expect(stderr).toBe("");
    expect(code).toBe(1);
    const findings = JSON.parse(stdout).results[0].findings as { controlId: string; status: string }[];
    expect(findings.find((f) => f.controlId === "DDB.PITR")?.status).toBe("FAIL");
  });
});
