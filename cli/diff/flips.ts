// Which resources a policy change flips: every item of a snapshot evaluated against the base and
// the working tree's catalogue (each with its own waivers), for its account's rating. Pure.

import type { Catalogue } from "../../engine/catalogue.ts";
import { evaluate } from "../../engine/evaluate.ts";
import type {
  AccountContext,
  Compliance,
  ConfigurationItem,
  EvaluationRecord,
  Finding,
} from "../../engine/types.ts";
import type { Waiver } from "../../engine/waivers.ts";

export interface Side {
  catalogue: Catalogue;
  waivers: Waiver[];
}

export interface Flip {
  accountId: string;
  resourceType: string;
  resourceId: string;
  resourceName?: string;
  arn?: string;
  before: Compliance;
  after: Compliance;
  /** Required controls that fail after and did not before. */
  newlyFailing: Finding[];
  /** Required controls that failed before and do not after. */
  noLongerFailing: string[];
}

export interface FlipReport {
  /** Compliance changed; `after` NON_COMPLIANT first. */
  flips: Flip[];
  /** Non-compliant before and after, but the failing controls changed. */
  changedFailures: Flip[];
  resources: number;
  accounts: number;
}

const failing = (record: EvaluationRecord): Finding[] =>
  record.findings.filter((f) => f.status === "FAIL" && f.required);

const ORDER: Record<Compliance, number> = { NON_COMPLIANT: 0, COMPLIANT: 1, NOT_APPLICABLE: 2 };

export function findFlips(
  items: readonly ConfigurationItem[],
  contextOf: (accountId: string) => AccountContext,
  base: Side,
  head: Side,
  now: Date,
): FlipReport {
  const report: FlipReport = { flips: [], changedFailures: [], resources: items.length, accounts: 0 };
  const accounts = new Set<string>();
  for (const item of items) {
    accounts.add(item.accountId);
    const { rating } = contextOf(item.accountId);
    const before = evaluate(item, base.catalogue, { rating, now, waivers: base.waivers });
    const after = evaluate(item, head.catalogue, { rating, now, waivers: head.waivers });
    const beforeFailing = new Set(failing(before).map((f) => f.controlId));
    const afterFailing = failing(after);
    const afterIds = new Set(afterFailing.map((f) => f.controlId));
    const flip: Flip = {
      accountId: item.accountId,
      resourceType: item.resourceType,
      resourceId: item.resourceId,
      before: before.compliance,
      after: after.compliance,
      newlyFailing: afterFailing.filter((f) => !beforeFailing.has(f.controlId)),
      noLongerFailing: [...beforeFailing].filter((id) => !afterIds.has(id)),
    };
    if (item.resourceName !== undefined) flip.resourceName = item.resourceName;
    if (item.arn) flip.arn = item.arn;
    if (before.compliance !== after.compliance) report.flips.push(flip);
    else if (flip.newlyFailing.length || flip.noLongerFailing.length) report.changedFailures.push(flip);
  }
  report.accounts = accounts.size;
  const order = (a: Flip, b: Flip) =>
    ORDER[a.after] - ORDER[b.after] ||
    a.accountId.localeCompare(b.accountId) ||
    a.resourceType.localeCompare(b.resourceType) ||
    a.resourceId.localeCompare(b.resourceId);
  report.flips.sort(order);
  report.changedFailures.sort(order);
  return report;
}

/** Resources that become non-compliant: what makes `compliance diff` exit 1. */
export const becomeNonCompliant = (report: FlipReport): Flip[] =>
  report.flips.filter((f) => f.after === "NON_COMPLIANT");
