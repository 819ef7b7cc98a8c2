// Scheduled mode `{"mode": "digest", "days": 7}`: from the ledger, each account's owner gets the
// findings open longer than `days` days (one message per account, so the owner topic's accountId
// filter policies route it), and the CISO topic gets a summary: open findings by account, rating
// and severity, and the mean time to remediate. In rollout mode quiet (rollout.ts) the digest is
// the only message owners get, so it lists every open finding of the account whatever its age;
// after the switch to normal mode, findings of the quiet backlog stay in it whatever their age.

import { severityRank } from "../../engine/severity.ts";
import type { AccountDirectory, AccountInfo } from "./account-context.ts";
import { highest } from "./assess.ts";
import { renderCisoDigest, renderOwnerDigest } from "./digest-render.ts";
import type { Ledger } from "./ledger.ts";
import type { Publisher } from "./publisher.ts";
import type { Rollout } from "./rollout.ts";
import { isOpen } from "./transition.ts";
import type { FindingSeverity, LedgerItem, Target } from "./types.ts";

const DAY_MS = 86_400_000;

export interface AccountSummaryLine {
  accountId: string;
  name?: string;
  owner?: string;
  environment?: string;
  rating: string;
  unclassified: boolean;
  open: number;
  bySeverity: Partial<Record<FindingSeverity, number>>;
}

export interface CisoSummary {
  generatedAt: string;
  days: number;
  open: number;
  /** NON_COMPLIANT results the account's own rating does not require: recorded, not sent. */
  notRequired: number;
  /** Messages the ledger still owes (publishing failed and no delivery has retried yet). */
  owed: number;
  bySeverity: Partial<Record<FindingSeverity, number>>;
  byRating: Record<string, number>;
  accounts: AccountSummaryLine[];
  /** Mean hours from open to resolved, over findings resolved within the window and over all. */
  meanTimeToRemediateHours: {
    window: number | null;
    windowCount: number;
    all: number | null;
    allCount: number;
  };
  oldest: LedgerItem[];
  /** The rollout (quiet, or when per-finding notices were switched on), when the ledger records one. */
  rollout?: Rollout;
  /** Open findings of the quiet backlog: never notified per finding (counted when a rollout is recorded). */
  backlog?: number;
}

export interface DigestReport {
  mode: "digest";
  /** Rollout mode quiet: the owners' lists hold every open finding. */
  rollout?: "quiet";
  days: number;
  owners: { accountId: string; findings: number }[];
  ciso: Omit<CisoSummary, "oldest" | "accounts"> & { accounts: number };
  published: number;
}

const count = <K extends string>(map: Partial<Record<K, number>>, key: K) => {
  map[key] = (map[key] ?? 0) + 1;
};

function mean(values: number[]): number | null {
  if (values.length === 0) return null;
  return Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 10) / 10;
}

