// The report writers at scale: per result, at 10,000 and at 100,000 results. A writer linear in
// the number of results keeps the per-result time flat (ratio close to 1); a quadratic one grows
// tenfold. Records are real evaluations of the sample organisation, repeated over 50 accounts.

import type { CaseResult } from "../engine/cases.ts";
import { loadCatalogue } from "../engine/catalogue.ts";
import { evaluate } from "../engine/evaluate.ts";
import { normalise } from "../engine/normalise.ts";
import { renderHtml } from "../engine/report/html.ts";
import { jsonWriter } from "../engine/report/json.ts";
import { renderJunit } from "../engine/report/junit.ts";
import { renderSarif } from "../engine/report/sarif.ts";
import { renderTable } from "../engine/report/table.ts";
import { addToSummary, emptySummary, type ReportInput } from "../engine/report/types.ts";
import type { EvaluationRecord } from "../engine/types.ts";
import { readPolicySources } from "../loader/policy-files.ts";
import { sampleItemTexts } from "./evaluate.ts";
import { type Figure, figure, time } from "./figure.ts";

const SMALL = 10_000;
const LARGE = 100_000;

function reportInput(count: number, base: readonly EvaluationRecord[]): ReportInput {
  const catalogue = loadCatalogue(readPolicySources());
  const summary = emptySummary();
  const records: EvaluationRecord[] = [];
  for (let i = 0; i < count; i++) {
    const r = base[i % base.length]!;
    const record = { ...r, accountId: String(100000000000 + (i % 50)), resourceId: `${r.resourceId}-${i}` };
    records.push(record);
    addToSummary(summary, record);
  }
  summary.accounts = 50;
  return {
    records,
    accounts: new Map(),
    catalogue,
    problems: [],
    summary,
    generatedAt: new Date(0),
    title: "bench",
  };
}

function caseResults(count: number): CaseResult[] {
  return Array.from({ length: count }, (_, i) => ({
    controlId: `SVC.CONTROL-${i % 200}`,
    service: "svc",
    file: "policies/svc.json",
    caseIndex: i,
    name: `case <${i}> & "quoted"`,
    expected: "PASS" as const,
    actual: i % 7 === 0 ? ("FAIL" as const) : ("PASS" as const),
    ok: i % 7 !== 0,
    message: "a message",
  }));
}

/** Per-result CPU time of `render` at LARGE against SMALL results. */
function scaling(name: string, note: string, render: (count: number) => () => void): Figure {
  // The small size warms up and takes a median of three; the large one runs once.
  const small = (time(render(SMALL), 3) * 1000) / SMALL;
  const large = (time(render(LARGE), 1, false) * 1000) / LARGE;
  return figure(
    `report.${name}.per-result@100k`,
    large,
    "µs/result",
    { name: `report.${name}.per-result@10k`, value: small },
    note,
  );
}

export async function figures(): Promise<Figure[]> {
  const catalogue = loadCatalogue(readPolicySources());
  const now = new Date();
  const base = sampleItemTexts().map((t) =>
    evaluate(normalise(JSON.parse(t)), catalogue, { rating: { c: 3, i: 3, a: 3 }, now }),
  );
  const inputs = new Map<number, ReportInput>();
  const input = (count: number) => {
    const known = inputs.get(count);
    if (known) return known;
    const made = reportInput(count, base);
    inputs.set(count, made);
    return made;
  };
  const out: Figure[] = [];
  out.push(
    scaling("table", "the default format: every resource and its failing findings", (n) => {
      const i = input(n);
      return () => renderTable(i, { color: false });
    }),
    scaling("json", "the streamed JSON document (written to a sink)", (n) => {
      const i = input(n);
      return () => {
        const chunks: string[] = [];
        const w = jsonWriter((chunk) => chunks.push(chunk));
        for (const r of i.records) w.record(r);
        w.end(i.summary, []);
        chunks.length = 0;
      };
    }),
    scaling("sarif", "SARIF (capped at 25,000 results, the rest counted)", (n) => {
      const i = input(n);
      return () => JSON.stringify(renderSarif(i), null, 2);
    }),
    scaling("junit", "`compliance test --format junit`, per case result", (n) => {
      const results = caseResults(n);
      return () => renderJunit(results);
    }),
  );
  inputs.delete(LARGE);
  out.push(
    scaling("html", "the HTML report (its content is being redesigned; see README)", (n) => {
      const i = input(n);
      return () => renderHtml(i);
    }),
  );
  return out;
}
