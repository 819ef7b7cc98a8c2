// The figures the HTML report's overview shows, from a run's running totals (html/tally.ts): per
// account (rating against what its resources achieve), per service, the controls that fail most
// and the worst resources. Pure data, no markup, so tests can check the numbers directly.

import type { Catalogue } from "../../catalogue.ts";
import { namespaceOf } from "../../catalogue.ts";
import { HIGHEST } from "../../cia.ts";
import { SEVERITY_ORDER } from "../../severity.ts";
import type {
  AccountContext,
  CiaAchieved,
  CiaRating,
  Compliance,
  Dimension,
  EvaluationRecord,
  Severity,
} from "../../types.ts";
import { DIMENSIONS } from "../../types.ts";
import type { ReportInput } from "../types.ts";
import type { FixFirst } from "./fix-first.ts";
import {
  type ControlFailures,
  type Counts,
  type HtmlLimits,
  type HtmlTally,
  type OpenControl,
  tallyOf,
  type WorstResource,
  zeroCounts,
} from "./tally.ts";

const COMPLIANCE: readonly Compliance[] = ["COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE"];

export type { ControlFailures, Counts, OpenControl, WorstResource } from "./tally.ts";

export interface AccountOverview {
  accountId: string;
  context: AccountContext;
  /** True when the account had no entry in the accounts map (rating taken from its records). */
  known: boolean;
  /** The account's resources shown in detail (at most the report's limits), in input order. */
  shown: EvaluationRecord[];
  /** The account's resources not shown in detail (over the report's limits). */
  leftOut: number;
  counts: Counts;
  /**
   * The lowest level each dimension reaches across the account's evaluated resources (the
   * weakest resource sets the account's level); undefined when no resource was evaluated.
   */
  achieved?: CiaAchieved;
  /** Per dimension, how many evaluated resources reach the account's required level. */
  meeting: Record<Dimension, number>;
  evaluated: number;
  /** Evaluated resources that reach the required level in every dimension. */
  meetingAll: number;
  failingRequired: number;
  /** Failing required findings by severity. */
  bySeverity: Record<Severity, number>;
  /** The account's failing required controls, most severe and most widespread first. */
  open: OpenControl[];
}

export interface ServiceOverview {
  service: string;
  /** False for resources of services the catalogue does not allow. */
  allowed: boolean;
  counts: Counts;
}

export interface Overview {
  accounts: AccountOverview[];
  services: ServiceOverview[];
  controls: ControlFailures[];
  worst: WorstResource[];
  totals: Counts;
  /** Resources in the run (every one counted, whether shown in detail or not). */
  resources: number;
  /** Resources not shown in detail, over all accounts. */
  leftOut: number;
  limits: Readonly<HtmlLimits>;
  /** Accounts, furthest from their required rating first. */
  ranked: AccountOverview[];
  /** The few controls whose remediation would move the most resources into compliance. */
  fixFirst: FixFirst[];
  /** The latest capture time of the evaluated items: how fresh the data is. */
  dataAsOf?: string;
  /** Compliant share of the resources that were evaluated (compliant + non-compliant), 0..100. */
  compliancePercent?: number;
}

/** The lowest achieved level per dimension across evaluated records; undefined when none. */
export function minimumAchieved(records: readonly EvaluationRecord[]): CiaAchieved | undefined {
  const evaluated = records.filter((r) => r.compliance !== "NOT_APPLICABLE");
  if (evaluated.length === 0) return undefined;
  const out = { c: 3, i: 3, a: 3 } as CiaAchieved;
  for (const r of evaluated) for (const d of DIMENSIONS) out[d] = Math.min(out[d], r.achieved[d]) as 0;
  return out;
}

function unknownAccount(accountId: string, firstRequired: CiaRating | undefined): AccountContext {
  const rating: CiaRating = firstRequired ?? { ...HIGHEST };
  return { accountId, rating: { ...rating }, unclassified: true, tags: {} };
}

/** The service a record belongs to: the catalogue's entry for its type, or its namespace. */
export function serviceOf(catalogue: Catalogue, resourceType: string): { service: string; allowed: boolean } {
  const exact = catalogue.policies.find((p) => p.resourceTypes.includes(resourceType));
  if (exact) return { service: exact.service, allowed: true };
  const ns = namespaceOf(resourceType);
  const byNamespace = catalogue.policies.find((p) => p.resourceTypes.some((t) => namespaceOf(t) === ns));
  if (byNamespace) return { service: byNamespace.service, allowed: true };
  return { service: ns.replace(/^AWS::/, "").toLowerCase(), allowed: false };
}

/** The compliant share of evaluated resources (compliant + non-compliant), one decimal. */
export function compliancePercent(counts: Counts): number | undefined {
  const evaluated = counts.COMPLIANT + counts.NON_COMPLIANT;
  return evaluated === 0 ? undefined : Math.round((counts.COMPLIANT / evaluated) * 1000) / 10;
}

/** Share (0..100, whole) of an account's evaluated resources reaching its rating in dimension d. */
export function shareMeeting(account: AccountOverview, d: Dimension | "all"): number | undefined {
  if (account.evaluated === 0) return undefined;
  const n = d === "all" ? account.meetingAll : account.meeting[d];
  return Math.round((n / account.evaluated) * 100);
}

