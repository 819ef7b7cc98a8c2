// What the HTML report keeps of a run, record by record: running totals for every figure it shows
// (tiles, accounts ranked, controls to fix first, compliance per service, each account's open
// controls) and, in detail, only the resources most worth reading: at most `perAccount` of each
// account and `total` in all, non-compliant first and the most severe first. Memory grows with the
// accounts and the catalogue, never with the number of resources; the figures stay exact.

import type { CiaRating, Compliance, EvaluationRecord, Finding, Severity } from "../../types.ts";
import { type FixFirstTally, fixFirstTally } from "./fix-first.ts";
import { boundedSelection, type Selection } from "./selection.ts";

/** How many resources the report shows in detail (their findings, one article each). */
export interface HtmlLimits {
  /** At most this many of one account. */
  perAccount: number;
  /** At most this many in all. */
  total: number;
}

/** A few thousand articles: a page a browser opens quickly, whatever the size of the organisation. */
export const DEFAULT_HTML_LIMITS: Readonly<HtmlLimits> = { perAccount: 200, total: 5_000 };

export type Counts = Record<Compliance, number>;

export const zeroCounts = (): Counts => ({ COMPLIANT: 0, NON_COMPLIANT: 0, NOT_APPLICABLE: 0 });

export const SEVERITY_WEIGHT: Record<Severity, number> = { critical: 100, high: 20, medium: 5, low: 1 };

export interface ControlFailures {
  controlId: string;
  title: string;
  severity: Severity;
  /** Resources where the control fails and the account requires it. */
  failing: number;
  waived: number;
}

export interface WorstResource {
  record: EvaluationRecord;
  failures: Finding[];
  score: number;
}

/** A failing required control of one account and how many of its resources fail it. */
export interface OpenControl {
  controlId: string;
  title: string;
  severity: Severity;
  failing: number;
}

export interface AccountTally {
  counts: Counts;
  /**
   * Evaluated resources per achieved level, index c * 16 + i * 4 + a (levels 0..3): enough to count,
   * for any rating, how many reach it, and the lowest level per dimension.
   */
  levels: Float64Array;
  bySeverity: Record<Severity, number>;
  failingRequired: number;
  open: Map<string, OpenControl>;
  /** The rating the account's first record was judged against (for an account with no context). */
  firstRequired: CiaRating;
}

/** A resource offered for the detailed part, with what ranks it. */
export interface Candidate {
  record: EvaluationRecord;
  /** 0 non-compliant, 1 compliant, 2 not applicable. */
  order: number;
  /** Severity-weighted failing required controls. */
  score: number;
  /**
   * Between resources equally worth showing: a hash of the resource's identity, so that the ones
   * kept are spread over the accounts rather than all taken from the first accounts by id.
   */
  spread: number;
  /** Arrival order: ties between identical keys keep the input's order. */
  seq: number;
}

export interface HtmlTally {
  add(record: EvaluationRecord): void;
  readonly limits: Readonly<HtmlLimits>;
  readonly resources: number;
  readonly totals: Counts;
  readonly byType: Map<string, Counts>;
  readonly accounts: Map<string, AccountTally>;
  readonly controls: Map<string, ControlFailures>;
  /** The `worstCount` worst resources, worst first. */
  readonly worst: WorstResource[];
  readonly fixFirst: FixFirstTally;
  /** The latest capture time (an epoch capture time says nothing about freshness). */
  readonly dataAsOf: string | undefined;
  readonly details: Selection<Candidate>;
}

const ORDER: Record<Compliance, number> = { NON_COMPLIANT: 0, COMPLIANT: 1, NOT_APPLICABLE: 2 };

/** True when a is less worth showing than b (kept last, dropped first). */
export function lessWorth(a: Candidate, b: Candidate): boolean {
  if (a.order !== b.order) return a.order > b.order;
  if (a.score !== b.score) return a.score < b.score;
  if (a.spread !== b.spread) return a.spread > b.spread;
  const x = a.record;
  const y = b.record;
  if (x.accountId !== y.accountId) return x.accountId > y.accountId;
  if (x.resourceType !== y.resourceType) return x.resourceType > y.resourceType;
  if (x.resourceId !== y.resourceId) return x.resourceId > y.resourceId;
  return a.seq > b.seq;
}