/** The CISO summary and the owners' lists, from every ledger item. Pure. */
export function summarise(
  items: readonly LedgerItem[],
  days: number,
  nowMs: number,
  accounts: ReadonlyMap<string, AccountInfo>,
  rollout?: Rollout,
): { ciso: CisoSummary; owners: Map<string, LedgerItem[]> } {
  const cutoff = nowMs - days * DAY_MS;
  const open = items.filter((i) => isOpen(i) && i.required);
  const owners = new Map<string, LedgerItem[]>();
  const everyOpen = rollout?.mode === "quiet";
  for (const item of open) {
    const listed = everyOpen || item.backlog === true;
    if (!listed && Date.parse(item.openedAt ?? item.orderingTimestamp) > cutoff) continue;
    owners.set(item.accountId, [...(owners.get(item.accountId) ?? []), item]);
  }
  for (const list of owners.values()) list.sort(byUrgency);
  const bySeverity: CisoSummary["bySeverity"] = {};
  const byRating: Record<string, number> = {};
  const perAccount = new Map<string, AccountSummaryLine>();
  for (const item of open) {
    count(bySeverity, item.severity);
    byRating[item.rating] = (byRating[item.rating] ?? 0) + 1;
    const account = accounts.get(item.accountId);
    const line = perAccount.get(item.accountId) ?? {
      accountId: item.accountId,
      rating: item.rating,
      unclassified: item.unclassified,
      open: 0,
      bySeverity: {},
      ...(account?.name ? { name: account.name } : {}),
      ...(account?.owner ? { owner: account.owner } : {}),
      ...(item.environment ? { environment: item.environment } : {}),
    };
    line.open++;
    count(line.bySeverity, item.severity);
    perAccount.set(item.accountId, line);
  }
  const durations = (list: LedgerItem[]) =>
    list.map((i) => (Date.parse(i.resolvedAt!) - Date.parse(i.openedAt!)) / 3_600_000).filter((h) => h >= 0);
  const resolved = items.filter((i) => !isOpen(i) && i.resolvedAt && i.openedAt);
  const inWindow = resolved.filter((i) => Date.parse(i.resolvedAt!) > cutoff);
  const ciso: CisoSummary = {
    generatedAt: new Date(nowMs).toISOString(),
    days,
    open: open.length,
    notRequired: items.filter((i) => isOpen(i) && !i.required).length,
    owed: items.filter((i) => i.pending.length > 0).length,
    bySeverity,
    byRating,
    accounts: [...perAccount.values()].sort(
      (a, b) => highestRank(a) - highestRank(b) || b.open - a.open || a.accountId.localeCompare(b.accountId),
    ),
    meanTimeToRemediateHours: {
      window: mean(durations(inWindow)),
      windowCount: inWindow.length,
      all: mean(durations(resolved)),
      allCount: resolved.length,
    },
    oldest: [...open].sort((a, b) => (a.openedAt ?? "").localeCompare(b.openedAt ?? "")).slice(0, 10),
  };
  if (rollout && (rollout.mode === "quiet" || rollout.switchedAt)) {
    ciso.rollout = rollout;
    ciso.backlog = open.filter((i) => i.backlog === true).length;
  }
  return { ciso, owners };
}

function highestRank(line: AccountSummaryLine): number {
  return severityRank(highest(Object.keys(line.bySeverity) as FindingSeverity[]));
}

function byUrgency(a: LedgerItem, b: LedgerItem): number {
  return (
    severityRank(a.severity) - severityRank(b.severity) || (a.openedAt ?? "").localeCompare(b.openedAt ?? "")
  );
}

export async function runDigest(
  deps: {
    ledger: Ledger;
    accounts: AccountDirectory;
    publisher: Publisher;
    topics: Record<Target, string>;
    now: () => number;
    rollout?: () => Promise<Rollout>;
  },
  days: number,
): Promise<DigestReport> {
  const rollout = await deps.rollout?.();
  const items: LedgerItem[] = [];
  for await (const item of deps.ledger.scan()) items.push(item);
  const accountIds = [...new Set(items.filter((i) => isOpen(i) && i.required).map((i) => i.accountId))];
  const accounts = new Map<string, AccountInfo>();
  for (const id of accountIds) accounts.set(id, await deps.accounts.get(id));
  const nowMs = deps.now();
  const { ciso, owners } = summarise(items, days, nowMs, accounts, rollout);
  let published = 0;
  const byAccount = [...owners].sort(([a], [b]) => a.localeCompare(b));
  for (const [accountId, list] of byAccount) {
    await deps.publisher.publish(
      deps.topics.owner,
      renderOwnerDigest(accountId, list, days, nowMs, accounts.get(accountId), rollout?.mode === "quiet"),
    );
    published++;
  }
  await deps.publisher.publish(deps.topics.ciso, renderCisoDigest(ciso));
  published++;
  const { oldest: _oldest, accounts: lines, rollout: _rollout, ...rest } = ciso;
  return {
    mode: "digest",
    ...(rollout?.mode === "quiet" ? { rollout: "quiet" as const } : {}),
    days,
    owners: byAccount.map(([accountId, list]) => ({ accountId, findings: list.length })),
    ciso: { ...rest, accounts: lines.length },
    published,
  };
}