/**
 * How far an account is from its required rating: the share of its evaluated resources that fall
 * short in at least one dimension (0 meets it everywhere; accounts with nothing evaluated rank last).
 */
export function distance(account: AccountOverview): number {
  const share = shareMeeting(account, "all");
  return share === undefined ? -1 : 100 - share;
}

/** The overview of a list of records (the report of a run held in memory). */
export function buildOverview(input: ReportInput, top = 10, limits?: Readonly<HtmlLimits>): Overview {
  return overviewOf(tallyOf(input.records, limits), input.accounts, input.catalogue, top);
}

const LEVELS = [0, 1, 2, 3] as const;

/** Per dimension, how many evaluated resources reach the rating, and how many reach it in all. */
function meetingOf(levels: Float64Array, rating: CiaRating) {
  const meeting = { c: 0, i: 0, a: 0 };
  let all = 0;
  let evaluated = 0;
  let achieved: CiaAchieved | undefined;
  for (const c of LEVELS)
    for (const i of LEVELS)
      for (const a of LEVELS) {
        const n = levels[c * 16 + i * 4 + a] ?? 0;
        if (n === 0) continue;
        evaluated += n;
        if (c >= rating.c) meeting.c += n;
        if (i >= rating.i) meeting.i += n;
        if (a >= rating.a) meeting.a += n;
        if (c >= rating.c && i >= rating.i && a >= rating.a) all += n;
        achieved = achieved
          ? ({
              c: Math.min(achieved.c, c),
              i: Math.min(achieved.i, i),
              a: Math.min(achieved.a, a),
            } as CiaAchieved)
          : { c, i, a };
      }
  return { meeting, all, evaluated, achieved };
}

const rank = (s: Severity) => SEVERITY_ORDER.indexOf(s);

/** The overview from a run's running totals (`htmlTally`): what the report shows, exact. */
export function overviewOf(
  tally: HtmlTally,
  known: ReadonlyMap<string, AccountContext>,
  catalogue: Catalogue,
  top = 10,
): Overview {
  const accountIds = new Set([...known.keys(), ...tally.accounts.keys()]);
  const accounts: AccountOverview[] = [...accountIds].sort().map((accountId) => {
    const t = tally.accounts.get(accountId);
    const context = known.get(accountId) ?? unknownAccount(accountId, t?.firstRequired);
    const counts = t ? { ...t.counts } : zeroCounts();
    const { meeting, all, evaluated, achieved } = meetingOf(
      t?.levels ?? new Float64Array(64),
      context.rating,
    );
    const shown = tally.details
      .kept(accountId)
      .sort((a, b) => a.seq - b.seq)
      .map((c) => c.record);
    const overview: AccountOverview = {
      accountId,
      context,
      known: known.has(accountId),
      shown,
      leftOut: tally.details.left(accountId),
      counts,
      meeting,
      evaluated,
      meetingAll: all,
      bySeverity: t ? { ...t.bySeverity } : { critical: 0, high: 0, medium: 0, low: 0 },
      failingRequired: t?.failingRequired ?? 0,
      open: [...(t?.open.values() ?? [])].sort(
        (a, b) =>
          rank(a.severity) - rank(b.severity) ||
          b.failing - a.failing ||
          a.controlId.localeCompare(b.controlId),
      ),
    };
    if (achieved) overview.achieved = achieved;
    return overview;
  });

  const byService = new Map<string, ServiceOverview>();
  for (const [type, counts] of tally.byType) {
    const { service, allowed } = serviceOf(catalogue, type);
    const entry = byService.get(service) ?? { service, allowed, counts: zeroCounts() };
    for (const c of COMPLIANCE) entry.counts[c] += counts[c];
    byService.set(service, entry);
  }

  const overview: Overview = {
    accounts,
    services: [...byService.values()].sort(
      (a, b) => b.counts.NON_COMPLIANT - a.counts.NON_COMPLIANT || a.service.localeCompare(b.service),
    ),
    controls: [...tally.controls.values()]
      .filter((c) => c.failing > 0)
      .sort(
        (a, b) =>
          b.failing - a.failing ||
          rank(a.severity) - rank(b.severity) ||
          a.controlId.localeCompare(b.controlId),
      )
      .slice(0, top)
      .map((c) => ({ ...c })),
    worst: tally.worst.slice(0, top),
    totals: { ...tally.totals },
    resources: tally.resources,
    leftOut: tally.details.leftOut,
    limits: tally.limits,
    ranked: [...accounts].sort(
      (a, b) =>
        distance(b) - distance(a) ||
        b.bySeverity.critical - a.bySeverity.critical ||
        b.bySeverity.high - a.bySeverity.high ||
        a.accountId.localeCompare(b.accountId),
    ),
    fixFirst: tally.fixFirst.rank(),
  };
  if (tally.dataAsOf) overview.dataAsOf = tally.dataAsOf;
  const pct = compliancePercent(tally.totals);
  if (pct !== undefined) overview.compliancePercent = pct;
  return overview;
}
