// The diff as Markdown for a pull-request comment: a headline (does anything break?), the
// controls and services that changed in words, the SCP allow-list delta and size, and the
// resources whose compliance flips, by account. Text from files is escaped for GitHub Markdown.

import { formatRating } from "../../engine/cia.ts";
import { formatProblem, type PolicyProblem } from "../../engine/errors.ts";
import type { AccountContext, Compliance } from "../../engine/types.ts";
import { SCP_MAX_CHARACTERS, type ScpDelta, type ScpSide, scpBreaks } from "./allow-list.ts";
import { type CatalogueDiff, type ControlSummary, requiredFrom } from "./controls.ts";
import { becomeNonCompliant, type Flip, type FlipReport } from "./flips.ts";
import { describeScope, isEmptyWaiverDiff, type WaiverDiff } from "./waivers.ts";

/** The first line of every comment, so a workflow can find and update its earlier comment. */
export const COMMENT_MARKER = "<!-- compliance-diff -->";
/** Keep the comment well inside GitHub's 65,536-character limit. */
const MAX_ROWS = 150;

export interface DiffReport {
  base: { ref: string; commit: string };
  catalogue: CatalogueDiff;
  waivers: WaiverDiff;
  scp: ScpDelta;
  flips: FlipReport;
  snapshot: string;
  accounts: ReadonlyMap<string, AccountContext>;
  /** Errors in the working tree's catalogue: it cannot merge as it is. */
  headErrors: PolicyProblem[];
  /** Errors in the base catalogue: it was compared as far as it loaded. */
  baseErrors: PolicyProblem[];
}

/**
 * Text safe in Markdown, also inside a table cell. `<` is escaped so nothing becomes HTML; `>`
 * is left alone (only a blockquote at the start of a line, which a phrase never is).
 */
