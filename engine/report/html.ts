// The HTML report: one self-contained page (inline CSS, one inline script, charts as inline SVG,
// no network) for people who would rather look than read. The organisation at a glance first
// (accounts' ratings against what their resources achieve, a CIA heat map, compliance per service,
// the controls that fail most, the worst resources), then every account's resources and findings
// with the catalogue's remediation. Pure: records in, a string out.

import { formatRating } from "../cia.ts";
import { SEVERITY_ORDER } from "../severity.ts";
import type { Compliance, Dimension } from "../types.ts";
import { DIMENSIONS } from "../types.ts";
import {
  accountAnchor,
  accountSection,
  COMPLIANCE_WORDS,
  helpIndex,
  levelsAgainst,
  resourceAnchor,
} from "./html/details.ts";
import { esc, join } from "./html/escape.ts";
import { type AccountOverview, buildOverview, compliancePercent, type Overview } from "./html/overview.ts";
import { CONTENT_SECURITY_POLICY, CSS, SCRIPT } from "./html/style.ts";
import { barChartSvg, COLOURS, type HeatCell, heatMapSvg } from "./html/svg.ts";
import type { ReportInput } from "./types.ts";

const DIMENSION_NAMES = { c: "Confidentiality", i: "Integrity", a: "Availability" } as const;

const accountLabel = (a: AccountOverview): string =>
  a.context.name ? `${a.context.name} (${a.accountId})` : a.accountId;

function card(value: string | number, label: string, tone = ""): string {
  return `<div class="card ${tone}" data-key="${esc(label)}"><div class="value">${esc(value)}</div><div class="label">${esc(label)}</div></div>`;
}

function keyNumbers(input: ReportInput, overview: Overview): string {
  const t = overview.totals;
  const pct = overview.compliancePercent;
  const severities = SEVERITY_ORDER.map((s) => `${input.summary.bySeverity[s] ?? 0} ${s}`).join(", ");
  return `<div class="cards">
${card(overview.accounts.length, "accounts")}
${card(input.records.length, "resources")}
${card(t.NON_COMPLIANT, "non-compliant", t.NON_COMPLIANT > 0 ? "bad" : "good")}
${card(t.COMPLIANT, "compliant", "good")}
${card(t.NOT_APPLICABLE, "not applicable")}
${card(pct === undefined ? "–" : `${pct}%`, "of evaluated resources compliant", pct === 100 ? "good" : pct === undefined ? "" : "bad")}
</div>
<p class="note">Failing required controls by severity: ${esc(severities)}.</p>`;
}

