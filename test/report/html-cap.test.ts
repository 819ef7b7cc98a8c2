// The HTML report at scale: 200,000 results added record by record (as `compliance evaluate`
// adds them) keep only the resources the report shows in detail, under its limits, while every
// figure of the overview stays exact (checked against counts made here, independently); the
// report says what it left out and how to get it all. Memory is not measured here (`npm run bench`
// does); the number of records kept is.

import { Writable } from "node:stream";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { evaluateCommand } from "../../cli/commands/evaluate.ts";
import { UsageError } from "../../cli/errors.ts";
import { accountContext } from "../../engine/accounts.ts";
import { evaluate } from "../../engine/evaluate.ts";
import { normalise } from "../../engine/normalise.ts";
import { rankFixFirst } from "../../engine/report/html/fix-first.ts";
import { overviewOf, serviceOf } from "../../engine/report/html/overview.ts";
import { boundedSelection } from "../../engine/report/html/selection.ts";
import {
  type Candidate,
  DEFAULT_HTML_LIMITS,
  htmlTally,
  lessWorth,
  SEVERITY_WEIGHT,
  spreadOf,
} from "../../engine/report/html/tally.ts";
import { renderHtml } from "../../engine/report/html.ts";
import { retainer } from "../../engine/report/retained.ts";
import { renderSarif, sarifResultCount } from "../../engine/report/sarif.ts";
import { addToSummary, emptySummary, type ReportInput } from "../../engine/report/types.ts";
import type { AccountContext, Compliance, EvaluationRecord, Severity } from "../../engine/types.ts";
import { DIMENSIONS } from "../../engine/types.ts";
import { repositoryCatalogue } from "../support/catalogue.ts";
import { loadFixtures } from "../support/fixtures.ts";
import { sampleInput } from "./sample-input.ts";

const catalogue = repositoryCatalogue();
const now = new Date("2026-11-28T00:00:00Z");
const RESULTS = 200_000;
const ACCOUNTS = 40;

/** Real evaluations of the recorded items at two ratings: the shapes a run's records take. */
const base: EvaluationRecord[] = [...loadFixtures("ci"), ...loadFixtures("ci-partial")].flatMap((f) =>
  [
    { c: 3, i: 3, a: 3 },
    { c: 1, i: 2, a: 1 },
  ].map((rating) =>
    evaluate(normalise(f.raw, { resourceType: f.resourceType }), catalogue, {
      rating: rating as { c: 3; i: 3; a: 3 },
      now,
    }),
  ),
);

const accountIdOf = (i: number) => String(100000000000 + (i % ACCOUNTS));

/** The i-th generated record: a real one, moved into one of the accounts, with an id of its own. */
function generated(i: number): EvaluationRecord {
  const r = base[(i * 7919) % base.length] as EvaluationRecord;
  return { ...r, accountId: accountIdOf(i), resourceId: `${r.resourceId}-${i}` };
}

/** Half the accounts have a context (a rating from their tags); the others are unknown. */
function knownAccounts(): Map<string, AccountContext> {
  const out = new Map<string, AccountContext>();
  for (let i = 0; i < ACCOUNTS; i += 2) {
    const id = accountIdOf(i);
    out.set(id, accountContext(id, { "cia-rating": i % 4 === 0 ? "C2I2A2" : "C3I1A3" }));
  }
  return out;
}

interface Expected {
  totals: Record<Compliance, number>;
  accounts: Map<
    string,
    {
      first: EvaluationRecord;
      counts: Record<Compliance, number>;
      records: EvaluationRecord[];
      bySeverity: Record<Severity, number>;
      open: Map<string, number>;
    }
  >;
  byService: Map<string, Record<Compliance, number>>;
  failing: Map<string, number>;
}

