// `compliance catalogue --format markdown`: the catalogue as Markdown (docs/CONTROLS.md is this
// output, committed and checked up to date by test/catalogue/controls-doc.test.ts).
// Per service: its IAM prefixes and resource types, then a table of its controls.

import type { Catalogue, CompiledControl } from "../../engine/catalogue.ts";
import { type FsbpCoverage, type FsbpRow, fsbpFigures } from "../../engine/fsbp-coverage.ts";
import { escapeControl } from "../../engine/terminal-text.ts";
import { DIMENSIONS } from "../../engine/types.ts";

/** `FSBP S3.5` references, the Security Hub Foundational Security Best Practices control ids. */
export const fsbpIds = (control: Pick<CompiledControl, "references">): string[] =>
  control.references.filter((r) => /^FSBP \S+$/.test(r)).map((r) => r.slice("FSBP ".length));

/** `{"i": 2, "a": 2}` -> `I2 A2`: the level from which the control is required, per dimension. */
export function formatCia(cia: CompiledControl["cia"]): string {
  return DIMENSIONS.filter((d) => cia[d] !== undefined)
    .map((d) => `${d.toUpperCase()}${cia[d]}`)
    .join(" ");
}

/** Text for a Markdown table cell: no line breaks, pipes escaped, other control characters shown. */
const cell = (text: string): string => escapeControl(text.replace(/\s*\n\s*/g, " ").replace(/\|/g, "\\|"));

const code = (values: readonly string[]): string =>
  values.length === 0 ? "none" : values.map((v) => `\`${escapeControl(v)}\``).join(", ");

function controlRow(control: CompiledControl): string {
  const fsbp = fsbpIds(control);
  // A periodic control says so once: its title may say it already ("checked in the scheduled sweep").
  const title =
    control.evaluation === "periodic" && !/scheduled sweep/i.test(control.title)
      ? `${control.title} (scheduled sweep)`
      : control.title;
  return `| \`${cell(control.id)}\` | ${cell(title)} | ${control.severity} | ${formatCia(control.cia)} | ${fsbp.length ? fsbp.join(", ") : "-"} |`;
}

const STATUS_WORDS: Record<FsbpRow["status"], string> = {
  covered: "covered",
  partial: "partial (counts as missing)",
  missing: "missing",
  "not-applicable": "not applicable",
};

/** The FSBP coverage section: the figure, then one row per FSBP control. */
function coverageSection(coverage: FsbpCoverage): string[] {
  const f = fsbpFigures(coverage);
  const rows = coverage.controls.map((r) => {
    const by = r.by ? r.by.map((id) => `\`${cell(id)}\``).join(", ") : "-";
    return `| ${cell(r.id)} | ${cell(r.title)} | ${STATUS_WORDS[r.status]} | ${by} | ${r.reason ? cell(r.reason) : ""} |`;
  });
  return [
    "## Coverage of Security Hub FSBP",
    "",
    `${f.covered} of the ${f.applicable} FSBP controls that apply on this platform are covered ` +
      `(${f.percent}%); ${f.partial} partly (counted as missing), ${f.missing} missing; ` +
      `${f.notApplicable} do not apply. Generated from \`policies/fsbp.json\`.`,
    "",
    cell(coverage.source),
    "",
    "| FSBP | Title | Status | By | Why / what is lacking |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
    "",
  ];
}

export function renderCatalogueMarkdown(catalogue: Catalogue, coverage?: FsbpCoverage): string {
  const lines: string[] = [];
  const controls = catalogue.controls;
  const fsbpCount = controls.filter((c) => fsbpIds(c).length > 0).length;
  lines.push(
    "# Controls",
    "",
    "Generated from `policies/*.json` by `compliance catalogue --format markdown`; do not edit by hand.",
    "",
    `${controls.length} controls in ${catalogue.policies.length} services; ${fsbpCount} map to a Security Hub ` +
      "Foundational Security Best Practices (FSBP) control.",
    "",
    "CIA: the level (1 low, 2 medium, 3 high) from which a control is required in each dimension it " +
      "protects (C confidentiality, I integrity, A availability): `I2 A2` is required in accounts rated " +
      "I2 or above, or A2 or above.",
    "",
  );
  // Services with controls first (in catalogue order), then the platform services without.
  const withControls = (service: string) => controls.some((c) => c.service === service);
  const policies = [
    ...catalogue.policies.filter((p) => withControls(p.service)),
    ...catalogue.policies.filter((p) => !withControls(p.service)),
  ];
  for (const policy of policies) {
    const own = controls.filter((c) => c.service === policy.service);
    lines.push(`## ${cell(policy.title)} (\`${cell(policy.service)}\`)`, "");
    if (policy.description) lines.push(cell(policy.description), "");
    lines.push(
      `IAM prefixes: ${code(policy.iamPrefixes)}. Resource types: ${code(policy.resourceTypes)}.`,
      "",
    );
    if (own.length === 0) {
      lines.push("No resource controls: the service control policy allows it for the platform to work.", "");
      continue;
    }
    lines.push("| Id | Title | Severity | CIA | FSBP |", "| --- | --- | --- | --- | --- |");
    for (const control of own) lines.push(controlRow(control));
    lines.push("");
  }
  if (coverage) lines.push(...coverageSection(coverage));
  return `${lines.join("\n").trimEnd()}\n`;
}