function accountsTable(overview: Overview): string {
  const rows = overview.accounts.map((a) => {
    const pct = compliancePercent(a.counts);
    const achieved = a.achieved ? levelsAgainst(a.achieved, a.context.rating) : "–";
    return `<tr><td><a href="#${accountAnchor(a.accountId)}">${esc(accountLabel(a))}</a></td><td>${esc(a.context.environment ?? "")}</td><td>${esc(a.context.owner ?? "")}</td><td><strong>${esc(formatRating(a.context.rating))}</strong>${a.context.unclassified ? ' <span class="warning">unclassified</span>' : ""}</td><td>${achieved}</td><td class="num">${a.records.length}</td><td class="num">${a.counts.NON_COMPLIANT}</td><td class="num">${pct === undefined ? "–" : `${pct}%`}</td></tr>`;
  });
  return `<table class="accounts"><thead><tr><th>account</th><th>environment</th><th>owner</th><th>required rating</th><th>achieved</th><th class="num">resources</th><th class="num">non-compliant</th><th class="num">compliant</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function heatCell(account: AccountOverview, d: Dimension): HeatCell {
  const required = account.context.rating[d];
  const achieved = account.achieved?.[d];
  const dimension = DIMENSION_NAMES[d];
  if (achieved === undefined) {
    return { text: `– / ${required}`, colour: COLOURS.none, title: `${dimension}: no resource evaluated` };
  }
  const gap = required - achieved;
  const colour = gap <= 0 ? COLOURS.good : gap === 1 ? COLOURS.warn : COLOURS.bad;
  const meeting = account.meeting[d];
  return {
    text: `${achieved} / ${required}`,
    detail: `${meeting} of ${account.evaluated} meet it`,
    colour,
    title: `${dimension}: the weakest resource achieves ${achieved}, the account requires ${required}; ${meeting} of ${account.evaluated} evaluated resources reach ${required}`,
  };
}

function heatMap(overview: Overview): string {
  return heatMapSvg({
    title: "CIA heat map: achieved level / required level per account and dimension",
    columns: DIMENSIONS.map((d) => DIMENSION_NAMES[d]),
    rows: overview.accounts.map((a) => ({
      label: accountLabel(a),
      cells: DIMENSIONS.map((d) => heatCell(a, d)),
    })),
  });
}

const COMPLIANCE_COLOURS: Record<Compliance, string> = {
  COMPLIANT: COLOURS.good,
  NON_COMPLIANT: COLOURS.bad,
  NOT_APPLICABLE: COLOURS.none,
};

function servicesChart(overview: Overview): string {
  if (overview.services.length === 0) return '<p class="note">No resources.</p>';
  return barChartSvg(
    "Compliance per service",
    overview.services.map((s) => {
      const pct = compliancePercent(s.counts);
      return {
        label: s.allowed ? s.service : `${s.service} (not allowed)`,
        segments: (["NON_COMPLIANT", "COMPLIANT", "NOT_APPLICABLE"] as const).map((c) => ({
          value: s.counts[c],
          colour: COMPLIANCE_COLOURS[c],
          name: COMPLIANCE_WORDS[c],
        })),
        note: `${s.counts.NON_COMPLIANT} of ${s.counts.COMPLIANT + s.counts.NON_COMPLIANT + s.counts.NOT_APPLICABLE} non-compliant${pct === undefined ? "" : ` (${pct}% compliant)`}`,
      };
    }),
  );
}

function controlsPart(overview: Overview): string {
  if (overview.controls.length === 0) return '<p class="note">No required control fails.</p>';
  const chart = barChartSvg(
    "Controls that fail most (resources failing, where the account requires the control)",
    overview.controls.map((c) => ({
      label: c.controlId,
      segments: [{ value: c.failing, colour: COLOURS[c.severity], name: `${c.severity}, failing` }],
      note: `${c.failing} failing${c.waived ? `, ${c.waived} waived` : ""}`,
    })),
  );
  const rows = overview.controls.map(
    (c) =>
      `<tr><td><code class="id">${esc(c.controlId)}</code></td><td><span class="badge ${c.severity}">${esc(c.severity)}</span></td><td>${esc(c.title)}</td><td class="num">${c.failing}</td><td class="num">${c.waived}</td></tr>`,
  );
  return `${chart}<table class="controls"><thead><tr><th>control</th><th>severity</th><th>title</th><th class="num">failing</th><th class="num">waived</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function worstPart(overview: Overview): string {
  if (overview.worst.length === 0) return '<p class="note">No resource is non-compliant.</p>';
  const rows = overview.worst.map(({ record, failures }) => {
    const worst = SEVERITY_ORDER.find((s) => failures.some((f) => f.severity === s)) ?? "low";
    return `<tr><td><a href="#${resourceAnchor(record)}">${esc(record.resourceName ?? record.resourceId)}</a><br><span class="note">${esc(record.resourceType)}</span></td><td>${esc(record.accountId)}</td><td class="num">${failures.length}</td><td><span class="badge ${worst}">${worst}</span></td><td>${levelsAgainst(record.achieved, record.required)} of ${esc(formatRating(record.required))}</td><td>${esc(failures.map((f) => f.controlId).join(", "))}</td></tr>`;
  });
  return `<table class="worst"><thead><tr><th>resource</th><th>account</th><th class="num">failing</th><th>worst</th><th>achieved</th><th>controls</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function problemsPart(input: ReportInput): string {
  if (input.problems.length === 0) return "";
  const rows = input.problems.map((p) => `<li><code>${esc(p.source)}</code>: ${esc(p.message)}</li>`);
  return `<section class="overview problems"><h2>Inputs that could not be evaluated (${input.problems.length})</h2><ul>${rows.join("")}</ul></section>`;
}

export function renderHtml(input: ReportInput): string {
  const overview = buildOverview(input);
  const help = helpIndex(input.catalogue);
  const generated = input.generatedAt.toISOString();
  const body = join([
    `<header class="page"><h1>${esc(input.title)}</h1><p>Compliance report generated ${esc(generated)} · ${input.catalogue.controls.length} controls in ${input.catalogue.policies.length} ${input.catalogue.policies.length === 1 ? "service" : "services"}</p></header>`,
    "<main>",
    `<section class="overview" id="overview"><h2>The organisation at a glance</h2>${keyNumbers(input, overview)}`,
    '<h3>Accounts: required rating against what their resources achieve</h3><p class="note">An account achieves, in each dimension, the lowest level any of its evaluated resources achieves: its weakest resource sets the level. Red: short of the required level.</p>',
    accountsTable(overview),
    `<h3>CIA heat map</h3><p class="note">Per account and dimension: the level its weakest resource achieves / the level the account requires, and how many of its evaluated resources reach the required level. Green: meets it; amber: one level short; red: two or more short; grey: nothing evaluated.</p>${heatMap(overview)}</section>`,
    `<section class="overview"><h2>Compliance per service</h2>${servicesChart(overview)}`,
    `<h3>Controls that fail most</h3>${controlsPart(overview)}`,
    `<h3>Worst resources</h3><p class="note">Ranked by their failing required controls, weighted by severity.</p>${worstPart(overview)}</section>`,
    problemsPart(input),
    '<div class="toolbar"><label><input type="checkbox" id="only-failing"> Show only non-compliant resources</label></div>',
    ...overview.accounts.map((a) => accountSection(a, help)),
    "</main>",
    `<footer>Generated by the compliance engine at ${esc(generated)}. Resources: ${input.records.length}; accounts: ${overview.accounts.length}.</footer>`,
  ]);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${esc(CONTENT_SECURITY_POLICY)}">
<title>${esc(input.title)}: compliance report</title>
<style>${CSS}</style>
</head>
<body>
${body}
<script>${SCRIPT}</script>
</body>
</html>
`;
}