/** The figures counted the plain way, from every record. */
function expected(records: readonly EvaluationRecord[]): Expected {
  // The service of each resource type, asked once per type: the same answers as asking once per
  // record, without scanning the catalogue's policies 200,000 times.
  const services = new Map<string, string>();
  const out: Expected = {
    totals: { COMPLIANT: 0, NON_COMPLIANT: 0, NOT_APPLICABLE: 0 },
    accounts: new Map(),
    byService: new Map(),
    failing: new Map(),
  };
  for (const r of records) {
    out.totals[r.compliance]++;
    const a = out.accounts.get(r.accountId) ?? {
      first: r,
      counts: { COMPLIANT: 0, NON_COMPLIANT: 0, NOT_APPLICABLE: 0 },
      records: [],
      bySeverity: { critical: 0, high: 0, medium: 0, low: 0 },
      open: new Map<string, number>(),
    };
    a.counts[r.compliance]++;
    a.records.push(r);
    for (const f of r.findings.filter((f) => f.status === "FAIL" && f.required)) {
      a.bySeverity[f.severity]++;
      a.open.set(f.controlId, (a.open.get(f.controlId) ?? 0) + 1);
      out.failing.set(f.controlId, (out.failing.get(f.controlId) ?? 0) + 1);
    }
    out.accounts.set(r.accountId, a);
    let service = services.get(r.resourceType);
    if (service === undefined) {
      service = serviceOf(catalogue, r.resourceType).service;
      services.set(r.resourceType, service);
    }
    const s = out.byService.get(service) ?? { COMPLIANT: 0, NON_COMPLIANT: 0, NOT_APPLICABLE: 0 };
    s[r.compliance]++;
    out.byService.set(service, s);
  }
  return out;
}

const scoreOf = (r: EvaluationRecord) =>
  r.findings
    .filter((f) => f.status === "FAIL" && f.required)
    .reduce((n, f) => n + SEVERITY_WEIGHT[f.severity], 0);
const ORDER: Record<Compliance, number> = { NON_COMPLIANT: 0, COMPLIANT: 1, NOT_APPLICABLE: 2 };

