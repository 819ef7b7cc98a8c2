// The report's part for account owners: per account, what to fix first (each failing required
// control once, with the resources it affects and the catalogue's remediation), then the
// non-compliant resources with their findings; compliant and not-applicable resources, passing
// and skipped controls are collapsed.

import type { Catalogue } from "../../catalogue.ts";
import { formatRating } from "../../cia.ts";
import { ALLOWED_SERVICE_CONTROL } from "../../evaluate.ts";
import { platformFindings } from "../../platform-resources.ts";
import { SEVERITY_ORDER } from "../../severity.ts";
import type {
  AccountContext,
  CiaAchieved,
  CiaRating,
  Compliance,
  EvaluationRecord,
  Finding,
  Severity,
} from "../../types.ts";
import { DIMENSIONS } from "../../types.ts";
import { meter } from "./charts.ts";
import { esc, ident, join, slug } from "./escape.ts";
import type { AccountOverview } from "./overview.ts";
import { shareMeeting } from "./overview.ts";
import { DEFAULT_HTML_LIMITS, type HtmlLimits } from "./tally.ts";

interface ControlHelp {
  rationale: string;
  remediation: { console: string; cloudformation: string };
  references: string[];
}

export type HelpIndex = Map<string, ControlHelp>;

export function helpIndex(catalogue: Catalogue): HelpIndex {
  const index: HelpIndex = new Map([[ALLOWED_SERVICE_CONTROL.id, ALLOWED_SERVICE_CONTROL]]);
  for (const c of catalogue.controls) index.set(c.id, c);
  // The findings of policies/platform-resources.json (the default VPC...), with their remediation.
  for (const f of platformFindings(catalogue.platform)) index.set(f.id, f);
  return index;
}

export const accountAnchor = (accountId: string): string => `account-${slug(accountId)}`;
export const resourceAnchor = (r: EvaluationRecord): string =>
  `resource-${slug(r.accountId)}-${slug(r.resourceType)}-${slug(r.resourceId)}`;

export const COMPLIANCE_WORDS: Record<Compliance, string> = {
  COMPLIANT: "compliant",
  NON_COMPLIANT: "non-compliant",
  NOT_APPLICABLE: "not applicable",
};

export const DIMENSION_NAMES = { c: "Confidentiality", i: "Integrity", a: "Availability" } as const;

/** An account's name, or its id when it has none. */
export const accountName = (ctx: AccountContext | undefined, accountId: string): string =>
  ctx?.name ?? accountId;

/** `C2I3A1` with each dimension marked short of (red) or meeting (green) the required level. */
export function levelsAgainst(achieved: CiaAchieved, required: CiaRating): string {
  return `<span class="levels">${DIMENSIONS.map((d) => {
    const ok = achieved[d] >= required[d];
    return `<span class="${ok ? "level-ok" : "level-short"}" title="${esc(`${DIMENSION_NAMES[d]}: achieves ${achieved[d]}, requires ${required[d]}`)}">${d.toUpperCase()}${achieved[d]}</span>`;
  }).join("")}</span>`;
}

const ORDER: Record<Compliance, number> = { NON_COMPLIANT: 0, COMPLIANT: 1, NOT_APPLICABLE: 2 };
const rank = (s: Severity) => SEVERITY_ORDER.indexOf(s);

/** A finding's status as a person reads it: a required failure looks nothing like the rest. */
function statusBadge(f: Finding): string {
  if (f.status === "FAIL" && f.required) return '<span class="badge FAIL">fail</span>';
  if (f.status === "FAIL")
    return '<span class="badge optional" title="fails, but this account\'s rating does not require it">not required</span>';
  if (f.status === "WAIVED") return '<span class="badge WAIVED">waived</span>';
  if (f.status === "SKIP") return '<span class="badge SKIP">skipped</span>';
  if (f.status === "UNKNOWN")
    return '<span class="badge UNKNOWN" title="reads a value the template does not tell: neither pass nor fail">unknown</span>';
  return '<span class="badge PASS">pass</span>';
}

function severityBadge(f: Finding): string {
  // Only a required failure carries its severity in colour; elsewhere it is plain text.
  return f.status === "FAIL" && f.required
    ? `<span class="badge ${f.severity}">${esc(f.severity)}</span>`
    : `<span class="sev-text">${esc(f.severity)}</span>`;
}

