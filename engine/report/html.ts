// The HTML report: one self-contained page (inline CSS, charts in HTML and CSS, no script, no
// network) for two readers. The CISO's first screen: the organisation's score, open critical and
// high findings, how fresh the data is, the accounts ranked by how far they are from their
// required rating, and the few controls whose remediation would move most resources into
// compliance. Then, per account, what its owner should fix first, with the catalogue's
// remediation. Pure: records (or their running totals, html/tally.ts) in, a string out. Every
// figure counts every resource; the per-resource details are limited (DEFAULT_HTML_LIMITS) and the
// page says how many it left out, so a run of any size gives a page of bounded size.

import { formatRating } from "../cia.ts";
import type { Compliance } from "../types.ts";
import { DIMENSIONS } from "../types.ts";
import { legend, meter, SCORE_LEGEND, SHARE_LEGEND, stackedBar } from "./html/charts.ts";
import {
  accountAnchor,
  accountSection,
  COMPLIANCE_WORDS,
  DIMENSION_NAMES,
  helpIndex,
} from "./html/details.ts";
import { esc, ident, join } from "./html/escape.ts";
import {
  type AccountOverview,
  compliancePercent,
  type Overview,
  overviewOf,
  shareMeeting,
} from "./html/overview.ts";
import { CONTENT_SECURITY_POLICY, CSS } from "./html/style.ts";
import { type HtmlLimits, type HtmlTally, tallyOf } from "./html/tally.ts";
import { formatTime, isoSeconds } from "./time.ts";
import type { ReportInput } from "./types.ts";

function tile(key: string, value: string | number, label: string, tone = "", sub = ""): string {
  return `<div class="card ${tone}" data-key="${esc(key)}"><div class="value">${esc(value)}</div><div class="label">${esc(label)}</div>${sub ? `<div class="sub">${sub}</div>` : ""}</div>`;
}

function headline(input: ReportInput, overview: Overview): string {
  const t = overview.totals;
  const pct = overview.compliancePercent;
  const critical = input.summary.bySeverity.critical ?? 0;
  const high = input.summary.bySeverity.high ?? 0;
  const evaluated = t.COMPLIANT + t.NON_COMPLIANT;
  const scoreTone = pct === undefined ? "" : pct >= 90 ? "good" : pct >= 50 ? "warn" : "bad";
  return `<div class="tiles">
${tile("score", pct === undefined ? "–" : `${pct}%`, "organisation score", `score ${scoreTone}`, `${t.COMPLIANT} of ${evaluated} evaluated resources compliant`)}
${tile("critical", critical, "critical findings open", critical > 0 ? "bad" : "good", "failing required controls")}
${tile("high", high, "high findings open", high > 0 ? "bad" : "good", "failing required controls")}
${tile("accounts", overview.accounts.length, "accounts", "", `${overview.accounts.filter((a) => a.evaluated > 0 && a.meetingAll < a.evaluated).length} short of their rating`)}
</div>
<div class="counts">${tile("resources", overview.resources, "resources", "mini")}${tile("non-compliant", t.NON_COMPLIANT, "non-compliant", "mini bad")}${tile("compliant", t.COMPLIANT, "compliant", "mini good")}${tile("not-applicable", t.NOT_APPLICABLE, "not applicable", "mini")}<span class="counts-note">medium ${input.summary.bySeverity.medium ?? 0} · low ${input.summary.bySeverity.low ?? 0} failing required controls</span></div>`;
}

