import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { type CaseResult, runCases } from "../../engine/cases.ts";
import { loadCatalogue } from "../../engine/catalogue.ts";
import { renderJunit } from "../../engine/report/junit.ts";
import { fixtureReader } from "../../loader/policy-files.ts";
import { dynamodbSource } from "../diff/policy-edit.ts";

interface Suite {
  "@_name": string;
  "@_tests": string;
  "@_failures": string;
  "@_errors": string;
  testcase: { "@_name": string; "@_classname": string; failure?: { "@_message": string }; error?: unknown }[];
}

const parser = new XMLParser({
  ignoreAttributes: false,
  isArray: (name) => ["testsuite", "testcase"].includes(name),
});

function parse(xml: string): {
  "@_tests": string;
  "@_failures": string;
  "@_errors": string;
  testsuite: Suite[];
} {
  const valid = XMLValidator.validate(xml);
  expect(valid).toBe(true);
  return parser.parse(xml).testsuites;
}

/** The fixed DynamoDB policy's real cases, plus one case that fails and one that cannot run. */
function results(): CaseResult[] {
  const sources = [dynamodbSource()].map((s) => {
    const policy = JSON.parse(s.text) as { controls: { cases: Record<string, unknown>[] }[] };
    const cases = policy.controls[0]!.cases;
    // The recorded table FAILs point-in-time recovery: a case expecting PASS fails.
    cases.push({ ...cases[1], name: "expects the recorded table to pass", expect: "PASS" });
    cases.push({
      ...cases[1],
      name: "fixture that is not there <&> \u0001",
      fixture: "missing/nothing.json",
    });
    return { ...s, text: JSON.stringify(policy) };
  });
  return runCases(loadCatalogue(sources), fixtureReader());
}

describe("renderJunit", () => {
  const caseResults = results();
  const xml = renderJunit(caseResults);
  const doc = parse(xml);

  it("has a test suite per control and a test case per case", () => {
    const controls = [...new Set(caseResults.map((r) => r.controlId))];
    expect(doc.testsuite.map((s) => s["@_name"])).toEqual(controls);
    expect(Number(doc["@_tests"])).toBe(caseResults.length);
    for (const suite of doc.testsuite) {
      const mine = caseResults.filter((r) => r.controlId === suite["@_name"]);
      expect(suite.testcase).toHaveLength(mine.length);
      expect(Number(suite["@_tests"])).toBe(mine.length);
      expect(suite.testcase[0]!["@_classname"]).toBe(`${mine[0]!.service}.${mine[0]!.controlId}`);
    }
  });

  it("reports a case with the wrong status as a failure and an unrunnable one as an error", () => {
    expect(doc["@_failures"]).toBe("1");
    expect(doc["@_errors"]).toBe("1");
    const pitr = doc.testsuite.find((s) => s["@_name"] === "DDB.PITR")!;
    expect(pitr["@_failures"]).toBe("1");
    const failed = pitr.testcase.find((c) => c.failure)!;
    expect(failed["@_name"]).toContain("expects the recorded table to pass");
    expect(failed.failure!["@_message"]).toMatch(/^expected PASS, got FAIL/);
    const errored = pitr.testcase.find((c) => c.error)!;
    // Markup is escaped and the control character replaced, so the document stays well-formed.
    expect(errored["@_name"]).toContain("fixture that is not there <&>");
    expect(errored["@_name"]).toContain("\uFFFD");
    expect(xml).toContain("fixture that is not there &lt;&amp;&gt;");
    const others = doc.testsuite.filter((s) => s["@_name"] !== "DDB.PITR");
    expect(others.every((s) => s["@_failures"] === "0" && s["@_errors"] === "0")).toBe(true);
  });

  it("is a well-formed document for no cases at all", () => {
    const empty = renderJunit([]);
    expect(XMLValidator.validate(empty)).toBe(true);
    expect(empty).toContain('<testsuites name="compliance test" tests="0"');
  });
});