function findingRow(f: Finding): string {
  const message = f.status === "PASS" ? "" : `<div class="message">${esc(f.message)}</div>`;
  return `<li class="finding ${f.status}${f.required ? "" : " not-required"}">${statusBadge(f)} ${severityBadge(f)} <code class="id">${ident(f.controlId)}</code> <span class="title">${esc(f.title)}</span>${message}</li>`;
}

function findingsList(record: EvaluationRecord): string {
  const sorted = [...record.findings].sort(
    (a, b) => rank(a.severity) - rank(b.severity) || a.controlId.localeCompare(b.controlId),
  );
  const open = sorted.filter((f) => f.status === "FAIL" && f.required);
  const notRequired = sorted.filter((f) => f.status === "FAIL" && !f.required);
  const waived = sorted.filter((f) => f.status === "WAIVED");
  const unknown = sorted.filter((f) => f.status === "UNKNOWN");
  const rest = sorted.filter((f) => f.status === "PASS" || f.status === "SKIP");
  const parts = [
    open.length ? `<ul class="findings">${open.map(findingRow).join("")}</ul>` : "",
    waived.length ? `<ul class="findings">${waived.map(findingRow).join("")}</ul>` : "",
    unknown.length ? `<ul class="findings">${unknown.map(findingRow).join("")}</ul>` : "",
    notRequired.length ? `<ul class="findings optional">${notRequired.map(findingRow).join("")}</ul>` : "",
    rest.length
      ? `<details class="passing"><summary>${rest.filter((f) => f.status === "PASS").length} passing, ${rest.filter((f) => f.status === "SKIP").length} skipped</summary><ul class="findings">${rest.map(findingRow).join("")}</ul></details>`
      : "",
  ];
  return join(parts);
}

function waiverNote(record: EvaluationRecord): string {
  return record.findings
    .filter((f) => f.status === "WAIVED" && f.waiver)
    .map(
      (f) =>
        `<p class="waiver"><strong>Waiver for <code class="id">${ident(f.controlId)}</code>:</strong> ${esc(f.waiver?.reason)} (approved by ${ident(f.waiver?.approver)}, expires ${esc(f.waiver?.expires)})</p>`,
    )
    .join("");
}

/**
 * What a reader calls the resource: its name, or its id. The account item (`AWS::::Account`,
 * the account-level settings) is named by its id alone, which reads as a stray number: say "account".
 */
export function displayName(record: EvaluationRecord): string {
  const name = record.resourceName ?? record.resourceId;
  return record.resourceType === "AWS::::Account" ? `account ${name}` : name;
}

function resourceArticle(record: EvaluationRecord): string {
  const name = displayName(record);
  const levels =
    record.compliance === "NOT_APPLICABLE"
      ? ""
      : `<span class="meta-item">weakest level ${levelsAgainst(record.achieved, record.required)} of ${esc(formatRating(record.required))}</span>`;
  return `<article class="resource ${record.compliance}" id="${resourceAnchor(record)}">
<h4><span class="badge compliance">${COMPLIANCE_WORDS[record.compliance]}</span> <span class="name">${ident(name)}</span></h4>
<div class="meta"><span class="meta-item type">${ident(record.resourceType)}</span><span class="meta-item">${esc(record.region)}</span>${levels}</div>
${record.arn ? `<div class="arn mono">${ident(record.arn)}</div>` : ""}
${waiverNote(record)}
${findingsList(record)}
</article>`;
}

const plural = (n: number, word: string) => `${n} ${n === 1 ? word : `${word}s`}`;

function fixFirst(account: AccountOverview, help: HelpIndex): string {
  if (account.open.length === 0)
    return '<p class="note good-note">Nothing to fix: no required control fails.</p>';
  const items = account.open.map((c) => {
    const h = help.get(c.controlId);
    // Links to the resources shown in detail, in input order; the rest are counted.
    const links: string[] = [];
    for (const r of account.shown)
      for (const f of r.findings)
        if (f.controlId === c.controlId && f.status === "FAIL" && f.required)
          links.push(`<a href="#${resourceAnchor(r)}">${ident(displayName(r))}</a>`);
    const more = c.failing - links.length;
    const resources =
      more === 0
        ? links.join(", ")
        : links.length === 0
          ? '<span class="muted">none shown in detail</span>'
          : `${links.join(", ")} <span class="muted">and ${more} more not shown in detail</span>`;
    const fix = h
      ? `<dl class="remediation"><dt class="why">Why</dt><dd class="why">${esc(h.rationale)}</dd><dt>Console</dt><dd>${esc(h.remediation.console)}</dd><dt>CloudFormation</dt><dd><code>${esc(h.remediation.cloudformation)}</code></dd>${h.references.length ? `<dt class="refs">References</dt><dd class="refs">${esc(h.references.join(", "))}</dd>` : ""}</dl>`
      : "";
    return `<li class="fix"><div class="fix-head"><span class="badge ${c.severity}">${esc(c.severity)}</span> <code class="id">${ident(c.controlId)}</code> <span class="title">${esc(c.title)}</span></div><div class="affects">${plural(c.failing, "resource")}: ${resources}</div>${fix}</li>`;
  });
  return `<ol class="fix-list">${items.join("")}</ol>`;
}

