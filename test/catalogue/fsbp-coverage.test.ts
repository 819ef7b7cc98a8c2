// The FSBP coverage table (policies/fsbp.json): the repository's table agrees with the catalogue,
// and the checker rejects each way a table can lie or be malformed, naming file, line and row.

import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderCatalogueMarkdown } from "../../cli/commands/catalogue-markdown.ts";
import { checkFsbpCoverage, type FsbpCoverage, fsbpFigures } from "../../engine/fsbp-coverage.ts";
import { repositoryCatalogue } from "../support/catalogue.ts";
import { ROOT, runCli } from "../support/cli.ts";

const catalogue = repositoryCatalogue();
const FILE = "policies/fsbp.json";
const realText = readFileSync(join(ROOT, FILE), "utf8");
const real = JSON.parse(realText) as FsbpCoverage;

/** The real table, changed, checked against the real catalogue. */
function checkChanged(change: (table: FsbpCoverage) => void) {
  const table = structuredClone(real);
  change(table);
  return checkFsbpCoverage(FILE, JSON.stringify(table, null, 2), catalogue).problems.map((p) => p.message);
}

const row = (table: FsbpCoverage, id: string) => {
  const found = table.controls.find((r) => r.id === id);
  if (!found) throw new Error(`no row ${id}`);
  return found;
};

describe("the repository's FSBP coverage table", () => {
  const { coverage, problems } = checkFsbpCoverage(FILE, realText, catalogue);

  it("agrees with the catalogue", () => {
    expect(problems).toEqual([]);
    expect(coverage?.controls.length).toBeGreaterThan(50);
  });

  it("lists every FSBP id the catalogue cites", () => {
    const cited = new Set(
      catalogue.controls.flatMap((c) =>
        c.references.filter((r) => /^FSBP \S+$/.test(r)).map((r) => r.slice(5)),
      ),
    );
    const listed = new Set(real.controls.map((r) => r.id));
    expect([...cited].filter((id) => !listed.has(id))).toEqual([]);
  });

  it("computes coverage as covered / (covered + partial + missing)", () => {
    const f = fsbpFigures(real);
    expect(f.applicable).toBe(f.covered + f.partial + f.missing);
    expect(f.applicable + f.notApplicable).toBe(real.controls.length);
    expect(f.percent).toBe(Math.round((f.covered / f.applicable) * 1000) / 10);
  });
});

describe("checkFsbpCoverage", () => {
  it("rejects an unknown control id", () => {
    expect(checkChanged((t) => row(t, "S3.5").by!.push("S3.NO-SUCH-CONTROL"))).toContain(
      'unknown control id "S3.NO-SUCH-CONTROL"',
    );
  });

  it("rejects a row marked covered by controls that do not cite it", () => {
    const messages = checkChanged((t) => {
      Object.assign(row(t, "CloudFormation.3"), {
        status: "covered",
        by: ["S3.SSL-ONLY"],
        reason: undefined,
      });
    });
    expect(messages).toContain(
      'FSBP CloudFormation.3 is marked covered, but none of S3.SSL-ONLY cites "FSBP CloudFormation.3" in its references',
    );
  });

  it("rejects a catalogue control citing an FSBP id the table leaves out, or does not list under it", () => {
    expect(checkChanged((t) => (t.controls = t.controls.filter((r) => r.id !== "DynamoDB.2")))).toContain(
      'DDB.PITR cites "FSBP DynamoDB.2", which the table does not list',
    );
    expect(
      checkChanged((t) =>
        Object.assign(row(t, "DynamoDB.2"), { status: "missing", by: undefined, reason: "x" }),
      ),
    ).toContain('DDB.PITR cites "FSBP DynamoDB.2", but the row (missing) does not list it under "by"');
  });

  it("rejects a duplicate row", () => {
    expect(checkChanged((t) => t.controls.push(structuredClone(row(t, "IAM.1"))))).toContain(
      "FSBP IAM.1 is listed twice",
    );
  });

  it("requires what each status needs: by for covered, by and reason for partial, a reason and no by otherwise", () => {
    expect(checkChanged((t) => delete row(t, "S3.5").by)).toContain("must have required property 'by'");
    expect(checkChanged((t) => delete row(t, "SecretsManager.4").reason)).toContain(
      "must have required property 'reason'",
    );
    expect(checkChanged((t) => delete row(t, "DynamoDB.3").reason)).toContain(
      "must have required property 'reason'",
    );
    expect(checkChanged((t) => (row(t, "DynamoDB.3").by = ["DDB.PITR"]))).toContain("must NOT be valid");
    expect(checkChanged((t) => ((row(t, "S3.5") as { status: string }).status = "done"))).toContain(
      "must be equal to one of the allowed values",
    );
  });

  it("reports a file that is not JSON at its start, without throwing", () => {
    const { coverage, problems } = checkFsbpCoverage(FILE, "{\n  oops", catalogue);
    expect(coverage).toBeUndefined();
    expect(problems[0]).toMatchObject({ file: FILE, pointer: "", level: "error" });
    expect(problems[0]!.message).toMatch(/^not valid JSON/);
  });
});

describe("the coverage section of docs/CONTROLS.md", () => {
  const markdown = renderCatalogueMarkdown(catalogue, real);

  it("states the figure and one row per FSBP control with its status, controls and reason", () => {
    const f = fsbpFigures(real);
    expect(markdown).toContain(
      `${f.covered} of the ${f.applicable} FSBP controls that apply on this platform are covered (${f.percent}%)`,
    );
    expect(markdown).toContain(
      "| S3.5 | S3 general purpose buckets should require requests to use SSL | covered | `S3.SSL-ONLY` |  |",
    );
    expect(markdown).toMatch(/^\| DynamoDB\.3 \| .* \| not applicable \| - \| DAX .*\|$/m);
    expect(markdown).toMatch(
      /^\| SecretsManager\.4 \| .* \| partial \(counts as missing\) \| `SECRETS\.ROTATION-PERIOD` \| Checks the rotation schedule.*\|$/m,
    );
  });

  it("is left out when there is no table", () => {
    expect(renderCatalogueMarkdown(catalogue)).not.toContain("Coverage of Security Hub FSBP");
  });
});

describe("compliance validate and catalogue with a wrong table", () => {
  it("fail with the file, line and row, exit 1", async () => {
    const dir = mkdtempSync(join(tmpdir(), "policies-fsbp-"));
    cpSync(join(ROOT, "policies"), dir, { recursive: true });
    const table = structuredClone(real);
    row(table, "S3.5").by = ["S3.SSL-ONLY", "S3.GONE"];
    writeFileSync(join(dir, "fsbp.json"), JSON.stringify(table, null, 2));
    const validate = await runCli(["validate", "--policies", dir]);
    expect(validate.stdout).toMatch(
      /^error: .*fsbp\.json:\d+:\d+ \/controls\/\d+\/by\/1: unknown control id "S3\.GONE"$/m,
    );
    expect(validate.code).toBe(1);
    const markdown = await runCli(["catalogue", "--format", "markdown", "--policies", dir]);
    expect(markdown.stderr).toMatch(/^error: .*fsbp\.json:\d+:\d+ .*unknown control id "S3\.GONE"$/m);
    expect(markdown.stdout).not.toContain("Coverage of Security Hub FSBP");
    expect(markdown.code).toBe(1);
  });
});
