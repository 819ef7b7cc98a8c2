// The digest messages: an owner's list of long-open findings for one account, and the CISO's
// summary. Same layout as the finding messages: readable text, then a JSON part.

import { SEVERITY_ORDER } from "../../engine/severity.ts";
import type { AccountInfo } from "./account-context.ts";
import { highest } from "./assess.ts";
import type { CisoSummary } from "./digest.ts";
import {
  configConsoleUrl,
  JSON_MARKER,
  MAX_BODY_BYTES,
  type Message,
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

/** Keeps the text part within the SNS size limit by dropping lines from the end of a list. */
function fitBody(head: string[], list: string[], json: unknown): string {
  const jsonText = `\n\n${JSON_MARKER}\n${JSON.stringify(json)}\n`;
  const lines = [...list];
  let dropped = 0;
  for (;;) {
    const tail = dropped > 0 ? [`  ... and ${dropped} more (see the JSON part)`] : [];
    const body = [...head, ...lines, ...tail].join("\n") + jsonText;
    if (Buffer.byteLength(body) <= MAX_BODY_BYTES || lines.length === 0) return body;
    lines.splice(Math.max(0, lines.length - Math.ceil(lines.length / 4)));
    dropped = list.length - lines.length;
  }
}

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
  const list = items.map(
    (i) =>
      `  [${i.severity.toUpperCase()}] ${i.resourceType} ${i.resourceId} (${i.region}): ${i.controlIds.join(", ") || i.ruleName}, open ${daysOpen(i, nowMs)} days since ${i.openedAt}${!quiet && i.backlog ? " (go-live backlog)" : ""}\n    ${configConsoleUrl(i)}`,
  );
  const json = {
    schema: "compliance-notifier/1",
    kind: "owner-digest",
    accountId,
    ...(quiet ? { rollout: "quiet" } : {}),
    days,
    findings: items.map((i) => ({
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
    subject: subjectLine(
      quiet
        ? `Digest: ${items.length} open finding(s) in ${accountId}${name}`
        : `Digest: ${items.length} finding(s) open over ${days} days${backlog ? " or since the go-live" : ""} in ${accountId}${name}`,
    ),
    body: fitBody(head, list, json),
    attributes: {
      accountId,
      severity,
      compliance: "NON_COMPLIANT",
      controlId: "digest",
      resourceType: types.length === 1 ? types[0]! : "multiple",
      environment: account?.environment ?? items[0]?.environment ?? "untagged",
      notificationType: "digest",
      ...ownerAttribute(account?.owner),
    },
  };
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
  const list = summary.accounts.map(
    (a) =>
      `  ${a.accountId}${a.name ? ` "${a.name}"` : ""} ${a.rating}${a.unclassified ? " (unclassified)" : ""} ${a.environment ?? "untagged"}, owner ${a.owner ?? "none"}: ${a.open} open (${bySeverityText(a.bySeverity)})`,
  );
  const json = {
    schema: "compliance-notifier/1",
    kind: "ciso-digest",
    ...summary,
    oldest: summary.oldest.map((i) => ({
      accountId: i.accountId,
      resourceType: i.resourceType,
      resourceId: i.resourceId,
      severity: i.severity,
      controls: i.controlIds,
      openedAt: i.openedAt ?? null,
    })),
  };
  return {
    subject: subjectLine(
      `Compliance digest: ${summary.open} open finding(s) (${bySeverityText(summary.bySeverity)}) in ${summary.accounts.length} account(s)`,
    ),
    body: fitBody(head, list, json),
    attributes: {
      accountId: "all",
      severity: highest(Object.keys(summary.bySeverity) as FindingSeverity[]),
      compliance: "NON_COMPLIANT",
      controlId: "digest",
      resourceType: "multiple",
      environment: "all",
      notificationType: "digest",
    },
  };
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
