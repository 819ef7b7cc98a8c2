// The digest messages: an owner's list of long-open findings for one account, and the CISO's
// summary. Same layout as the finding messages: readable text, then a JSON part.

import { SEVERITY_ORDER } from "../../engine/severity.ts";
import type { AccountInfo } from "./account-context.ts";
import { highest } from "./assess.ts";
import type { CisoSummary } from "./digest.ts";
import {
  configConsoleUrl,
  fitsSns,
  JSON_MARKER,
  type Message,
  type MessageAttributes,
  ownerAttribute,
  subjectLine,
} from "./render.ts";
import type { FindingSeverity, LedgerItem } from "./types.ts";

/** Most severe first; `unknown` (a rule outside the catalogue) last. */
const ORDER: readonly FindingSeverity[] = [...SEVERITY_ORDER, "unknown"];

const daysOpen = (item: LedgerItem, nowMs: number): number =>
  Math.floor((nowMs - Date.parse(item.openedAt ?? item.orderingTimestamp)) / 86_400_000);

function bySeverityText(map: Partial<Record<FindingSeverity, number>>): string {
  const parts = ORDER.filter((s) => map[s]).map((s) => `${map[s]} ${s}`);
  return parts.length > 0 ? parts.join(", ") : "none";
}

/**
 * The message listing as many of a list's entries as fit SNS's size limit (render.ts, fitsSns),
 * in the order given (most severe or most urgent first). `render(listed)` renders the message
 * with the first `listed` entries in both the text and the JSON part, saying how many were left
 * out. Bisection: a few renderings, whatever the list's length.
 */
function fitList(total: number, render: (listed: number) => Message): Message {
  const all = render(total);
  if (fitsSns(all)) return all;
  let fits = 0;
  let tooMany = total;
  while (tooMany - fits > 1) {
    const mid = Math.floor((fits + tooMany) / 2);
    if (fitsSns(render(mid))) fits = mid;
    else tooMany = mid;
  }
  return render(fits);
}

/** The text part's note on entries left out of the message, when any were. */
function omittedLines(omitted: number, what: string, where: string): string[] {
  return omitted > 0
    ? [`  ... and ${omitted} more ${what} not listed: an SNS message holds at most 256 KiB. ${where}`]
    : [];
}

const body = (text: string[], json: unknown): string =>
  `${text.join("\n")}\n\n${JSON_MARKER}\n${JSON.stringify(json)}\n`;

export function renderOwnerDigest(
  accountId: string,
  items: readonly LedgerItem[],
  days: number,
  nowMs: number,
  account: AccountInfo | undefined,
  quiet = false,
): Message {
  const severity = highest(items.map((i) => i.severity));
  const types = [...new Set(items.map((i) => i.resourceType))];
  const name = account?.name ? ` "${account.name}"` : "";
  const backlog = items.some((i) => i.backlog);
  const head = quiet
    ? [
        `Account ${accountId}${name}: ${items.length} open finding(s).`,
        "The compliance engine is in its quiet go-live: every finding is recorded, and this digest is the only message you get about them until per-finding notices are turned on. Findings still open then stay in this digest and send no message of their own.",
        "",
      ]
    : [
        `Account ${accountId}${name}: ${items.length} finding(s) open for more than ${days} day(s)${backlog ? " or since the quiet go-live (marked: no message of their own)" : ""}.`,
        "",
      ];
  const line = (i: LedgerItem) =>
    `  [${i.severity.toUpperCase()}] ${i.resourceType} ${i.resourceId} (${i.region}): ${i.controlIds.join(", ") || i.ruleName}, open ${daysOpen(i, nowMs)} days since ${i.openedAt}${!quiet && i.backlog ? " (go-live backlog)" : ""}\n    ${configConsoleUrl(i)}`;
  const regions = [...new Set(items.map((i) => i.region))].sort();
  const where = `AWS Config in account ${accountId} lists every non-compliant resource (Rules, in ${regions.join(", ")}), and the findings ledger in the security account holds this whole list.`;
  const subject = subjectLine(
    quiet
      ? `Digest: ${items.length} open finding(s) in ${accountId}${name}`
      : `Digest: ${items.length} finding(s) open over ${days} days${backlog ? " or since the go-live" : ""} in ${accountId}${name}`,
  );
  const attributes: MessageAttributes = {
    accountId,
    severity,
    compliance: "NON_COMPLIANT",
    controlId: "digest",
    resourceType: types.length === 1 ? types[0]! : "multiple",
    environment: account?.environment ?? items[0]?.environment ?? "untagged",
    notificationType: "digest",
    ...ownerAttribute(account?.owner),
  };
  return fitList(items.length, (listed) => {
    const shown = items.slice(0, listed);
    const omitted = items.length - listed;
    const json = {
      schema: "compliance-notifier/1",
      kind: "owner-digest",
      accountId,
      ...(quiet ? { rollout: "quiet" } : {}),
      days,
      total: items.length,
      ...(omitted > 0 ? { omitted } : {}),
      findings: shown.map((i) => ({
        region: i.region,
        resourceType: i.resourceType,
        resourceId: i.resourceId,
        ruleName: i.ruleName,
        severity: i.severity,
        controls: i.controlIds,
        openedAt: i.openedAt ?? null,
        daysOpen: daysOpen(i, nowMs),
        ...(i.backlog ? { backlog: true } : {}),
      })),
    };
    return {
      subject,
      body: body([...head, ...shown.map(line), ...omittedLines(omitted, "finding(s)", where)], json),
      attributes,
    };
  });
}

