// The report's inline style sheet: screen from 360 px to wide desktops, and print. The page has
// no script; its Content-Security-Policy allows nothing but this inline style.

export const CSS = `
:root { --good: #1a7f37; --bad: #cf222e; --warn: #bf8700; --none: #8c959f; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #f6f8fa; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: #fff; overflow-wrap: break-word; }
/* On wide screens the content column is centred, and the header and footer text line up with it. */
header.page { padding: 16px max(24px, calc((100% - 1280px) / 2 + 24px)); background: #0d1117; color: #fff; }
header.page h1 { margin: 0 0 6px; font-size: 22px; line-height: 1.2; }
header.page .times { margin: 0; color: #c9d1d9; display: flex; flex-wrap: wrap; gap: 4px 18px; }
main { padding: 4px 24px 32px; max-width: 1280px; margin: 0 auto; }
h2 { margin: 26px 0 8px; font-size: 18px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { margin: 18px 0 6px; font-size: 15px; }
h4 { margin: 0; font-size: 14px; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); margin: 0; padding: 0; border: 0; }
p.note, .note { color: var(--muted); margin: 4px 0 8px; }
.muted { color: var(--muted); }
.sub { color: var(--muted); font-size: 12px; }
.sub.block { display: block; }
.seg { white-space: nowrap; }
.seg.long { white-space: normal; overflow-wrap: anywhere; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin: 16px 0 8px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; background: var(--bg); }
.card .value { font-size: 30px; font-weight: 700; line-height: 1.1; }
.card .label { font-weight: 600; }
.card.bad .value { color: var(--bad); } .card.good .value { color: var(--good); } .card.warn .value { color: var(--warn); }
.card.score { border-width: 2px; }
.card.score.bad { border-color: var(--bad); } .card.score.warn { border-color: var(--warn); } .card.score.good { border-color: var(--good); }
div.counts { display: flex; flex-wrap: wrap; gap: 6px 14px; align-items: baseline; margin: 4px 0 0; color: var(--muted); }
.card.mini { display: inline-flex; gap: 6px; align-items: baseline; padding: 0; border: 0; background: none; }
.card.mini .value { font-size: 16px; } .card.mini .label { font-weight: 400; color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--bg); font-weight: 600; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; color: #fff; white-space: nowrap; border: 1px solid transparent; }
.COMPLIANT .badge.compliance, .badge.PASS { background: var(--good); }
.NON_COMPLIANT .badge.compliance, .badge.FAIL { background: var(--bad); }
.NOT_APPLICABLE .badge.compliance { background: var(--none); }
.badge.SKIP { background: #fff; color: var(--muted); border: 1px dashed var(--none); }
.badge.UNKNOWN { background: #fff; color: var(--muted); border: 1px dotted var(--muted); }
.badge.optional { background: #fff; color: var(--warn); border: 1px dashed var(--warn); }
.badge.WAIVED { background: #fff; color: #6639ba; border: 1px solid #6639ba; }
.badge.critical { background: #82071e; } .badge.high { background: #cf222e; } .badge.medium { background: #bc4c00; } .badge.low { background: #9a6700; }
.sev-text { color: var(--muted); font-size: 12px; }
.level-ok { color: var(--good); font-weight: 600; } .level-short { color: var(--bad); font-weight: 600; }
.levels { white-space: nowrap; }
.legend { list-style: none; padding: 0; margin: 4px 0 6px; display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 12px; color: var(--muted); }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 5px; vertical-align: -1px; }
.swatch.good, .fill.good, .seg-bar.good { background: var(--good); }
.swatch.warn, .fill.warn { background: var(--warn); }
.swatch.bad, .fill.bad, .seg-bar.bad { background: var(--bad); }
.swatch.none, .fill.none, .seg-bar.none { background: var(--none); }
.meter-wrap { display: inline-flex; align-items: center; gap: 6px; white-space: nowrap; }
.meter { display: inline-block; width: 72px; height: 10px; background: #e6eaef; border-radius: 5px; overflow: hidden; }
.meter .fill { display: block; height: 100%; }
.pct { font-variant-numeric: tabular-nums; min-width: 3.2em; }
ul.bars { list-style: none; padding: 0; margin: 4px 0; display: grid; grid-template-columns: minmax(90px, max-content) minmax(80px, 1fr) max-content; gap: 6px 12px; align-items: center; }
ul.bars li { display: contents; }
.stack { display: flex; height: 14px; background: #f0f2f5; border-radius: 3px; overflow: hidden; }
.seg-bar { display: block; height: 100%; }
.svc-note { color: var(--muted); font-size: 12px; }
nav.jump { display: flex; flex-wrap: wrap; gap: 6px 14px; margin: 20px 0 0; padding: 8px 12px; background: var(--bg); border-radius: 6px; }
nav.jump span { color: var(--muted); }
section.account { margin-top: 28px; }
section.account > h2 { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 4px 12px; align-items: baseline; }
section.account > h2 .required { font-size: 14px; font-weight: 400; color: var(--muted); }
.meta { color: var(--muted); display: flex; flex-wrap: wrap; gap: 2px 14px; margin: 2px 0 6px; }
.meta .warning, .warning { color: var(--bad); }
.account-summary { display: flex; flex-wrap: wrap; gap: 8px 24px; align-items: center; margin: 8px 0; }
.account-summary .big { margin: 0; font-size: 15px; }
.dims { display: flex; flex-wrap: wrap; gap: 6px 18px; }
.dim { display: inline-flex; gap: 8px; align-items: center; }
.dim-name { color: var(--muted); font-size: 12px; }
ol.fix-list { padding-left: 22px; margin: 6px 0; }
li.fix { margin: 0 0 10px; }
.fix-head .title { font-weight: 600; }
.affects { margin: 2px 0; color: var(--muted); }
dl.remediation { display: grid; grid-template-columns: max-content 1fr; gap: 2px 10px; margin: 4px 0; padding: 6px 10px; background: var(--bg); border-radius: 4px; }
dl.remediation dt { font-weight: 600; color: var(--muted); }
dl.remediation dd { margin: 0; min-width: 0; }
dl.remediation code { overflow-wrap: anywhere; }
.good-note { color: var(--good); }
article.resource { border: 1px solid var(--line); border-left: 6px solid var(--none); border-radius: 6px; padding: 8px 12px; margin: 8px 0; }
article.resource.NON_COMPLIANT { border-left-color: var(--bad); }
article.resource.COMPLIANT { border-left-color: var(--good); }
article.resource .arn { color: var(--muted); }
ul.findings { list-style: none; padding: 0; margin: 6px 0 0; }
li.finding { padding: 3px 0; border-top: 1px solid #eef1f4; }
li.finding .message { color: var(--muted); margin: 1px 0 0; }
li.finding.FAIL:not(.not-required) .message { color: var(--ink); }
ul.findings.optional li.finding { color: var(--muted); }
p.waiver { margin: 4px 0; padding: 4px 8px; border-left: 3px solid #6639ba; background: #fbf8ff; }
details { margin: 6px 0; }
details > summary { cursor: pointer; color: var(--muted); }
details.others > summary { font-weight: 600; color: var(--ink); padding: 6px 0; }
section.problems li { margin: 2px 0; }
footer { color: var(--muted); padding: 14px max(24px, calc((100% - 1280px) / 2 + 24px)); border-top: 1px solid var(--line); }
@media screen and (max-width: 720px) {
  header.page, main, footer { padding-left: 12px; padding-right: 12px; }
  table.stack-sm thead { display: none; }
  table.stack-sm, table.stack-sm tbody, table.stack-sm tr { display: block; width: 100%; }
  table.stack-sm tr { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 8px; padding: 4px 8px; }
  table.stack-sm td { display: flex; gap: 10px; justify-content: space-between; align-items: baseline; border: 0; padding: 3px 0; text-align: right; }
  table.stack-sm td > * { min-width: 0; }
  table.stack-sm td::before { content: attr(data-label); color: var(--muted); text-align: left; flex: none; }
  table.stack-sm td:first-child { display: block; text-align: left; font-size: 15px; }
  table.stack-sm td:first-child::before { content: none; }
  ul.bars { grid-template-columns: 1fr; gap: 2px; }
  .svc { margin-top: 6px; font-weight: 600; }
  dl.remediation { grid-template-columns: 1fr; }
}
@media print {
  @page { size: A4; margin: 10mm; }
  body { font-size: 9px; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  header.page { background: #fff; color: #000; padding: 0 0 6px; border-bottom: 2px solid #000; }
  header.page .times { color: #333; }
  main { padding: 0; max-width: none; }
  footer { padding: 6px 0; }
  nav.jump { display: none; }
  h2 { margin: 14px 0 6px; font-size: 14px; }
  h3 { margin: 10px 0 4px; font-size: 12px; }
  .card .value { font-size: 20px; }
  section.account { margin-top: 10px; border-top: 2px solid #000; }
  article.resource { padding: 2px 6px; margin: 3px 0; border-left-width: 3px; }
  article.resource .arn, dl.remediation .why, dl.remediation .refs, .legend, p.note { display: none; }
  .tiles { grid-template-columns: repeat(4, 1fr); gap: 6px; margin: 8px 0 4px; }
  .card { padding: 4px 8px; }
  th, td { padding: 2px 6px; }
  li.fix { margin: 0 0 4px; }
  dl.remediation { padding: 2px 6px; margin: 2px 0; }
  ul.bars { gap: 2px 10px; }
  li.finding { padding: 0; border: 0; }
  li.finding .title { display: none; }
  li.finding .message { display: inline; margin-left: 4px; }
  ul.findings { display: flex; flex-wrap: wrap; gap: 0 10px; }
  ul.findings.optional { display: none; }
  /* On paper, each account's first two controls with their remediation; the rest by id and
     severity on a running line (every failing control is also listed under its resources). */
  li.fix:nth-child(n + 3) { display: inline-block; margin: 0 12px 2px 0; }
  li.fix:nth-child(n + 3) dl.remediation, li.fix:nth-child(n + 3) .title, li.fix:nth-child(n + 3) .affects { display: none; }
  /* A resource's name, type and level on one line above its failures. */
  article.resource h4 { display: inline; font-size: 11px; margin: 0 8px 0 0; }
  article.resource .meta { display: inline-flex; margin: 0; }
  dl.remediation { display: block; background: none; padding: 0 0 0 8px; }
  dl.remediation dt, dl.remediation dd { display: inline; }
  dl.remediation dd::after { content: ""; display: block; }
  dl.remediation dt::after { content: ":"; }
  .affects { display: inline; margin-left: 6px; }
  .fix-head { display: inline; }
  .badge { padding: 0 5px; font-size: 9px; }
  article.resource, .card, tr, li.fix { break-inside: avoid; }
  details.passing { display: none; }
  a { color: inherit; text-decoration: none; }
  h2, h3 { break-after: avoid; }
}
`;

/** No network and no script: only the inline style sheet. */
export const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";