describe("the HTML report of 200,000 results", () => {
  const records = Array.from({ length: RESULTS }, (_, i) => generated(i));
  const accounts = knownAccounts();
  const kept = retainer("none", { html: DEFAULT_HTML_LIMITS });
  const summary = emptySummary();
  for (const r of records) {
    addToSummary(summary, r);
    kept.add(r);
  }
  const tally = kept.html!;
  const overview = overviewOf(tally, accounts, catalogue);
  const want = expected(records);

  it("keeps only the resources it shows in detail, under both limits", () => {
    expect(kept.records).toHaveLength(0);
    expect(tally.details.size).toBe(DEFAULT_HTML_LIMITS.total);
    expect(tally.details.leftOut).toBe(RESULTS - DEFAULT_HTML_LIMITS.total);
    for (const a of overview.accounts) {
      expect(a.shown.length).toBeLessThanOrEqual(DEFAULT_HTML_LIMITS.perAccount);
      expect(a.shown.length + a.leftOut).toBe(want.accounts.get(a.accountId)?.records.length ?? 0);
    }
  });

  it("keeps the ones most worth reading: what sorting every record would keep", () => {
    const all: Candidate[] = records.map((record, seq) => ({
      record,
      order: ORDER[record.compliance],
      score: scoreOf(record),
      spread: spreadOf(record),
      seq,
    }));
    const best = (a: Candidate, b: Candidate) => (lessWorth(a, b) ? 1 : lessWorth(b, a) ? -1 : 0);
    const perAccount = new Map<string, Candidate[]>();
    for (const c of all) {
      const list = perAccount.get(c.record.accountId) ?? [];
      list.push(c);
      perAccount.set(c.record.accountId, list);
    }
    const chosen = [...perAccount.values()]
      .flatMap((list) => list.sort(best).slice(0, DEFAULT_HTML_LIMITS.perAccount))
      .sort(best)
      .slice(0, DEFAULT_HTML_LIMITS.total);
    const keptIds = overview.accounts.flatMap((a) => a.shown.map((r) => `${r.accountId}/${r.resourceId}`));
    expect(new Set(keptIds)).toEqual(
      new Set(chosen.map((c) => `${c.record.accountId}/${c.record.resourceId}`)),
    );
    // Non-compliant resources come first: some are left out, so no compliant one is shown.
    expect(overview.accounts.flatMap((a) => a.shown).every((r) => r.compliance === "NON_COMPLIANT")).toBe(
      true,
    );
  });

  it("counts every result exactly: tiles, accounts, services, controls", () => {
    expect(overview.resources).toBe(RESULTS);
    expect(overview.totals).toEqual(want.totals);
    expect(overview.totals).toEqual(summary.byCompliance);
    for (const a of overview.accounts) {
      const w = want.accounts.get(a.accountId)!;
      expect(a.counts).toEqual(w.counts);
      expect(a.bySeverity).toEqual(w.bySeverity);
      expect(a.context.rating).toEqual(accounts.get(a.accountId)?.rating ?? w.first.required);
      const evaluated = w.records.filter((r) => r.compliance !== "NOT_APPLICABLE");
      expect(a.evaluated).toBe(evaluated.length);
      for (const d of DIMENSIONS) {
        expect(a.meeting[d]).toBe(evaluated.filter((r) => r.achieved[d] >= a.context.rating[d]).length);
        expect(a.achieved?.[d]).toBe(Math.min(...evaluated.map((r) => r.achieved[d])));
      }
      expect(a.meetingAll).toBe(
        evaluated.filter((r) => DIMENSIONS.every((d) => r.achieved[d] >= a.context.rating[d])).length,
      );
      expect(new Map(a.open.map((c) => [c.controlId, c.failing]))).toEqual(w.open);
    }
    expect(new Map(overview.services.map((s) => [s.service, s.counts]))).toEqual(want.byService);
    for (const c of overview.controls) expect(c.failing).toBe(want.failing.get(c.controlId));
    const mostFailing = Math.max(...want.failing.values());
    expect(overview.controls[0]?.failing).toBe(mostFailing);
    // Fix-first counts the same failures; the first control completes resources from the compliant count up.
    for (const f of overview.fixFirst) expect(f.failing).toBe(want.failing.get(f.controlId));
    const first = overview.fixFirst[0]!;
    expect(first.compliantAfter).toBe(want.totals.COMPLIANT + first.completes);
  });

  it("renders every article it kept, the exact counts, and says what it left out", () => {
    const input: ReportInput = {
      records: [],
      accounts,
      catalogue,
      problems: [],
      summary,
      generatedAt: now,
      title: "200k",
    };
    const html = renderHtml(input, { tally });
    expect(html.match(/<article class="resource /g)).toHaveLength(DEFAULT_HTML_LIMITS.total);
    expect(html).toContain(`data-key="resources"><div class="value">${RESULTS}</div>`);
    expect(html).toContain(
      `show ${DEFAULT_HTML_LIMITS.total} of the ${RESULTS} resources in detail (at most ${DEFAULT_HTML_LIMITS.perAccount} per account and ${DEFAULT_HTML_LIMITS.total} in all`,
    );
    expect(html).toContain(`${RESULTS - DEFAULT_HTML_LIMITS.total} are left out of the details`);
    expect(html).toContain("<code>compliance evaluate --format json</code> lists every resource");
    // One note per account with resources left out, with that account's numbers.
    const notes = html.match(/of this account are shown in detail/g) ?? [];
    expect(notes).toHaveLength(overview.accounts.filter((a) => a.leftOut > 0).length);
    const a = overview.accounts.find((x) => x.leftOut > 0)!;
    expect(html).toContain(
      `${a.shown.length} of ${a.shown.length + a.leftOut} resources of this account are shown in detail`,
    );
    expect(html).toContain("more not shown in detail</span>");
  });
});

describe("the HTML report under its limits", () => {
  const input = sampleInput();

  it("a run within the limits is the report of every record, with no note", () => {
    const html = renderHtml(input);
    expect(renderHtml(input, { limits: { perAccount: 1_000_000, total: 1_000_000 } })).toBe(html);
    expect(html).not.toContain('data-key="left-out"');
    expect(html.match(/<article class="resource /g)).toHaveLength(input.records.length);
  });

  it("limits of one per account and two in all: the worst two, counted and noted", () => {
    const html = renderHtml(input, { limits: { perAccount: 1, total: 2 } });
    expect(html.match(/<article class="resource /g)).toHaveLength(2);
    expect(html).toContain(`show 2 of the ${input.records.length} resources in detail`);
    // The tiles still count every record.
    expect(html).toContain(`data-key="resources"><div class="value">${input.records.length}</div>`);
    const zero = renderHtml(input, { limits: { perAccount: 0, total: 0 } });
    expect(zero.match(/<article class="resource /g)).toBeNull();
    expect(zero).toContain("none shown in detail");
  });

  it("the table beside the HTML report keeps trimmed copies: the HTML details keep every finding", () => {
    const kept = retainer("table", { html: DEFAULT_HTML_LIMITS });
    for (const r of structuredClone(input.records)) kept.add(r);
    expect(renderHtml({ ...input, records: [] }, { tally: kept.html! })).toBe(renderHtml(input));
    expect(kept.records.every((r) => r.findings.every((f) => f.status !== "PASS"))).toBe(true);
  });
});

describe("resources equally worth showing", () => {
  it("are spread over the accounts, not all taken from the first accounts by id", () => {
    const worst = base
      .filter((r) => r.compliance === "NON_COMPLIANT")
      .sort((a, b) => scoreOf(b) - scoreOf(a))[0]!;
    const tally = htmlTally({ perAccount: 50, total: 100 });
    for (let i = 0; i < 1_000; i++)
      tally.add({ ...worst, accountId: String(200000000000 + (i % 10)), resourceId: `same-${i}` });
    const shown = [...tally.accounts.keys()].map((a) => tally.details.kept(a).length);
    expect(shown.reduce((n, k) => n + k, 0)).toBe(100);
    // Ordered by account id alone, the first two accounts would take all 100.
    for (const k of shown) expect(k).toBeGreaterThan(0);
  });
});

describe("boundedSelection", () => {
  it("keeps what sorting everything would keep: the best of each group, then the best of all", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 30 })), {
          maxLength: 120,
        }),
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 0, max: 25 }),
        (entries, perGroup, total) => {
          type E = { group: string; worth: number; seq: number };
          const worse = (a: E, b: E) => a.worth < b.worth || (a.worth === b.worth && a.seq > b.seq);
          const s = boundedSelection<E>(perGroup, total, worse);
          const all = entries.map(([g, worth], seq) => ({ group: `g${g}`, worth, seq }));
          for (const e of all) s.add(e, e.group);
          const order = (a: E, b: E) => (worse(a, b) ? 1 : worse(b, a) ? -1 : 0);
          const groups = [...new Set(all.map((e) => e.group))];
          const want = groups
            .flatMap((g) =>
              all
                .filter((e) => e.group === g)
                .sort(order)
                .slice(0, perGroup),
            )
            .sort(order)
            .slice(0, total);
          const got = groups.flatMap((g) => s.kept(g));
          expect(got.map((e) => e.seq).sort((a, b) => a - b)).toEqual(
            want.map((e) => e.seq).sort((a, b) => a - b),
          );
          expect(s.leftOut).toBe(all.length - want.length);
          for (const g of groups)
            expect(s.left(g)).toBe(all.filter((e) => e.group === g).length - s.kept(g).length);
        },
      ),
      { seed: 20261202, numRuns: 300 },
    );
  });
});

