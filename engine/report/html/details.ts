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

interface OpenControl {
  controlId: string;
  title: string;
  severity: Severity;
  resources: EvaluationRecord[];
}

/** The account's failing required controls, most severe and most widespread first. */
function openControls(records: readonly EvaluationRecord[]): OpenControl[] {
  const byControl = new Map<string, OpenControl>();
  for (const r of records) {
    for (const f of r.findings) {
      if (f.status !== "FAIL" || !f.required) continue;
      const c = byControl.get(f.controlId) ?? {
        controlId: f.controlId,
        title: f.title,
        severity: f.severity,
        resources: [],
      };
      c.resources.push(r);
      byControl.set(f.controlId, c);
    }
  }
  return [...byControl.values()].sort(
    (a, b) =>
      rank(a.severity) - rank(b.severity) ||
      b.resources.length - a.resources.length ||
      a.controlId.localeCompare(b.controlId),
  );
}

function fixFirst(account: AccountOverview, help: HelpIndex): string {
  const controls = openControls(account.records);
  if (controls.length === 0)
    return '<p class="note good-note">Nothing to fix: no required control fails.</p>';
  const items = controls.map((c) => {
    const h = help.get(c.controlId);
    const resources = c.resources
      .map((r) => `<a href="#${resourceAnchor(r)}">${ident(displayName(r))}</a>`)
      .join(", ");
    const fix = h
      ? `<dl class="remediation"><dt class="why">Why</dt><dd class="why">${esc(h.rationale)}</dd><dt>Console</dt><dd>${esc(h.remediation.console)}</dd><dt>CloudFormation</dt><dd><code>${esc(h.remediation.cloudformation)}</code></dd>${h.references.length ? `<dt class="refs">References</dt><dd class="refs">${esc(h.references.join(", "))}</dd>` : ""}</dl>`
      : "";
    return `<li class="fix"><div class="fix-head"><span class="badge ${c.severity}">${esc(c.severity)}</span> <code class="id">${ident(c.controlId)}</code> <span class="title">${esc(c.title)}</span></div><div class="affects">${c.resources.length} ${c.resources.length === 1 ? "resource" : "resources"}: ${resources}</div>${fix}</li>`;
  });
  return `<ol class="fix-list">${items.join("")}</ol>`;
}

export function accountSection(account: AccountOverview, help: HelpIndex): string {
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
  const records = [...account.records].sort(
    (a, b) =>
      ORDER[a.compliance] - ORDER[b.compliance] ||
      a.resourceType.localeCompare(b.resourceType) ||
      a.resourceId.localeCompare(b.resourceId),
  );
  const failing = records.filter((r) => r.compliance === "NON_COMPLIANT");
  const others = records.filter((r) => r.compliance !== "NON_COMPLIANT");
  const othersPart = others.length
    ? `<details class="others"><summary>${account.counts.COMPLIANT} compliant, ${account.counts.NOT_APPLICABLE} not applicable</summary>${others.map(resourceArticle).join("\n")}</details>`
    : "";
  return `<section class="account" id="${accountAnchor(account.accountId)}">
<h2><span class="name">${esc(name)}</span> <span class="required">requires <strong>${esc(formatRating(ctx.rating))}</strong></span></h2>
<div class="meta">${who}</div>
<div class="account-summary"><p class="big">${account.evaluated === 0 ? "No resource evaluated." : `<strong>${account.meetingAll} of ${account.evaluated}</strong> evaluated resources meet the rating; ${account.counts.NON_COMPLIANT} non-compliant.`}</p><div class="dims">${meters}</div></div>
<h3>What to fix first</h3>
${fixFirst(account, help)}
${account.records.length === 0 ? '<p class="note">No resources in this run.</p>' : ""}
${failing.length ? `<h3>Non-compliant resources (${failing.length})</h3>${failing.map(resourceArticle).join("\n")}` : ""}
${othersPart}
</section>`;
}
