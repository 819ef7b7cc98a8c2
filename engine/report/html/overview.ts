// The figures the HTML report's overview shows, computed from the records only: per account
// (rating against what its resources achieve), per service, the controls that fail most and the
// worst resources. Pure data, no markup, so tests can check the numbers directly.

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
  Finding,
  Severity,
} from "../../types.ts";
import { DIMENSIONS } from "../../types.ts";
import type { ReportInput } from "../types.ts";

const SEVERITY_WEIGHT: Record<Severity, number> = { critical: 100, high: 20, medium: 5, low: 1 };

export type Counts = Record<Compliance, number>;

export interface AccountOverview {
  accountId: string;
  context: AccountContext;
  /** True when the account had no entry in the accounts map (rating taken from its records). */
  known: boolean;
  records: EvaluationRecord[];
  counts: Counts;
  /**
   * The lowest level each dimension reaches across the account's evaluated resources (the
   * weakest resource sets the account's level); undefined when no resource was evaluated.
   */
  achieved?: CiaAchieved;
  /** Per dimension, how many evaluated resources reach the account's required level. */
  meeting: Record<Dimension, number>;
  evaluated: number;
  failingRequired: number;
}

export interface ServiceOverview {
  service: string;
  /** False for resources of services the catalogue does not allow. */
  allowed: boolean;
  counts: Counts;
}

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

export interface Overview {
  accounts: AccountOverview[];
  services: ServiceOverview[];
  controls: ControlFailures[];
  worst: WorstResource[];
  totals: Counts;
  /** Compliant share of the resources that were evaluated (compliant + non-compliant), 0..100. */
  compliancePercent?: number;
}

const zero = (): Counts => ({ COMPLIANT: 0, NON_COMPLIANT: 0, NOT_APPLICABLE: 0 });

export const failingRequired = (record: EvaluationRecord): Finding[] =>
  record.findings.filter((f) => f.status === "FAIL" && f.required);

/** The lowest achieved level per dimension across evaluated records; undefined when none. */
export function minimumAchieved(records: readonly EvaluationRecord[]): CiaAchieved | undefined {
  const evaluated = records.filter((r) => r.compliance !== "NOT_APPLICABLE");
  if (evaluated.length === 0) return undefined;
  const out = { c: 3, i: 3, a: 3 } as CiaAchieved;
  for (const r of evaluated) for (const d of DIMENSIONS) out[d] = Math.min(out[d], r.achieved[d]) as 0;
  return out;
}

function unknownAccount(accountId: string, records: EvaluationRecord[]): AccountContext {
  const rating: CiaRating = records[0]?.required ?? { ...HIGHEST };
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

export function buildOverview(input: ReportInput, top = 10): Overview {
  const totals = zero();
  const byAccount = new Map<string, EvaluationRecord[]>();
  const byService = new Map<string, ServiceOverview>();
  const controls = new Map<string, ControlFailures>();
  const worst: WorstResource[] = [];

  for (const record of input.records) {
    totals[record.compliance]++;
    const list = byAccount.get(record.accountId) ?? [];
    list.push(record);
    byAccount.set(record.accountId, list);

    const { service, allowed } = serviceOf(input.catalogue, record.resourceType);
    const entry = byService.get(service) ?? { service, allowed, counts: zero() };
    entry.counts[record.compliance]++;
    byService.set(service, entry);

    for (const f of record.findings) {
      if (!(f.required && (f.status === "FAIL" || f.status === "WAIVED"))) continue;
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
    const failures = failingRequired(record);
    if (failures.length > 0) {
      const score = failures.reduce((s, f) => s + SEVERITY_WEIGHT[f.severity], 0);
      worst.push({ record, failures, score });
    }
  }

  const accountIds = new Set([...input.accounts.keys(), ...byAccount.keys()]);
  const accounts: AccountOverview[] = [...accountIds].sort().map((accountId) => {
    const records = byAccount.get(accountId) ?? [];
    const counts = zero();
    for (const r of records) counts[r.compliance]++;
    const context = input.accounts.get(accountId) ?? unknownAccount(accountId, records);
    const evaluated = records.filter((r) => r.compliance !== "NOT_APPLICABLE");
    const meeting = { c: 0, i: 0, a: 0 };
    for (const r of evaluated)
      for (const d of DIMENSIONS) if (r.achieved[d] >= context.rating[d]) meeting[d]++;
    const overview: AccountOverview = {
      accountId,
      context,
      known: input.accounts.has(accountId),
      records,
      counts,
      meeting,
      evaluated: evaluated.length,
      failingRequired: records.reduce((n, r) => n + failingRequired(r).length, 0),
    };
    const achieved = minimumAchieved(records);
    if (achieved) overview.achieved = achieved;
    return overview;
  });

  const rank = (s: Severity) => SEVERITY_ORDER.indexOf(s);
  const overview: Overview = {
    accounts,
    services: [...byService.values()].sort(
      (a, b) => b.counts.NON_COMPLIANT - a.counts.NON_COMPLIANT || a.service.localeCompare(b.service),
    ),
    controls: [...controls.values()]
      .filter((c) => c.failing > 0)
      .sort(
        (a, b) =>
          b.failing - a.failing ||
          rank(a.severity) - rank(b.severity) ||
          a.controlId.localeCompare(b.controlId),
      )
      .slice(0, top),
    worst: worst
      .sort(
        (a, b) =>
          b.score - a.score ||
          a.record.accountId.localeCompare(b.record.accountId) ||
          a.record.resourceId.localeCompare(b.record.resourceId),
      )
      .slice(0, top),
    totals,
  };
  const pct = compliancePercent(totals);
  if (pct !== undefined) overview.compliancePercent = pct;
  return overview;
}
