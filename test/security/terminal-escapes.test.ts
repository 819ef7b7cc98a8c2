// Item and policy text reaches the terminal escaped: a resource id, name, account name, message,
// policy title or case name carrying ESC, BEL, CR or a C1 CSI prints as visible `\x1b`-style text,
// never as a sequence the terminal would act on (clear the screen, retitle the window, overwrite a
// FAIL line with a carriage return).

import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { renderCatalogueMarkdown } from "../../cli/commands/catalogue-markdown.ts";
import { loadCatalogue } from "../../engine/catalogue.ts";
import { renderTable } from "../../engine/report/table.ts";
import { escapeControl } from "../../engine/terminal-text.ts";
import { readPolicySources } from "../../loader/policy-files.ts";
import { sampleInput } from "../report/sample-input.ts";
import { ROOT, runCli } from "../support/cli.ts";

const HOSTILE = "evil\x1b[2J\x1b]0;owned\x07\rOK\u009b31m\u202e";
// Any raw control character (C0 but the line feeds between lines, DEL, C1) or bidi override.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe("escapeControl", () => {
  it("writes every control character as a visible escape and leaves other text alone", () => {
    expect(escapeControl(HOSTILE)).toBe("evil\\x1b[2J\\x1b]0;owned\\x07\\x0dOK\\x9b31m\\u202e");
    expect(escapeControl("arn:aws:s3:::bucket-é-名前 tab")).toBe("arn:aws:s3:::bucket-é-名前 tab");
    expect(escapeControl("a\nb\tc\u0000\u007f\u2028")).toBe("a\\x0ab\\x09c\\x00\\x7f\\u2028");
  });
});

describe("table report", () => {
  it("prints hostile resource names, ids, types, messages and account names escaped", () => {
    const input = sampleInput();
    const first = input.records[0]!;
    const records = input.records.map((r, i) =>
      i === 0
        ? {
            ...r,
            compliance: "NON_COMPLIANT" as const,
            resourceName: `name-${HOSTILE}`,
            resourceId: `id-${HOSTILE}`,
            resourceType: `AWS::X::${HOSTILE}`,
            findings: [
              {
                controlId: `C-${HOSTILE}`,
                title: "t",
                status: "FAIL" as const,
                severity: "high" as const,
                message: `message ${HOSTILE}`,
                cia: { i: 2 as const },
                required: true,
              },
            ],
          }
        : r,
    );
    const ctx = input.accounts.get(first.accountId);
    const accounts = new Map(input.accounts);
    accounts.set(first.accountId, {
      ...(ctx ?? { accountId: first.accountId, rating: { c: 3, i: 3, a: 3 } }),
      name: `acct-${HOSTILE}`,
    } as never);
    const out = renderTable({ ...input, records, accounts, title: `Title ${HOSTILE}` }, { color: false });
    expect(out).not.toMatch(RAW);
    const escaped = escapeControl(HOSTILE);
    for (const text of [`name-${escaped}`, `message ${escaped}`, `acct-${escaped}`, `Title ${escaped}`]) {
      expect(out).toContain(text);
    }
  });
});

describe("policy text", () => {
  const dir = mkdtempSync(join(tmpdir(), "terminal-escapes-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const policy = JSON.parse(readFileSync(join(ROOT, "test/fixtures/policies/dynamodb.json"), "utf8"));
  policy.title = `DynamoDB ${HOSTILE}`;
  policy.controls[0].title = `Tables ${HOSTILE}`;
  // One more case that fails (it expects the opposite verdict of a PASS case), named with the
  // hostile text.
  policy.controls[0].cases.push({ ...policy.controls[0].cases[0], name: `case ${HOSTILE}`, expect: "FAIL" });
  writeFileSync(join(dir, "dynamodb.json"), JSON.stringify(policy));
  mkdirSync(join(dir, "fixtures"));
  cpSync(join(ROOT, "policies/fixtures/AWS_DynamoDB_Table"), join(dir, "fixtures/AWS_DynamoDB_Table"), {
    recursive: true,
  });

  it("`compliance test` prints a failing case's name escaped", async () => {
    const r = await runCli(["test", "--policies", dir]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`"case ${escapeControl(HOSTILE)}"`);
    expect(r.stdout).not.toMatch(RAW);
  });

  it("the catalogue's Markdown prints policy and control titles escaped", async () => {
    const catalogue = loadCatalogue(readPolicySources(dir));
    const md = renderCatalogueMarkdown(catalogue);
    expect(md).not.toMatch(RAW);
    expect(md).toContain(`DynamoDB ${escapeControl(HOSTILE)}`);
    expect(md).toContain(`Tables ${escapeControl(HOSTILE)}`);
    const r = await runCli(["catalogue", "--format", "markdown", "--policies", dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Tables ${escapeControl(HOSTILE)}`);
    expect(r.stdout).not.toMatch(RAW);
  });
});