function rankingRow(a: AccountOverview): string {
  const ctx = a.context;
  const name = ctx.name
    ? `<a href="#${accountAnchor(a.accountId)}">${esc(ctx.name)}</a><div class="sub account-id">${ident(a.accountId)}</div>`
    : `<a href="#${accountAnchor(a.accountId)}" class="account-id">${ident(a.accountId)}</a>`;
  const env = ctx.environment ? esc(ctx.environment) : '<span class="muted">no environment tag</span>';
  const required = `<span><strong>${esc(formatRating(ctx.rating))}</strong>${ctx.unclassified ? '<span class="sub warning"> unclassified</span>' : ""}</span>`;
  const dims = DIMENSIONS.map(
    (d) =>
      `<td data-label="${DIMENSION_NAMES[d]}">${meter(shareMeeting(a, d), `${DIMENSION_NAMES[d]}: ${a.meeting[d]} of ${a.evaluated} evaluated resources reach level ${ctx.rating[d]}`)}</td>`,
  ).join("");
  const meeting = a.evaluated === 0 ? "–" : `${a.meetingAll} of ${a.evaluated}`;
  const open = `${a.bySeverity.critical} / ${a.bySeverity.high}`;
  return `<tr><td data-label="account">${name}</td><td data-label="environment">${env}</td><td data-label="required">${required}</td>${dims}<td data-label="meet all" class="num">${meeting}</td><td data-label="critical / high" class="num">${open}</td></tr>`;
}

function rankingTable(overview: Overview): string {
  if (overview.accounts.length === 0) return '<p class="note">No accounts.</p>';
  return `<p class="note">Share of each account's evaluated resources that reach its required level, per dimension; furthest from the rating first.</p>${SHARE_LEGEND}
<table class="ranking stack-sm"><thead><tr><th>account</th><th>environment</th><th>required</th>${DIMENSIONS.map((d) => `<th>${DIMENSION_NAMES[d]}</th>`).join("")}<th class="num">meet all</th><th class="num">critical / high</th></tr></thead><tbody>${overview.ranked.map(rankingRow).join("")}</tbody></table>`;
}