/** What the report leaves out of an account's details, and how to get every resource. */
export function leftOutNote(account: AccountOverview, limits: Readonly<HtmlLimits>): string {
  if (account.leftOut === 0) return "";
  const total = account.shown.length + account.leftOut;
  return `<p class="note capped" data-key="left-out">${account.shown.length} of ${plural(total, "resource")} of this account are shown in detail, non-compliant and most severe first; ${account.leftOut} are left out (this report shows at most ${limits.perAccount} per account and ${limits.total} in all). Every count and chart above includes them. <code>compliance evaluate --format json</code> lists every resource; <code>--html-per-account N</code> and <code>--html-max-resources N</code> raise the limits.</p>`;
}

export function accountSection(
  account: AccountOverview,
  help: HelpIndex,
  limits: Readonly<HtmlLimits> = DEFAULT_HTML_LIMITS,
): string {
  const ctx = account.context;
  const name = ctx.name ?? account.accountId;
  const who = join([
    ctx.name ? `<span class="meta-item account-id">${ident(account.accountId)}</span>` : "",
    ctx.environment ? `<span class="meta-item">${esc(ctx.environment)}</span>` : "",
    ctx.owner ? `<span class="meta-item owner">${ident(ctx.owner)}</span>` : "",
    ctx.unclassified ? '<span class="meta-item warning">unclassified: highest rating applied</span>' : "",
    account.known
      ? ""
      : '<span class="meta-item warning">not in the accounts list: rating as applied to its records</span>',
  ]);
  const meters = DIMENSIONS.map(
    (d) =>
      `<div class="dim"><span class="dim-name">${DIMENSION_NAMES[d]} ${ctx.rating[d]}</span>${meter(shareMeeting(account, d), `${DIMENSION_NAMES[d]}: ${account.meeting[d]} of ${account.evaluated} evaluated resources reach level ${ctx.rating[d]}`)}</div>`,
  ).join("");
  const records = [...account.shown].sort(
    (a, b) =>
      ORDER[a.compliance] - ORDER[b.compliance] ||
      a.resourceType.localeCompare(b.resourceType) ||
      a.resourceId.localeCompare(b.resourceId),
  );
  const failing = records.filter((r) => r.compliance === "NON_COMPLIANT");
  const others = records.filter((r) => r.compliance !== "NON_COMPLIANT");
  const nonCompliant = account.counts.NON_COMPLIANT;
  const otherCount = account.counts.COMPLIANT + account.counts.NOT_APPLICABLE;
  const othersPart =
    otherCount > 0
      ? `<details class="others"><summary>${account.counts.COMPLIANT} compliant, ${account.counts.NOT_APPLICABLE} not applicable${others.length < otherCount ? ` (${others.length} shown in detail)` : ""}</summary>${others.map(resourceArticle).join("\n")}</details>`
      : "";
  const resourceCount = nonCompliant + otherCount;
  return `<section class="account" id="${accountAnchor(account.accountId)}">
<h2><span class="name">${esc(name)}</span> <span class="required">requires <strong>${esc(formatRating(ctx.rating))}</strong></span></h2>
<div class="meta">${who}</div>
<div class="account-summary"><p class="big">${account.evaluated === 0 ? "No resource evaluated." : `<strong>${account.meetingAll} of ${account.evaluated}</strong> evaluated resources meet the rating; ${account.counts.NON_COMPLIANT} non-compliant.`}</p><div class="dims">${meters}</div></div>
<h3>What to fix first</h3>
${fixFirst(account, help)}
${resourceCount === 0 ? '<p class="note">No resources in this run.</p>' : ""}${leftOutNote(account, limits)}
${nonCompliant ? `<h3>Non-compliant resources (${nonCompliant}${failing.length < nonCompliant ? `, ${failing.length} shown in detail` : ""})</h3>${failing.map(resourceArticle).join("\n")}` : ""}
${othersPart}
</section>`;
}