/** FNV-1a (32 bits) of a resource's account, type and id: cheap, stable across runs. */
export function spreadOf(record: EvaluationRecord): number {
  let h = 0x811c9dc5;
  const text = `${record.accountId}\u0000${record.resourceType}\u0000${record.resourceId}`;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const compareWorst = (a: WorstResource, b: WorstResource): number =>
  b.score - a.score ||
  a.record.accountId.localeCompare(b.record.accountId) ||
  a.record.resourceId.localeCompare(b.record.resourceId);

function accountTally(first: EvaluationRecord): AccountTally {
  return {
    counts: zeroCounts(),
    levels: new Float64Array(64),
    bySeverity: { critical: 0, high: 0, medium: 0, low: 0 },
    failingRequired: 0,
    open: new Map(),
    firstRequired: first.required,
  };
}

export function htmlTally(limits: Readonly<HtmlLimits> = DEFAULT_HTML_LIMITS, worstCount = 10): HtmlTally {
  const totals = zeroCounts();
  const byType = new Map<string, Counts>();
  const accounts = new Map<string, AccountTally>();
  const controls = new Map<string, ControlFailures>();
  const worst: WorstResource[] = [];
  const fixFirst = fixFirstTally();
  const details = boundedSelection<Candidate>(limits.perAccount, limits.total, lessWorth);
  let resources = 0;
  let latest = "";

  const addWorst = (entry: WorstResource) => {
    // Sorted insertion into a list of at most worstCount: after the equal ones (input order).
    let at = worst.length;
    while (at > 0 && compareWorst(entry, worst[at - 1] as WorstResource) < 0) at--;
    if (at >= worstCount) return;
    worst.splice(at, 0, entry);
    if (worst.length > worstCount) worst.pop();
  };

  return {
    limits,
    totals,
    byType,
    accounts,
    controls,
    worst,
    fixFirst,
    details,
    get resources() {
      return resources;
    },
    get dataAsOf() {
      return latest || undefined;
    },
    add(record) {
      const seq = resources++;
      totals[record.compliance]++;
      if (record.capturedAt > latest && !record.capturedAt.startsWith("1970-01-01"))
        latest = record.capturedAt;
      let type = byType.get(record.resourceType);
      if (!type) {
        type = zeroCounts();
        byType.set(record.resourceType, type);
      }
      type[record.compliance]++;

      let account = accounts.get(record.accountId);
      if (!account) {
        account = accountTally(record);
        accounts.set(record.accountId, account);
      }
      account.counts[record.compliance]++;
      if (record.compliance !== "NOT_APPLICABLE") {
        const { c, i, a } = record.achieved;
        const at = c * 16 + i * 4 + a;
        account.levels[at] = (account.levels[at] ?? 0) + 1;
      }

      let score = 0;
      let failures: Finding[] | undefined;
      for (const f of record.findings) {
        if (!f.required) continue;
        if (f.status === "FAIL" || f.status === "WAIVED") {
          const c = controls.get(f.controlId) ?? {
            controlId: f.controlId,
            title: f.title,
            severity: f.severity,
            failing: 0,
            waived: 0,
          };
          if (f.status === "FAIL") c.failing++;
          else c.waived++;
          controls.set(f.controlId, c);
        }
        if (f.status !== "FAIL") continue;
        score += SEVERITY_WEIGHT[f.severity];
        if (failures) failures.push(f);
        else failures = [f];
        account.bySeverity[f.severity]++;
        account.failingRequired++;
        const open = account.open.get(f.controlId);
        if (open) open.failing++;
        else
          account.open.set(f.controlId, {
            controlId: f.controlId,
            title: f.title,
            severity: f.severity,
            failing: 1,
          });
      }
      if (failures) addWorst({ record, failures, score });
      fixFirst.add(record);
      const order = ORDER[record.compliance];
      details.add({ record, order, score, spread: spreadOf(record), seq }, record.accountId);
    },
  };
}

/** The tally of a list of records. */
export function tallyOf(records: readonly EvaluationRecord[], limits?: Readonly<HtmlLimits>): HtmlTally {
  const tally = htmlTally(limits);
  for (const r of records) tally.add(r);
  return tally;
}
