// The report's detail part: per account, every resource with its findings, and for each failing
// or waived control the catalogue's rationale and remediation (console and CloudFormation).

import type { Catalogue } from "../../catalogue.ts";
import { formatRating } from "../../cia.ts";
import { ALLOWED_SERVICE_CONTROL } from "../../evaluate.ts";
import { SEVERITY_ORDER } from "../../severity.ts";
import type { CiaAchieved, CiaRating, Compliance, EvaluationRecord, Finding } from "../../types.ts";
import { DIMENSIONS } from "../../types.ts";
import { esc, join, slug } from "./escape.ts";
import type { AccountOverview } from "./overview.ts";

interface ControlHelp {
  rationale: string;
  remediation: { console: string; cloudformation: string };
  references: string[];
}

export type HelpIndex = Map<string, ControlHelp>;

export function helpIndex(catalogue: Catalogue): HelpIndex {
  const index: HelpIndex = new Map([[ALLOWED_SERVICE_CONTROL.id, ALLOWED_SERVICE_CONTROL]]);
  for (const c of catalogue.controls) index.set(c.id, c);
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

/** `C2I3A1` with each dimension marked short of (red) or meeting (green) the required level. */
export function levelsAgainst(achieved: CiaAchieved, required: CiaRating): string {
  return DIMENSIONS.map((d) => {
    const ok = achieved[d] >= required[d];
    return `<span class="${ok ? "level-ok" : "level-short"}" title="${esc(`${d.toUpperCase()}: achieves ${achieved[d]}, requires ${required[d]}`)}">${d.toUpperCase()}${achieved[d]}</span>`;
  }).join("");
}

const ORDER: Record<Compliance, number> = { NON_COMPLIANT: 0, COMPLIANT: 1, NOT_APPLICABLE: 2 };
const STATUS_ORDER: Record<Finding["status"], number> = { FAIL: 0, WAIVED: 1, PASS: 2, SKIP: 3 };

function remediation(finding: Finding, help: ControlHelp | undefined): string {
  if (finding.status !== "FAIL" && finding.status !== "WAIVED") return "";
  if (!help) return "";
  const waiver = finding.waiver
    ? `<p><strong>Waiver:</strong> ${esc(finding.waiver.reason)} (approved by ${esc(finding.waiver.approver)}, expires ${esc(finding.waiver.expires)})</p>`
    : "";
  return `<tr class="help"><td></td><td colspan="4"><div class="remediation">${waiver}
<p><strong>Why:</strong> ${esc(help.rationale)}</p>
<p><strong>Fix in the console:</strong> ${esc(help.remediation.console)}</p>
<p><strong>Fix in CloudFormation:</strong> <code>${esc(help.remediation.cloudformation)}</code></p>
${help.references.length ? `<p><strong>References:</strong> ${esc(help.references.join(", "))}</p>` : ""}</div></td></tr>`;
}

function findingsTable(record: EvaluationRecord, help: HelpIndex): string {
  if (record.findings.length === 0) return "";
  const findings = [...record.findings].sort(
    (a, b) =>
      STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
      SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
      a.controlId.localeCompare(b.controlId),
  );
  const rows = findings.map((f) => {
    const required = f.required ? "" : ' <span class="note">(not required at this rating)</span>';
    return `<tr><td><span class="badge ${f.status}">${f.status}</span></td><td><span class="badge ${f.severity}">${esc(f.severity)}</span></td><td><code class="id">${esc(f.controlId)}</code></td><td>${esc(f.title)}${required}</td><td>${esc(f.message)}</td></tr>${remediation(f, help.get(f.controlId))}`;
  });
  return `<table class="findings"><colgroup><col class="status"><col class="severity"><col class="control"><col class="title"><col></colgroup><thead><tr><th>status</th><th>severity</th><th>control</th><th>title</th><th>finding</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function resourceArticle(record: EvaluationRecord, help: HelpIndex): string {
  const name = record.resourceName ?? record.resourceId;
  const levels =
    record.compliance === "NOT_APPLICABLE"
      ? ""
      : ` · achieves ${levelsAgainst(record.achieved, record.required)} of required ${esc(formatRating(record.required))}`;
  return `<article class="resource ${record.compliance}" id="${resourceAnchor(record)}">
<h4><span class="badge compliance">${COMPLIANCE_WORDS[record.compliance]}</span> ${esc(name)}</h4>
<div class="meta">${esc(record.resourceType)} · ${esc(record.region)}${levels}${record.arn ? `<br><span class="mono">${esc(record.arn)}</span>` : ""}</div>
${record.annotation ? `<p class="annotation">AWS Config annotation: ${esc(record.annotation)}</p>` : ""}
${findingsTable(record, help)}
</article>`;
}

export function accountSection(account: AccountOverview, help: HelpIndex): string {
  const ctx = account.context;
  const title = ctx.name ? `${ctx.name} (${account.accountId})` : account.accountId;
  const facts = join([
    `<li>Required rating: <strong>${esc(formatRating(ctx.rating))}</strong>${ctx.unclassified ? ' <span class="warning">(unclassified: no valid cia-rating tag, the highest applies)</span>' : ""}</li>`,
    account.achieved
      ? `<li>Achieved by its resources (the lowest level per dimension across them): <strong>${levelsAgainst(account.achieved, ctx.rating)}</strong></li>`
      : "<li>Achieved: no resource evaluated</li>",
    ctx.environment && `<li>Environment: ${esc(ctx.environment)}</li>`,
    ctx.owner && `<li>Owner: ${esc(ctx.owner)}</li>`,
    !account.known && '<li class="warning">Not in the accounts list: rating as applied to its records</li>',
    `<li>${account.counts.NON_COMPLIANT} non-compliant, ${account.counts.COMPLIANT} compliant, ${account.counts.NOT_APPLICABLE} not applicable</li>`,
  ]);
  const records = [...account.records].sort(
    (a, b) =>
      ORDER[a.compliance] - ORDER[b.compliance] ||
      a.resourceType.localeCompare(b.resourceType) ||
      a.resourceId.localeCompare(b.resourceId),
  );
  return `<section class="account" id="${accountAnchor(account.accountId)}">
<h2>Account ${esc(title)}</h2>
<ul class="facts">${facts}</ul>
${records.length ? records.map((r) => resourceArticle(r, help)).join("\n") : '<p class="note">No resources in this run.</p>'}
</section>`;
}
