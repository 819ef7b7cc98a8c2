// `--format table`: the readable report, grouped by account, each account's required rating
// against what its resources achieve. Colours only when asked (the CLI asks on a TTY).

import pc from "picocolors";
import { formatRating } from "../cia.ts";
import { bySeverity } from "../severity.ts";
import type { AccountContext, CiaAchieved, Compliance, EvaluationRecord } from "../types.ts";
import type { ReportInput } from "./types.ts";

type Colors = ReturnType<typeof pc.createColors>;

/** The lowest level achieved in each dimension across an account's evaluated resources. */
export function accountAchieved(records: readonly EvaluationRecord[]): CiaAchieved {
  const out = { c: 3, i: 3, a: 3 } as CiaAchieved;
  for (const r of records) {
    if (r.compliance === "NOT_APPLICABLE") continue;
    out.c = Math.min(out.c, r.achieved.c) as CiaAchieved["c"];
    out.i = Math.min(out.i, r.achieved.i) as CiaAchieved["i"];
    out.a = Math.min(out.a, r.achieved.a) as CiaAchieved["a"];
  }
  return out;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function label(c: Colors, compliance: Compliance): string {
  if (compliance === "COMPLIANT") return c.green("COMPLIANT     ");
  if (compliance === "NON_COMPLIANT") return c.red("NON_COMPLIANT ");
  return c.dim("NOT_APPLICABLE");
}

function describeAccount(ctx: AccountContext | undefined, accountId: string): string {
  if (!ctx) return `${accountId} (not in the accounts file: unclassified, highest rating applied)`;
  const parts = [
    ctx.name,
    ctx.environment,
    ctx.unclassified ? "unclassified: highest rating applied" : undefined,
    ctx.owner,
  ];
  return `${accountId} (${parts.filter(Boolean).join(", ")})`;
}

export function renderTable(input: ReportInput, options: { color: boolean }): string {
  const c = pc.createColors(options.color);
  const lines: string[] = [];
  lines.push(c.bold(input.title));
  lines.push("");
  const byAccount = new Map<string, EvaluationRecord[]>();
  for (const r of input.records) byAccount.set(r.accountId, [...(byAccount.get(r.accountId) ?? []), r]);
  for (const accountId of [...byAccount.keys()].sort()) {
    const records = byAccount.get(accountId) ?? [];
    const ctx = input.accounts.get(accountId);
    const required = records[0]?.required ?? ctx?.rating;
    const achieved = accountAchieved(records);
    const non = records.filter((r) => r.compliance === "NON_COMPLIANT").length;
    const ok = records.filter((r) => r.compliance === "COMPLIANT").length;
    const na = records.length - non - ok;
    lines.push(c.bold(`Account ${describeAccount(ctx, accountId)}`));
    lines.push(
      `  required ${required ? formatRating(required) : "?"}, achieved ${formatRating(achieved)}: ` +
        `${plural(records.length, "resource")}, ${c.green(`${ok} compliant`)}, ${non ? c.red(`${non} non-compliant`) : "0 non-compliant"}, ${na} not applicable`,
    );
    const sorted = [...records].sort(
      (a, b) => a.compliance.localeCompare(b.compliance) || a.resourceType.localeCompare(b.resourceType),
    );
    for (const r of sorted) {
      const name = r.resourceName ?? r.resourceId;
      lines.push(
        `  ${label(c, r.compliance)} ${r.resourceType.padEnd(28)} ${name.padEnd(36)} ${c.dim(formatRating(r.achieved))}`,
      );
      const failures = r.findings.filter((f) => f.status === "FAIL" && f.required).sort(bySeverity);
      for (const f of failures) {
        lines.push(`      ${c.red(`[${f.severity}]`)} ${f.controlId}: ${f.message}`);
      }
      for (const f of r.findings.filter((f) => f.status === "WAIVED")) {
        lines.push(`      ${c.yellow("[waived]")} ${f.controlId}: ${f.message}`);
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
  for (const p of input.problems) lines.push(c.yellow(`input error: ${p.source}: ${p.message}`));
  return `${lines.join("\n")}\n`;
}