function fixFirstTable(overview: Overview, total: number): string {
  if (overview.fixFirst.length === 0) return '<p class="note">No required control fails.</p>';
  const rows = overview.fixFirst.map(
    (c, i) =>
      `<tr><td data-label="#" class="num">${i + 1}</td><td data-label="control"><span><code class="id">${ident(c.controlId)}</code><span class="sub block">${esc(c.title)}</span></span></td><td data-label="severity"><span class="badge ${c.severity}">${esc(c.severity)}</span></td><td data-label="failing" class="num">${c.failing}</td><td data-label="newly compliant" class="num">+${c.completes}</td><td data-label="compliant after">${meter(total === 0 ? undefined : Math.round((c.compliantAfter / total) * 100), `${c.compliantAfter} of ${total} evaluated resources compliant once this control and those above are fixed`)}</td></tr>`,
  );
  return `<p class="note">Fixed in this order, each control makes the resources in "newly compliant" compliant (they fail nothing else that is required); "compliant after" is the organisation score that follows.</p>${SCORE_LEGEND}
<table class="fix-first stack-sm"><thead><tr><th class="num">#</th><th>control</th><th>severity</th><th class="num">failing</th><th class="num">newly compliant</th><th>compliant after</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

const COMPLIANCE_TONES: Record<Compliance, string> = {
  NON_COMPLIANT: "bad",
  COMPLIANT: "good",
  NOT_APPLICABLE: "none",
};
const ORDERED: readonly Compliance[] = ["NON_COMPLIANT", "COMPLIANT", "NOT_APPLICABLE"];

function servicesChart(overview: Overview): string {
  if (overview.services.length === 0) return '<p class="note">No resources.</p>';
  const sum = (s: (typeof overview.services)[number]) =>
    s.counts.COMPLIANT + s.counts.NON_COMPLIANT + s.counts.NOT_APPLICABLE;
  const max = Math.max(...overview.services.map(sum));
  const rows = overview.services.map((s) => {
    const pct = compliancePercent(s.counts);
    const bar = stackedBar(
      ORDERED.map((c) => ({ value: s.counts[c], tone: COMPLIANCE_TONES[c], name: COMPLIANCE_WORDS[c] })),
      max,
    );
    return `<li><span class="svc">${esc(s.allowed ? s.service : `${s.service} (not allowed)`)}</span>${bar}<span class="svc-note">${s.counts.NON_COMPLIANT} of ${sum(s)} non-compliant${pct === undefined ? "" : ` · ${pct}% compliant`}</span></li>`;
  });
  return `${legend(ORDERED.map((c) => ({ tone: COMPLIANCE_TONES[c], text: COMPLIANCE_WORDS[c] })))}<ul class="bars">${rows.join("")}</ul>`;
}

function problemsPart(input: ReportInput): string {
  if (input.problems.length === 0) return "";
  const rows = input.problems.map((p) => `<li><code>${ident(p.source)}</code>: ${esc(p.message)}</li>`);
  return `<section class="problems"><h2>Inputs that could not be evaluated (${input.problems.length})</h2><ul>${rows.join("")}</ul></section>`;
}

/** Says, in the overview, how many resources the details leave out and how to get them all. */
function leftOutPart(overview: Overview): string {
  if (overview.leftOut === 0) return "";
  const { perAccount, total } = overview.limits;
  const shown = overview.resources - overview.leftOut;
  return `<p class="note capped" data-key="left-out">The account sections below show ${shown} of the ${overview.resources} resources in detail (at most ${perAccount} per account and ${total} in all, non-compliant and most severe first); ${overview.leftOut} are left out of the details. Every figure of this overview counts all ${overview.resources}. <code>compliance evaluate --format json</code> lists every resource and finding; <code>--html-per-account N</code> and <code>--html-max-resources N</code> raise the limits.</p>`;
}

export interface HtmlOptions {
  /** How many resources are shown in detail (default DEFAULT_HTML_LIMITS). */
  limits?: Readonly<HtmlLimits>;
  /**
   * The run's running totals, when the caller added the records as they came (the CLI: a run of
   * any size); `input.records` is then not read. Default: the tally of `input.records`.
   */
  tally?: HtmlTally;
}

export function renderHtml(input: ReportInput, options: HtmlOptions = {}): string {
  const tally = options.tally ?? tallyOf(input.records, options.limits);
  const overview = overviewOf(tally, input.accounts, input.catalogue);
  const help = helpIndex(input.catalogue);
  const generated = formatTime(input.generatedAt);
  const asOf = overview.dataAsOf ? formatTime(overview.dataAsOf) : "no item evaluated";
  const services = input.catalogue.policies.length;
  const evaluated = overview.totals.COMPLIANT + overview.totals.NON_COMPLIANT;
  const nav = overview.accounts
    .map((a) => `<a href="#${accountAnchor(a.accountId)}">${esc(a.context.name ?? a.accountId)}</a>`)
    .join("");
  const body = join([
    `<header class="page"><h1>${esc(input.title)}</h1><p class="times"><span class="time" data-key="as-of">Data as of <time datetime="${esc(overview.dataAsOf ? isoSeconds(overview.dataAsOf) : "")}">${esc(asOf)}</time></span><span class="time" data-key="generated">Report ${esc(generated)}</span><span class="time">${input.catalogue.controls.length} controls in ${services} ${services === 1 ? "service" : "services"}</span></p></header>`,
    "<main>",
    `<section class="overview" id="overview"><h2 class="sr">At a glance</h2>${headline(input, overview)}`,
    `<h2>Accounts by distance from their required rating</h2>${rankingTable(overview)}`,
    `<h2>Fix these first</h2>${fixFirstTable(overview, evaluated)}`,
    `<h2>Compliance per service</h2>${servicesChart(overview)}${leftOutPart(overview)}</section>`,
    problemsPart(input),
    nav ? `<nav class="jump"><span>Accounts:</span>${nav}</nav>` : "",
    ...overview.accounts.map((a) => accountSection(a, help, overview.limits)),
    "</main>",
    `<footer>Compliance report · data as of ${esc(asOf)} · generated ${esc(generated)} · ${overview.resources} resources in ${overview.accounts.length} accounts.</footer>`,
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
</body>
</html>
`;
}
