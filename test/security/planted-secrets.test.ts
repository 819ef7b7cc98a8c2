// No secret leaves through an output. A Lambda function item carries planted secrets: in its
// environment variables (every one of which is masked, whatever its name) and in a property named
// like a credential. Controls that read exactly those values fail, and every output the engine
// makes of the result (the record and its annotation, the table, JSON, SARIF, HTML reports) names
// the property but never shows the value.

import { describe, expect, it } from "vitest";
import { loadCatalogue, type PolicySource } from "../../engine/catalogue.ts";
import { evaluate } from "../../engine/evaluate.ts";
import { normalise } from "../../engine/normalise.ts";
import { renderHtml } from "../../engine/report/html.ts";
import { recordJson } from "../../engine/report/json.ts";
import { renderSarif } from "../../engine/report/sarif.ts";
import { renderTable } from "../../engine/report/table.ts";
import { addToSummary, emptySummary, type ReportInput } from "../../engine/report/types.ts";
import { readFixture } from "../support/fixtures.ts";

const SECRET = "hunter2-PLANTED-s3cr3t";

const control = (id: string, check: Record<string, unknown>) => ({
  id,
  title: `${id} holds`,
  resourceType: "AWS::Lambda::Function",
  severity: "high",
  cia: { c: 1 },
  rationale: "A rationale long enough to pass the meta-schema.",
  remediation: { console: "Use AWS Secrets Manager.", cloudformation: "AWS::Lambda::Function Environment" },
  references: [],
  check,
  cases: [
    { name: "pass", expect: "PASS", item: {} },
    { name: "fail", expect: "FAIL", item: {} },
  ],
});

const policy = {
  service: "lambda",
  title: "AWS Lambda",
  iamPrefixes: ["lambda"],
  resourceTypes: ["AWS::Lambda::Function"],
  controls: [
    // Each failure message would quote the value it read.
    control("T.ENV-VALUE", { at: { "/configuration/environment/variables/MODE": { const: "safe" } } }),
    control("T.ENV-OBJECT", {
      at: {
        "/configuration/environment/variables": {
          type: "object",
          not: { type: "object", required: ["DB_PASSWORD"], properties: { DB_PASSWORD: true } },
        },
      },
    }),
    control("T.NAMED-SECRET", { at: { "/configuration/apiToken": { const: "x" } } }),
    control("T.WHOLE-CONFIGURATION", {
      at: {
        "/configuration": {
          type: "object",
          not: { type: "object", required: ["apiToken"], properties: { apiToken: true } },
        },
      },
    }),
  ],
};
const sources: PolicySource[] = [{ file: "policies/lambda.json", text: JSON.stringify(policy) }];

function plantedFunction(): unknown {
  const raw = structuredClone(readFixture("ci/AWS_Lambda_Function/rdk-sample-ci.json")) as {
    configuration: Record<string, unknown>;
  };
  raw.configuration.environment = { variables: { MODE: SECRET, DB_PASSWORD: SECRET, LOG_LEVEL: "info" } };
  raw.configuration.apiToken = SECRET;
  return raw;
}

describe("planted secrets", () => {
  const catalogue = loadCatalogue(sources);
  const now = new Date("2026-12-01T00:00:00Z");
  const record = evaluate(normalise(plantedFunction()), catalogue, { rating: { c: 3, i: 3, a: 3 }, now });

  it("the controls that read them fail, naming the property", () => {
    const failing = record.findings.filter((f) => f.status === "FAIL");
    expect(failing.map((f) => f.controlId).sort()).toEqual([
      "T.ENV-OBJECT",
      "T.ENV-VALUE",
      "T.NAMED-SECRET",
      "T.WHOLE-CONFIGURATION",
    ]);
    const byId = Object.fromEntries(failing.map((f) => [f.controlId, f.message]));
    expect(byId["T.ENV-VALUE"]).toContain(
      "configuration.environment.variables.MODE is [hidden: 22 characters]",
    );
    expect(byId["T.NAMED-SECRET"]).toContain("configuration.apiToken is [hidden: 22 characters]");
  });

  it("no output shows them: record, annotation, table, JSON, SARIF, HTML", () => {
    const summary = emptySummary();
    addToSummary(summary, record);
    summary.accounts = 1;
    const input: ReportInput = {
      records: [record],
      accounts: new Map(),
      catalogue,
      problems: [],
      summary,
      generatedAt: now,
      title: "planted secrets",
    };
    const outputs = {
      annotation: record.annotation,
      json: recordJson(record),
      table: renderTable(input, { color: false }),
      sarif: JSON.stringify(renderSarif(input)),
      html: renderHtml(input),
    };
    for (const [name, text] of Object.entries(outputs)) {
      expect(text.length, name).toBeGreaterThan(0);
      expect(text, name).not.toContain(SECRET);
      expect(text, name).not.toContain("hunter2");
    }
    expect(outputs.table).toContain("[hidden: 22 characters]");
  });
});
