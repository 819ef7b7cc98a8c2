// The report writers at scale, each as `compliance evaluate` runs it: records handed over one by
// one (to the JSON writer, or to what the format keeps of them: engine/report/retained.ts), then
// the report rendered. Per result, at 10,000 and at 100,000 results: a writer linear in the number
// of results keeps the per-result time flat (ratio close to 1); a quadratic one grows tenfold.
// And the peak heap of each, records generated as they are handed over (so the heap holds what the
// format keeps, not the input): bounded formats (JSON, SARIF, HTML) stay flat from 10k to 100k,
// the table (a line per resource) grows with the resources. Records are real evaluations of the
// sample organisation, spread over 50 accounts.

import { getHeapStatistics } from "node:v8";
import { chunked } from "../cli/output.ts";
import type { CaseResult } from "../engine/cases.ts";
import { loadCatalogue } from "../engine/catalogue.ts";
import { evaluate } from "../engine/evaluate.ts";
import { normalise } from "../engine/normalise.ts";
import { DEFAULT_HTML_LIMITS } from "../engine/report/html/tally.ts";
import { renderHtml } from "../engine/report/html.ts";
import { jsonWriter } from "../engine/report/json.ts";
import { renderJunit } from "../engine/report/junit.ts";
import { retainer } from "../engine/report/retained.ts";
import { renderSarif } from "../engine/report/sarif.ts";
import { renderTable } from "../engine/report/table.ts";
import { addToSummary, emptySummary, type ReportInput } from "../engine/report/types.ts";
import type { EvaluationRecord } from "../engine/types.ts";
import { readPolicySources } from "../loader/policy-files.ts";
import { sampleItemTexts } from "./evaluate.ts";
import { type Figure, figure, time } from "./figure.ts";

const SMALL = 10_000;
const LARGE = 100_000;
const ACCOUNTS = 50;

/** The i-th record of a run: a real evaluation with an id and an account of its own. */
function recordAt(i: number, base: readonly EvaluationRecord[]): EvaluationRecord {
  const r = base[i % base.length]!;
  // Built as evaluate builds records (one object shape), not by spreading: Node 20 gives every
  // spread copy a shape of its own, which would slow the writers that read them.
  const record: EvaluationRecord = {
    resourceType: r.resourceType,
    resourceId: `${r.resourceId}-${i}`,
    accountId: String(100000000000 + (i % ACCOUNTS)),
    region: r.region,
    compliance: r.compliance,
    annotation: r.annotation,
    required: r.required,
    achieved: r.achieved,
    // Findings of its own, as every evaluation makes them (what a format keeps is then real).
    findings: r.findings.map((f) => ({ ...f })),
    capturedAt: r.capturedAt,
  };
  if (r.resourceName !== undefined) record.resourceName = r.resourceName;
  if (r.arn !== undefined) record.arn = r.arn;
  return record;
}

/** A run's records (generated as they are read, never all held) and its context. */
interface Run {
  count: number;
  records(): Iterable<EvaluationRecord>;
  input: ReportInput;
}

function runOf(count: number, base: readonly EvaluationRecord[]): Run {
  const catalogue = loadCatalogue(readPolicySources());
  const summary = emptySummary();
  for (let i = 0; i < count; i++) addToSummary(summary, recordAt(i, base));
  summary.accounts = ACCOUNTS;
  return {
    count,
    *records() {
      for (let i = 0; i < count; i++) yield recordAt(i, base);
    },
    input: {
      records: [],
      accounts: new Map(),
      catalogue,
      problems: [],
      summary,
      generatedAt: new Date(0),
      title: "bench",
    },
  };
}

