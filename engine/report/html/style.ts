// The report's inline style sheet (screen and print) and its one small script. The script's
// hash goes into the page's Content-Security-Policy, so no other script can run in the page.

import { createHash } from "node:crypto";

export const CSS = `
:root { --good: #1a7f37; --bad: #cf222e; --warn: #bf8700; --none: #8c959f; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: #fff; }
header.page { padding: 20px 32px; background: #0d1117; color: #fff; }
header.page h1 { margin: 0 0 4px; font-size: 22px; }
header.page p { margin: 0; color: #c9d1d9; }
main { padding: 8px 32px 40px; max-width: 1200px; }
h2 { margin: 28px 0 8px; font-size: 18px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { margin: 20px 0 6px; font-size: 16px; }
h4 { margin: 0; font-size: 14px; }
p.note { color: var(--muted); margin: 4px 0 10px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 16px; min-width: 140px; background: var(--bg); }
.card .value { font-size: 26px; font-weight: 700; }
.card .label { color: var(--muted); }
.card.bad .value { color: var(--bad); } .card.good .value { color: var(--good); }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: anywhere; }
table.findings { table-layout: fixed; }
table.findings col.status { width: 80px; } table.findings col.severity { width: 86px; } table.findings col.control { width: 190px; } table.findings col.title { width: 26%; }
td code.id, a code.id, code.id { word-break: normal; overflow-wrap: anywhere; }
p.annotation { color: var(--muted); margin: 4px 0; }
th { background: var(--bg); font-weight: 600; overflow-wrap: normal; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; word-break: break-all; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; color: #fff; white-space: nowrap; }
.COMPLIANT .badge.compliance, .badge.COMPLIANT, .badge.PASS { background: var(--good); }
.NON_COMPLIANT .badge.compliance, .badge.NON_COMPLIANT, .badge.FAIL { background: var(--bad); }
.NOT_APPLICABLE .badge.compliance, .badge.NOT_APPLICABLE, .badge.SKIP { background: var(--none); }
.badge.WAIVED { background: var(--warn); }
.badge.critical { background: #82071e; } .badge.high { background: #cf222e; } .badge.medium { background: #bc4c00; } .badge.low { background: #9a6700; }
.level-ok { color: var(--good); font-weight: 600; } .level-short { color: var(--bad); font-weight: 600; }
svg.chart { max-width: 100%; height: auto; display: block; margin: 8px 0; }
section.account { margin-top: 24px; }
article.resource { border: 1px solid var(--line); border-left: 6px solid var(--none); border-radius: 6px; padding: 10px 14px; margin: 10px 0; }
article.resource.NON_COMPLIANT { border-left-color: var(--bad); }
article.resource.COMPLIANT { border-left-color: var(--good); }
article.resource .meta { color: var(--muted); margin: 2px 0 6px; }
.remediation { background: var(--bg); border-radius: 4px; padding: 6px 10px; margin: 4px 0; }
.remediation p { margin: 2px 0; }
.toolbar { margin: 12px 0; padding: 8px 12px; background: var(--bg); border-radius: 6px; }
body.only-failing article.resource:not(.NON_COMPLIANT) { display: none; }
.warning { color: var(--bad); }
footer { color: var(--muted); padding: 16px 32px; border-top: 1px solid var(--line); }
@media print {
  @page { margin: 14mm; }
  body { font-size: 11px; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  header.page { background: #fff; color: #000; padding: 0 0 8px; border-bottom: 2px solid #000; }
  header.page p { color: #333; }
  main { padding: 0; max-width: none; }
  .toolbar { display: none; }
  body.only-failing article.resource:not(.NON_COMPLIANT) { display: block; }
  section.overview, section.account { break-before: page; }
  section.overview:first-of-type { break-before: auto; }
  article.resource, .card, svg.chart, tr { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  h2, h3 { break-after: avoid; }
}
`;

export const SCRIPT = `
var box = document.getElementById("only-failing");
if (box) box.addEventListener("change", function () { document.body.classList.toggle("only-failing", box.checked); });
`;

const scriptHash = createHash("sha256").update(SCRIPT).digest("base64");

/** No network at all; only the inline style and this exact script. */
export const CONTENT_SECURITY_POLICY = `default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-${scriptHash}'`;
