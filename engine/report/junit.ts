// JUnit XML for CI systems that read test reports: `compliance test --format junit`. One test
// suite per control, one test case per case of the control; a case whose control returns another
// status than expected is a <failure>, a case that could not run (bad fixture, throw) an <error>.

import type { CaseResult } from "../cases.ts";

/** Control characters XML 1.0 cannot carry (other than tab, LF, CR), lone surrogates, U+FFFE/F. */
function isXmlChar(code: number): boolean {
  if (code < 0x20) return code === 0x09 || code === 0x0a || code === 0x0d;
  return !(code >= 0xd800 && code <= 0xdfff) && code !== 0xfffe && code !== 0xffff;
}

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
};

/** Text safe in XML content and attribute values. */
export function xml(value: unknown): string {
  let text = "";
  // for..of walks code points, so a valid surrogate pair arrives whole and a lone one alone.
  for (const ch of String(value ?? "")) text += isXmlChar(ch.codePointAt(0) ?? 0) ? ch : "\uFFFD";
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

const attrs = (values: Record<string, string | number>): string =>
  Object.entries(values)
    .map(([k, v]) => ` ${k}="${xml(v)}"`)
    .join("");

function testCase(r: CaseResult): string {
  const head = `    <testcase${attrs({
    name: `case ${r.caseIndex}: ${r.name} (expect ${r.expected})`,
    classname: `${r.service}.${r.controlId}`,
    file: r.file,
    time: 0,
  })}`;
  if (r.ok) return `${head}/>`;
  const detail = `control ${r.controlId}, case ${r.caseIndex} "${r.name}" in ${r.file}: expected ${r.expected}, got ${r.actual}\n${r.message}`;
  const element =
    r.actual === "ERROR"
      ? `<error${attrs({ message: r.message, type: "CaseError" })}>${xml(detail)}</error>`
      : `<failure${attrs({ message: `expected ${r.expected}, got ${r.actual}: ${r.message}`, type: "UnexpectedStatus" })}>${xml(detail)}</failure>`;
  return `${head}>\n      ${element}\n    </testcase>`;
}

const count = (results: readonly CaseResult[]) => ({
  tests: results.length,
  failures: results.filter((r) => !r.ok && r.actual !== "ERROR").length,
  errors: results.filter((r) => !r.ok && r.actual === "ERROR").length,
  skipped: 0,
  time: 0,
});

/** The JUnit XML document for the results of `runCases`. */
export function renderJunit(caseResults: readonly CaseResult[]): string {
  const byControl = new Map<string, CaseResult[]>();
  for (const r of caseResults) {
    const list = byControl.get(r.controlId) ?? [];
    list.push(r);
    byControl.set(r.controlId, list);
  }
  const suites = [...byControl.entries()].map(([controlId, results]) => {
    const first = results[0]!;
    return [
      `  <testsuite${attrs({ name: controlId, ...count(results), file: first.file })}>`,
      `    <properties><property${attrs({ name: "service", value: first.service })}/></properties>`,
      ...results.map(testCase),
      "  </testsuite>",
    ].join("\n");
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({ name: "compliance test", ...count(caseResults) })}>`,
    ...suites,
    "</testsuites>",
    "",
  ].join("\n");
}
