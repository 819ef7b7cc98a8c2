// `--format table`: the readable report, grouped by account, each account's required rating
// against how many of its resources reach it (each resource line keeps its own achieved level).
// Colours only when asked (the CLI asks on a TTY).

import pc from "picocolors";
import { formatRating } from "../cia.ts";
import { bySeverity } from "../severity.ts";
import { escapeControl as t } from "../terminal-text.ts";
import type { AccountContext, CiaRating, Compliance, EvaluationRecord } from "../types.ts";
import { DIMENSIONS } from "../types.ts";
import { dataAsOf, formatTime } from "./time.ts";
import type { ReportInput } from "./types.ts";

type Colors = ReturnType<typeof pc.createColors>;

/**
 * How far an account is from its rating: how many of its evaluated resources reach the required
 * level in every dimension, and per dimension the share (whole percent) that reach it. The weakest
 * resource's level is exact per resource but says little about an account, so it is not the headline.
 */
export function accountDistance(records: readonly EvaluationRecord[], required: CiaRating): string {
  const evaluated = records.filter((r) => r.compliance !== "NOT_APPLICABLE");
  if (evaluated.length === 0) return "no resource evaluated";
  const meeting = { c: 0, i: 0, a: 0 };
  let all = 0;
  for (const r of evaluated) {
    for (const d of DIMENSIONS) if (r.achieved[d] >= required[d]) meeting[d]++;
    if (DIMENSIONS.every((d) => r.achieved[d] >= required[d])) all++;
  }
  const share = (n: number) => `${Math.round((n / evaluated.length) * 100)}%`;
  return (
    `${all} of ${evaluated.length} evaluated meet it ` +
    `(C ${share(meeting.c)}, I ${share(meeting.i)}, A ${share(meeting.a)})`
  );
}

/** String#localeCompare's order (the same default locale and options), one collator for all. */
const collator = new Intl.Collator();
const compareText = (a: string, b: string): number => (a === b ? 0 : collator.compare(a, b));

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function label(c: Colors, compliance: Compliance): string {
  if (compliance === "COMPLIANT") return c.green("COMPLIANT     ");
  if (compliance === "NON_COMPLIANT") return c.red("NON_COMPLIANT ");
  return c.dim("NOT_APPLICABLE");
}

function describeAccount(ctx: AccountContext | undefined, accountId: string): string {
  if (!ctx) return `${t(accountId)} (not in the accounts file: unclassified, highest rating applied)`;
  const parts = [
    ctx.name,
    ctx.environment,
    ctx.unclassified ? "unclassified: highest rating applied" : undefined,
    ctx.owner,
  ].filter(Boolean);
  return parts.length > 0 ? `${t(accountId)} (${t(parts.join(", "))})` : t(accountId);
}

export function renderTable(input: ReportInput, options: { color: boolean }): string {
  const c = pc.createColors(options.color);
  const lines: string[] = [];
  lines.push(c.bold(t(input.title)));
  const asOf = dataAsOf(input.records);
  if (asOf) lines.push(c.dim(`Data as of ${formatTime(asOf)}`));
  lines.push("");
  // Linear in the number of records (plus the sort): each record is pushed once onto its account.
  const byAccount = new Map<string, EvaluationRecord[]>();
  for (const r of input.records) {
    const list = byAccount.get(r.accountId);
    if (list) list.push(r);
    else byAccount.set(r.accountId, [r]);
  }
  for (const accountId of [...byAccount.keys()].sort()) {
    const records = byAccount.get(accountId) ?? [];
    const ctx = input.accounts.get(accountId);
    const required = records[0]?.required ?? ctx?.rating;
    let non = 0;
    let ok = 0;
    for (const r of records) {
      if (r.compliance === "NON_COMPLIANT") non++;
      else if (r.compliance === "COMPLIANT") ok++;
    }
    const na = records.length - non - ok;
    lines.push(c.bold(`Account ${describeAccount(ctx, accountId)}`));
    lines.push(
      `  required ${required ? `${formatRating(required)}: ${accountDistance(records, required)}` : "?"}; ` +
        `${plural(records.length, "resource")}: ${c.green(`${ok} compliant`)}, ${non ? c.red(`${non} non-compliant`) : "0 non-compliant"}, ${na} not applicable`,
    );
    // Stable sort by compliance, then resource type.
    const sorted = [...records].sort(
      (a, b) => compareText(a.compliance, b.compliance) || compareText(a.resourceType, b.resourceType),
    );
    for (const r of sorted) {
      // Item text is escaped before it meets the terminal (names and messages come from the input).
      const name = t(r.source === "template" ? r.resourceId : (r.resourceName ?? r.resourceId));
      lines.push(
        `  ${label(c, r.compliance)} ${t(r.resourceType).padEnd(28)} ${name.padEnd(36)} ${c.dim(formatRating(r.achieved))}`,
      );
      const failures = r.findings.filter((f) => f.status === "FAIL" && f.required).sort(bySeverity);
      for (const f of failures) {
        const at = f.location
          ? `${c.dim(`${t(f.location.file)}:${f.location.line}:${f.location.column}`)} `
          : "";
        lines.push(`      ${c.red(`[${f.severity}]`)} ${at}${t(f.controlId)}: ${t(f.message)}`);
      }
      for (const f of r.findings.filter((f) => f.status === "WAIVED")) {
        lines.push(`      ${c.yellow("[waived]")} ${t(f.controlId)}: ${t(f.message)}`);
      }
      for (const f of r.findings.filter((f) => f.status === "UNKNOWN" && f.required)) {
        lines.push(`      ${c.cyan("[unknown]")} ${t(f.controlId)}: ${t(f.message)}`);
      }
    }
    lines.push("");
  }
  const s = input.summary;
  lines.push(
    c.bold(
      `Summary: ${plural(s.resources, "resource")} in ${plural(s.accounts, "account")}: ${s.byCompliance.COMPLIANT} compliant, ` +
        `${s.byCompliance.NON_COMPLIANT} non-compliant, ${s.byCompliance.NOT_APPLICABLE} not applicable`,
    ),
  );
  const severities = Object.entries(s.bySeverity)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`);
  if (severities.length) lines.push(`Failing required controls: ${severities.join(", ")}`);
  if (s.unknown > 0) {
    lines.push(
      `Unknown: ${s.unknown} required control(s) read values the template does not tell (neither pass nor fail)`,
    );
  }
  // Each input error was already reported on its own line as it happened (stderr): count it here.
  if (input.problems.length > 0)
    lines.push(
      c.yellow(`Not evaluated: ${plural(input.problems.length, "input")} with errors (reported above)`),
    );
  return `${lines.join("\n")}\n`;
}