describe("SARIF over its cap", () => {
  it("says in the run's properties how many results it left out", () => {
    const input = sampleInput();
    const total = input.records.reduce((n, r) => n + sarifResultCount(r), 0);
    const run = renderSarif(input, { maxResults: 2 }).runs[0]!;
    expect(run.results).toHaveLength(2);
    expect(run.properties).toMatchObject({ resultsLimit: 2, resultsOmitted: total - 2 });
    expect(renderSarif(input).runs[0]!.properties).not.toHaveProperty("resultsOmitted");
  });
});

describe("compliance evaluate's HTML limits", () => {
  class Collect extends Writable {
    text = "";
    override _write(chunk: Buffer | string, _encoding: string, done: () => void): void {
      this.text += chunk.toString();
      done();
    }
  }
  const run = async (args: string[]) => {
    const stdout = new Collect();
    const stderr = new Collect();
    const code = await evaluateCommand.run(args, { stdout, stderr, now: () => now, cwd: process.cwd() });
    return { code, stdout: stdout.text };
  };

  it("--html-max-resources 3: three resources of the sample organisation in detail, the rest counted", async () => {
    const { stdout } = await run(["--format", "html", "--html-max-resources", "3", "--exit-zero"]);
    expect(stdout.match(/<article class="resource /g)).toHaveLength(3);
    const total = Number(/data-key="resources"><div class="value">(\d+)</.exec(stdout)?.[1]);
    expect(total).toBeGreaterThan(3);
    expect(stdout).toContain(
      `show 3 of the ${total} resources in detail (at most 200 per account and 3 in all`,
    );
  });

  it("a limit that is not a number is a usage error naming the option", async () => {
    await expect(run(["--html-per-account", "many"])).rejects.toThrow(
      /^--html-per-account: "many" is not a number of resources from 0 to 1000000$/,
    );
    await expect(run(["--html-max-resources", "1.5"])).rejects.toBeInstanceOf(UsageError);
  });
});

describe("fix-first from running totals", () => {
  /** The ranking as first written: every non-compliant record on its own (progress in 60ths: exact). */
  function reference(records: EvaluationRecord[], top = 5) {
    const sev: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };
    const info = new Map<string, { severity: Severity; failing: number }>();
    let remaining: Set<string>[] = [];
    let compliant = 0;
    for (const r of records) {
      if (r.compliance === "COMPLIANT") compliant++;
      if (r.compliance !== "NON_COMPLIANT") continue;
      const ids = new Set<string>();
      for (const f of r.findings)
        if (f.status === "FAIL" && f.required) {
          const c = info.get(f.controlId) ?? { severity: f.severity, failing: 0 };
          c.failing++;
          info.set(f.controlId, c);
          ids.add(f.controlId);
        }
      if (ids.size > 0) remaining.push(ids);
    }
    const out: [string, number, number][] = [];
    while (out.length < top && info.size > 0) {
      const completes = new Map<string, number>();
      const progress = new Map<string, number>();
      for (const ids of remaining) {
        for (const id of ids) progress.set(id, (progress.get(id) ?? 0) + 60 / ids.size);
        if (ids.size === 1) for (const id of ids) completes.set(id, (completes.get(id) ?? 0) + 1);
      }
      const [best] = [...info.keys()].sort(
        (a, b) =>
          (completes.get(b) ?? 0) - (completes.get(a) ?? 0) ||
          (progress.get(b) ?? 0) - (progress.get(a) ?? 0) ||
          info.get(b)!.failing - info.get(a)!.failing ||
          sev[info.get(a)!.severity] - sev[info.get(b)!.severity] ||
          a.localeCompare(b),
      );
      const done = completes.get(best!) ?? 0;
      compliant += done;
      out.push([best!, done, compliant]);
      info.delete(best!);
      for (const ids of remaining) ids.delete(best!);
      remaining = remaining.filter((ids) => ids.size > 0);
    }
    return out;
  }

  it("ranks as the record-by-record ranking does, on generated runs (fast-check, fixed seed)", () => {
    const controls = ["A", "B", "C", "D", "E"];
    const severities: Severity[] = ["critical", "high", "medium", "low", "high"];
    fc.assert(
      fc.property(
        fc.array(fc.subarray(controls), { maxLength: 40 }),
        fc.integer({ min: 1, max: 5 }),
        (sets, top) => {
          const records = sets.map(
            (ids, n): EvaluationRecord => ({
              ...base[0]!,
              resourceId: `r${n}`,
              compliance: ids.length > 0 ? "NON_COMPLIANT" : "COMPLIANT",
              findings: ids.map((id) => ({
                controlId: id,
                title: id,
                status: "FAIL",
                severity: severities[controls.indexOf(id)]!,
                message: "m",
                cia: { c: 1 },
                required: true,
              })),
            }),
          );
          const got = rankFixFirst(records, top).map((f) => [f.controlId, f.completes, f.compliantAfter]);
          expect(got).toEqual(reference(records, top));
        },
      ),
      { seed: 20261202, numRuns: 300 },
    );
  });
});