export function md(text: string): string {
  return text.replace(/\r?\n/g, " ").replace(/[\\`*_{}[\]<|#~]/g, "\\$&");
}

const code = (text: string): string => `\`${text.replace(/`/g, "'")}\``;
const n = (value: number): string => value.toLocaleString("en-US");
const plural = (count: number, one: string, many = `${one}s`): string =>
  `${count} ${count === 1 ? one : many}`;

const WORDS: Record<Compliance, string> = {
  COMPLIANT: "COMPLIANT",
  NON_COMPLIANT: "**NON_COMPLIANT**",
  NOT_APPLICABLE: "NOT_APPLICABLE",
};

export function breaks(report: DiffReport): boolean {
  return becomeNonCompliant(report.flips).length > 0 || report.headErrors.length > 0 || scpBreaks(report.scp);
}

function headline(report: DiffReport): string {
  const c = report.catalogue;
  const broken = becomeNonCompliant(report.flips).length;
  const parts = [
    `${plural(c.added.length, "control")} added, ${c.removed.length} removed, ${c.changed.length} changed`,
  ];
  if (report.scp.prefixesAdded.length || report.scp.prefixesRemoved.length) {
    const added = report.scp.prefixesAdded.length;
    const removed = report.scp.prefixesRemoved.length;
    parts.push(
      `SCP allow-list ${[added ? `+${plural(added, "prefix", "prefixes")}` : "", removed ? `-${plural(removed, "prefix", "prefixes")}` : ""].filter(Boolean).join(", ")}`,
    );
  }
  parts.push(
    `${plural(report.flips.flips.length, "resource")} ${report.flips.flips.length === 1 ? "flips" : "flip"}`,
  );
  const verdict = breaks(report)
    ? `:x: **This change breaks something:** ${[
        broken ? `${plural(broken, "resource")} ${broken === 1 ? "becomes" : "become"} non-compliant` : "",
        report.headErrors.length ? `${plural(report.headErrors.length, "catalogue error")}` : "",
        scpBreaks(report.scp) ? "the SCP cannot be generated" : "",
      ]
        .filter(Boolean)
        .join(", ")}.`
    : ":white_check_mark: **Nothing becomes non-compliant.**";
  return `${verdict}\n\n${parts.join(" · ")}`;
}

function controlTable(rows: readonly ControlSummary[]): string[] {
  return [
    "| control | service | severity | required from | title |",
    "| --- | --- | --- | --- | --- |",
    ...rows.map(
      (c) => `| ${code(c.id)} | ${md(c.service)} | ${c.severity} | ${requiredFrom(c.cia)} | ${md(c.title)} |`,
    ),
  ];
}

function controlsPart(diff: CatalogueDiff): string[] {
  const out = ["### Controls"];
  if (diff.added.length + diff.removed.length + diff.changed.length === 0) {
    return [...out, "", "No control changed."];
  }
  if (diff.added.length) out.push("", `**Added (${diff.added.length})**`, "", ...controlTable(diff.added));
  if (diff.removed.length)
    out.push("", `**Removed (${diff.removed.length})**`, "", ...controlTable(diff.removed));
  if (diff.changed.length) {
    out.push("", `**Changed (${diff.changed.length})**`, "");
    for (const c of diff.changed)
      out.push(`- ${code(c.id)} (${md(c.service)}): ${c.changes.map(md).join("; ")}`);
  }
  return out;
}

function servicesPart(diff: CatalogueDiff): string[] {
  if (diff.servicesAdded.length + diff.servicesRemoved.length + diff.servicesChanged.length === 0) return [];
  const out = ["### Services", ""];
  for (const s of diff.servicesAdded) {
    out.push(
      `- Added ${code(s.service)} (${md(s.title)}): IAM prefixes ${s.iamPrefixes.map(code).join(", ")}; resource types ${s.resourceTypes.map(code).join(", ")}`,
    );
  }
  for (const s of diff.servicesRemoved) out.push(`- Removed ${code(s.service)} (${md(s.title)})`);
  for (const s of diff.servicesChanged) out.push(`- ${code(s.service)}: ${s.changes.map(md).join("; ")}`);
  return out;
}

function waiversPart(diff: WaiverDiff): string[] {
  if (isEmptyWaiverDiff(diff)) return [];
  const out = ["### Waivers", ""];
  for (const w of diff.added) {
    out.push(
      `- Added: ${code(w.controlId)} for ${md(describeScope(w))}, until ${w.expires}, approved by ${md(w.approver)}: ${md(w.reason)}`,
    );
  }
  for (const w of diff.removed) out.push(`- Removed: ${code(w.controlId)} for ${md(describeScope(w))}`);
  for (const c of diff.changed) {
    out.push(
      `- Changed: ${code(c.waiver.controlId)} for ${md(describeScope(c.waiver))}: ${c.changes.map(md).join("; ")}`,
    );
  }
  return out;
}

function sizes(side: ScpSide): string {
  if (side.policies.length === 0) return side.note ? md(side.note) : "none";
  return side.policies.map((p) => `${code(p.name)} ${n(p.size)}`).join(", ");
}

function scpPart(delta: ScpDelta): string[] {
  const out = ["### SCP allow-list", ""];
  if (delta.prefixesAdded.length) out.push(`- Prefixes added: ${delta.prefixesAdded.map(code).join(", ")}`);
  if (delta.prefixesRemoved.length) {
    out.push(
      `- Prefixes removed: ${delta.prefixesRemoved.map(code).join(", ")} (actions of these services will be denied in every member account)`,
    );
  }
  if (!delta.prefixesAdded.length && !delta.prefixesRemoved.length) {
    out.push(`- Allowed prefixes unchanged (${delta.head.prefixes.length}).`);
  }
  out.push(
    `- Size (characters, minified, limit ${n(SCP_MAX_CHARACTERS)} each): ${sizes(delta.base)} -> ${sizes(delta.head)}`,
  );
  const before = delta.base.policies.reduce((s, p) => s + p.size, 0);
  const after = delta.head.policies.reduce((s, p) => s + p.size, 0);
  if (delta.base.policies.length && delta.head.policies.length && before !== after) {
    out.push(`- Change: ${after - before > 0 ? "+" : ""}${n(after - before)} characters`);
  }
  if (delta.head.error) out.push(`- :x: The SCP cannot be generated: ${md(delta.head.error)}`);
  return out;
}

function accountHeading(accountId: string, accounts: ReadonlyMap<string, AccountContext>): string {
  const ctx = accounts.get(accountId);
  if (!ctx) return `#### ${accountId}`;
  const name = ctx.name ? `${md(ctx.name)} (${accountId})` : accountId;
  return `#### ${name} · ${formatRating(ctx.rating)}${ctx.unclassified ? " (unclassified)" : ""}`;
}

function why(flip: Flip): string {
  const parts: string[] = [];
  if (flip.newlyFailing.length) {
    parts.push(
      `now fails ${flip.newlyFailing.map((f) => `${code(f.controlId)} (${f.severity}): ${md(f.message)}`).join("; ")}`,
    );
  }
  if (flip.noLongerFailing.length) parts.push(`no longer fails ${flip.noLongerFailing.map(code).join(", ")}`);
  if (parts.length === 0)
    parts.push(flip.after === "NOT_APPLICABLE" ? "no control covers it now" : "controls now apply to it");
  return parts.join("; ");
}

function flipTable(
  flips: readonly Flip[],
  accounts: ReadonlyMap<string, AccountContext>,
  withCompliance: boolean,
): string[] {
  const out: string[] = [];
  let current = "";
  let rows = 0;
  for (const flip of flips) {
    if (rows === MAX_ROWS) {
      out.push("", `… and ${flips.length - rows} more (run \`compliance diff\` locally for all of them).`);
      break;
    }
    if (flip.accountId !== current) {
      current = flip.accountId;
      out.push(
        "",
        accountHeading(flip.accountId, accounts),
        "",
        withCompliance ? "| resource | type | before | after | why |" : "| resource | type | what changed |",
        withCompliance ? "| --- | --- | --- | --- | --- |" : "| --- | --- | --- |",
      );
    }
    const name = code(flip.resourceName ?? flip.resourceId);
    out.push(
      withCompliance
        ? `| ${name} | ${flip.resourceType} | ${WORDS[flip.before]} | ${WORDS[flip.after]} | ${why(flip)} |`
        : `| ${name} | ${flip.resourceType} | ${why(flip)} |`,
    );
    rows++;
  }
  return out;
}

function flipsPart(report: DiffReport): string[] {
  const f = report.flips;
  const out = [
    "### Resources whose compliance flips",
    "",
    `Evaluated on ${md(report.snapshot)}: ${plural(f.resources, "resource")} in ${plural(f.accounts, "account")}, each against its account's rating.`,
  ];
  if (f.flips.length === 0) out.push("", "No resource flips.");
  else out.push(...flipTable(f.flips, report.accounts, true));
  if (f.changedFailures.length) {
    out.push(
      "",
      `<details><summary>${plural(f.changedFailures.length, "resource")} non-compliant before and after, with other failing controls</summary>`,
      ...flipTable(f.changedFailures, report.accounts, false),
      "",
      "</details>",
    );
  }
  return out;
}

function problemsPart(title: string, problems: readonly PolicyProblem[]): string[] {
  if (problems.length === 0) return [];
  return [`### ${title}`, "", ...problems.slice(0, 50).map((p) => `- ${md(formatProblem(p))}`)];
}

export function renderDiffMarkdown(report: DiffReport): string {
  const sections = [
    [
      COMMENT_MARKER,
      `## Policy change: ${code(report.base.ref)} (${report.base.commit}) -> working tree`,
      "",
      headline(report),
    ],
    problemsPart("Errors in the changed catalogue", report.headErrors),
    controlsPart(report.catalogue),
    servicesPart(report.catalogue),
    waiversPart(report.waivers),
    scpPart(report.scp),
    flipsPart(report),
    problemsPart(
      `Errors in the base catalogue (${report.base.ref}), compared as far as it loads`,
      report.baseErrors,
    ),
  ];
  return `${sections
    .filter((s) => s.length)
    .map((s) => s.join("\n"))
    .join("\n\n")}\n`;
}