/** Each format as the CLI writes it: what it keeps of every record, then the report. */
const PIPELINES: Record<"table" | "json" | "sarif" | "html", (run: Run, sample: () => void) => string> = {
  table(run, sample) {
    const kept = retainer("table");
    let i = 0;
    for (const r of run.records()) {
      kept.add(r);
      if (++i % (run.count / 10) === 0) sample();
    }
    return renderTable({ ...run.input, records: kept.records }, { color: false });
  },
  json(run, sample) {
    // Encoded and chunked as the CLI's report file is, then dropped.
    let bytes = 0;
    const out = chunked((chunk) => {
      bytes += chunk.length;
    });
    const w = jsonWriter(out.write);
    let i = 0;
    for (const r of run.records()) {
      w.record(r);
      if (++i % (run.count / 10) === 0) sample();
    }
    w.end(run.input.summary, []);
    out.flush();
    if (bytes === 0) throw new Error("the JSON writer wrote nothing");
    return "";
  },
  sarif(run, sample) {
    const kept = retainer("sarif");
    let i = 0;
    for (const r of run.records()) {
      kept.add(r);
      if (++i % (run.count / 10) === 0) sample();
    }
    const log = renderSarif({ ...run.input, records: kept.records }, { omitted: kept.sarifOmitted });
    return JSON.stringify(log, null, 2);
  },
  html(run, sample) {
    const kept = retainer("none", { html: DEFAULT_HTML_LIMITS });
    let i = 0;
    for (const r of run.records()) {
      kept.add(r);
      if (++i % (run.count / 10) === 0) sample();
    }
    return renderHtml(run.input, { tally: kept.html });
  },
};

const NOTES: Record<keyof typeof PIPELINES, string> = {
  table: "the default format: every resource and its failing findings",
  json: "the streamed JSON document (written to a sink)",
  sarif: "SARIF (capped at 25,000 results, the rest counted)",
  html: `the HTML report: running totals, ${DEFAULT_HTML_LIMITS.total} resources at most in detail`,
};

const gc = (globalThis as { gc?: () => void }).gc;
const heapMb = () => getHeapStatistics().used_heap_size / 1024 / 1024;

/**
 * The most heap a format's pipeline holds at once above where it started, in MiB: sampled after a
 * collection every tenth of the records and once the report is rendered (its text held; the JSON
 * report's text is written as it goes, never held).
 */
function peakHeap(pipeline: (run: Run, sample: () => void) => string, run: Run): number {
  gc?.();
  const start = heapMb();
  let peak = 0;
  const sample = () => {
    gc?.();
    peak = Math.max(peak, heapMb() - start);
  };
  const text = pipeline(run, sample);
  sample();
  // The text is used after the last sample, so it was still held when the sample was taken.
  if (text.length < 0) throw new Error("unreachable");
  return Math.max(peak, 0);
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
  const out: Figure[] = [];
  const formats = Object.keys(PIPELINES) as (keyof typeof PIPELINES)[];
  // Records are made as they are handed over (a fraction of a microsecond each, timed with the
  // writer): formats that trim what they keep (table, SARIF) never see a record trimmed before.
  const runs = new Map([SMALL, LARGE].map((n) => [n, runOf(n, base)]));
  for (const name of formats) {
    out.push(
      scaling(name, NOTES[name], (n) => {
        const run = runs.get(n)!;
        return () => PIPELINES[name](run, () => {});
      }),
    );
  }
  out.push(
    scaling("junit", "`compliance test --format junit`, per case result", (n) => {
      const results = caseResults(n);
      return () => renderJunit(results);
    }),
  );
  // Memory: the heap holds only what the format keeps (the records are made as they are handed over).
  for (const name of formats) {
    const small = peakHeap(PIPELINES[name], runs.get(SMALL)!);
    const large = peakHeap(PIPELINES[name], runs.get(LARGE)!);
    out.push(
      figure(
        `report.${name}.peak-heap@100k`,
        large,
        "MiB",
        { name: `report.${name}.peak-heap@10k`, value: Math.max(small, 0.01) },
        `${NOTES[name]}: the most heap held above the start while writing it${gc ? "" : " (without --expose-gc: garbage included)"}`,
      ),
    );
  }
  return out;
}