export function renderCisoDigest(summary: CisoSummary): Message {
  const mttr = summary.meanTimeToRemediateHours;
  const hours = (h: number | null, n: number) =>
    h === null ? "n/a (nothing resolved)" : `${h} hours over ${n} finding(s)`;
  const head = [
    `Compliance digest, ${summary.generatedAt}: ${summary.open} open finding(s) in ${summary.accounts.length} account(s).`,
    "",
    `By severity: ${bySeverityText(summary.bySeverity)}`,
    `By account rating: ${
      Object.entries(summary.byRating)
        .sort(([a], [b]) => b.localeCompare(a))
        .map(([r, n]) => `${r} ${n}`)
        .join(", ") || "none"
    }`,
    `Mean time to remediate: last ${summary.days} days ${hours(mttr.window, mttr.windowCount)}; all time ${hours(mttr.all, mttr.allCount)}`,
    `Recorded but not required by the account's rating: ${summary.notRequired}. Messages still owed: ${summary.owed}.`,
    ...rolloutLines(summary),
    "",
    "Oldest open findings:",
    ...(summary.oldest.length > 0
      ? summary.oldest.map(
          (i) =>
            `  [${i.severity.toUpperCase()}] ${i.accountId} ${i.resourceType} ${i.resourceId}: ${i.controlIds.join(", ") || i.ruleName}, open since ${i.openedAt}`,
        )
      : ["  none"]),
    "",
    "Open findings by account:",
  ];
  const line = (a: CisoSummary["accounts"][number]) =>
    `  ${a.accountId}${a.name ? ` "${a.name}"` : ""} ${a.rating}${a.unclassified ? " (unclassified)" : ""} ${a.environment ?? "untagged"}, owner ${a.owner ?? "none"}: ${a.open} open (${bySeverityText(a.bySeverity)})`;
  const where = "The findings ledger (the notifier's LEDGER_TABLE) holds every finding of every account.";
  const oldest = summary.oldest.map((i) => ({
    accountId: i.accountId,
    resourceType: i.resourceType,
    resourceId: i.resourceId,
    severity: i.severity,
    controls: i.controlIds,
    openedAt: i.openedAt ?? null,
  }));
  const subject = subjectLine(
    `Compliance digest: ${summary.open} open finding(s) (${bySeverityText(summary.bySeverity)}) in ${summary.accounts.length} account(s)`,
  );
  const attributes: MessageAttributes = {
    accountId: "all",
    severity: highest(Object.keys(summary.bySeverity) as FindingSeverity[]),
    compliance: "NON_COMPLIANT",
    controlId: "digest",
    resourceType: "multiple",
    environment: "all",
    notificationType: "digest",
  };
  const total = summary.accounts.length;
  return fitList(total, (listed) => {
    const omitted = total - listed;
    const shown = summary.accounts.slice(0, listed);
    const json = {
      schema: "compliance-notifier/1",
      kind: "ciso-digest",
      ...summary,
      accounts: shown,
      ...(omitted > 0 ? { accountsOmitted: omitted } : {}),
      oldest,
    };
    return {
      subject,
      body: body([...head, ...shown.map(line), ...omittedLines(omitted, "account(s)", where)], json),
      attributes,
    };
  });
}

/** What the CISO is told about the quiet go-live, when the ledger records one. */
function rolloutLines(summary: CisoSummary): string[] {
  const rollout = summary.rollout;
  if (!rollout) return [];
  if (rollout.mode === "quiet") {
    return [
      `Rollout mode: quiet since ${rollout.quietSince ?? "unknown"}. No per-finding message goes to owners or to this topic; owners get a daily digest of every open finding. ${summary.backlog ?? 0} open finding(s) recorded quietly.`,
    ];
  }
  return [
    `Per-finding notices on since ${rollout.switchedAt}; ${summary.backlog ?? 0} finding(s) open from the quiet go-live stay in the digests without messages of their own.`,
  ];
}
