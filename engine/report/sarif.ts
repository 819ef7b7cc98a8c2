// SARIF 2.1.0 output, for code-scanning tools. `renderSarif`: a rule per control (help text =
// rationale + remediation, level and `security-severity` from the control's severity), a result per
// failing required control per resource with the ARN as a logical location (waived failures are
// results with a suppression). `renderValidationSarif`: `compliance validate`'s problems located
// at file, line and column, so GitHub code scanning annotates a policy pull request on the line.

import type {
  Log,
  Notification,
  PhysicalLocation,
  ReportingDescriptor,
  Result,
  Run,
  ToolComponent,
} from "sarif";
import packageJson from "../../package.json" with { type: "json" };
import type { Catalogue } from "../catalogue.ts";
import { formatRating } from "../cia.ts";
import type { PolicyProblem } from "../errors.ts";
import { ALLOWED_SERVICE_CONTROL } from "../evaluate.ts";
import { platformFindings } from "../platform-resources.ts";
import type { CiaRequirement, EvaluationRecord, Severity, SourceLocation } from "../types.ts";
import type { ReportInput } from "./types.ts";

export type SarifLog = Log;

const SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

/** SARIF level and GitHub's `security-severity` score (critical > 9, high 7-8.9, medium 4-6.9, low < 4). */
export const SEVERITY_LEVELS: Record<Severity, { level: "error" | "warning" | "note"; score: string }> = {
  critical: { level: "error", score: "9.5" },
  high: { level: "error", score: "8.0" },
  medium: { level: "warning", score: "5.5" },
  low: { level: "note", score: "3.0" },
};

function driver(rules: ReportingDescriptor[]): ToolComponent {
  return {
    name: "compliance",
    fullName: "AWS compliance engine",
    semanticVersion: packageJson.version,
    version: packageJson.version,
    rules,
  };
}

interface RuleSource {
  id: string;
  title: string;
  severity: Severity;
  cia: CiaRequirement;
  rationale: string;
  remediation: { console: string; cloudformation: string };
  references: string[];
  service?: string;
  resourceType?: string;
}

const requiredFrom = (cia: CiaRequirement): string =>
  Object.entries(cia)
    .map(([d, level]) => `${d.toUpperCase()}${level}`)
    .join(" or ");

function rule(control: RuleSource): ReportingDescriptor {
  const { level, score } = SEVERITY_LEVELS[control.severity];
  const refs = control.references.length ? `\nReferences: ${control.references.join(", ")}` : "";
  const text = `${control.rationale}\n\nRemediation (console): ${control.remediation.console}\nRemediation (CloudFormation): ${control.remediation.cloudformation}${refs}`;
  const markdown = [
    `**${control.title}**`,
    "",
    control.rationale,
    "",
    `Required from ${requiredFrom(control.cia)} (severity ${control.severity}).`,
    "",
    "**Remediation**",
    `- Console: ${control.remediation.console}`,
    `- CloudFormation: \`${control.remediation.cloudformation.replace(/`/g, "'")}\``,
    ...(control.references.length ? ["", `References: ${control.references.join(", ")}`] : []),
  ].join("\n");
  const tags = ["security", "compliance", ...Object.keys(control.cia).map((d) => `cia-${d}`)];
  if (control.service) tags.push(control.service);
  return {
    id: control.id,
    name: control.id.replace(/[^A-Za-z0-9]+/g, " ").trim(),
    shortDescription: { text: control.title },
    fullDescription: { text: control.rationale },
    help: { text, markdown },
    defaultConfiguration: { level },
    properties: {
      tags,
      "security-severity": score,
      precision: "very-high",
      severity: control.severity,
      cia: control.cia,
      references: control.references,
      ...(control.resourceType ? { resourceType: control.resourceType } : {}),
    },
  };
}

function rulesOf(catalogue: Catalogue): ReportingDescriptor[] {
  const builtIn: RuleSource = { ...ALLOWED_SERVICE_CONTROL, cia: { ...ALLOWED_SERVICE_CONTROL.cia } };
  return [builtIn, ...catalogue.controls, ...platformFindings(catalogue.platform)].map(rule);
}

/** The resource's ARN; a resource without one is named by account, region, type and id. */
export function resourceName(record: EvaluationRecord): string {
  return record.arn || `${record.accountId}/${record.region}/${record.resourceType}/${record.resourceId}`;
}

function results(record: EvaluationRecord, ruleIndex: Map<string, number>): Result[] {
  const out: Result[] = [];
  for (const f of record.findings) {
    if (!f.required || (f.status !== "FAIL" && f.status !== "WAIVED" && f.status !== "UNKNOWN")) continue;
    const name =
      record.source === "template" ? `${record.resourceType}/${record.resourceId}` : resourceName(record);
    const unknown = f.status === "UNKNOWN";
    const result: Result = {
      ruleId: f.controlId,
      // UNKNOWN: a value the template does not tell; for a person to review, not a failure.
      level: unknown ? "note" : SEVERITY_LEVELS[f.severity].level,
      kind: unknown ? "review" : "fail",
      message: {
        text: `${record.resourceType} ${record.resourceName ?? record.resourceId} in account ${record.accountId}: ${f.message}`,
      },
      locations: [
        {
          ...((f.location ?? record.location)
            ? { physicalLocation: physical((f.location ?? record.location)!) }
            : {}),
          logicalLocations: [
            {
              name: record.resourceName ?? record.resourceId,
              fullyQualifiedName: name,
              kind: "resource",
            },
          ],
        },
      ],
      partialFingerprints: { "resourceControl/v1": `${name}|${f.controlId}` },
      properties: {
        accountId: record.accountId,
        region: record.region,
        resourceType: record.resourceType,
        resourceId: record.resourceId,
        severity: f.severity,
        requiredRating: formatRating(record.required),
        achieved: formatRating(record.achieved),
      },
    };
    const index = ruleIndex.get(f.controlId);
    if (index !== undefined) result.ruleIndex = index;
    if (f.status === "WAIVED" && f.waiver) {
      result.suppressions = [
        {
          kind: "external",
          status: "accepted",
          justification: `${f.waiver.reason} (approved by ${f.waiver.approver}, expires ${f.waiver.expires})`,
        },
      ];
    }
    out.push(result);
  }
  return out;
}

/** A template finding's place: the file (relative, forward slashes) at the property's line and column. */
function physical(location: SourceLocation): PhysicalLocation {
  return {
    artifactLocation: { uri: uriOf(location.file), uriBaseId: "%SRCROOT%" },
    region: { startLine: location.line, startColumn: location.column },
  };
}

/**
 * The most results one SARIF run lists: GitHub code scanning reads at most 25,000 results per run,
 * and a report of a million resources must not hold them all in memory. The rest are counted in
 * a notification and in the run's properties. A cap rather than pages: each page would have to be
 * uploaded under a category of its own (code scanning replaces a category's results at each
 * upload), and a reader triages the first 25,000 before wanting the next; the JSON report has all.
 */
export const MAX_SARIF_RESULTS = 25_000;

/** How many SARIF results a record gives (what the cap counts). */
export function sarifResultCount(record: EvaluationRecord): number {
  let n = 0;
  for (const f of record.findings)
    if (f.required && (f.status === "FAIL" || f.status === "WAIVED" || f.status === "UNKNOWN")) n++;
  return n;
}

export interface SarifLimits {
  /** Results listed at most (default MAX_SARIF_RESULTS). */
  maxResults?: number;
  /** Results the caller already left out (records it did not keep once the cap was reached). */
  omitted?: number;
}

/** SARIF for `compliance evaluate --format sarif`. */
export function renderSarif(input: ReportInput, limits: SarifLimits = {}): SarifLog {
  const rules = rulesOf(input.catalogue);
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const max = limits.maxResults ?? MAX_SARIF_RESULTS;
  const listed: Result[] = [];
  let omitted = limits.omitted ?? 0;
  for (const r of input.records) {
    for (const result of results(r, ruleIndex)) {
      if (listed.length < max) listed.push(result);
      else omitted++;
    }
  }
  const notifications: Notification[] = input.problems.map((p) => ({
    level: "error",
    message: { text: `${p.source}: ${p.message}` },
  }));
  if (omitted > 0) {
    notifications.push({
      level: "warning",
      message: {
        text: `${omitted} more failing findings are not listed: a SARIF run lists at most ${max} results (GitHub code scanning reads no more); \`--format json\` lists every finding`,
      },
    });
  }
  const run: Run = {
    tool: { driver: driver(rules) },
    invocations: [
      {
        executionSuccessful: true,
        endTimeUtc: input.generatedAt.toISOString(),
        toolExecutionNotifications: notifications,
      },
    ],
    results: listed,
    properties: {
      title: input.title,
      summary: { ...input.summary },
      accounts: [...input.accounts.values()].map((a) => ({
        accountId: a.accountId,
        rating: formatRating(a.rating),
        unclassified: a.unclassified,
        ...(a.name ? { name: a.name } : {}),
      })),
      // Also in the run's properties, for a consumer that reads no notification.
      ...(omitted > 0
        ? {
            resultsLimit: max,
            resultsOmitted: omitted,
            resultsNote:
              "results beyond the limit are counted, not listed; `--format json` lists every finding",
          }
        : {}),
    },
  };
  return { $schema: SCHEMA, version: "2.1.0", runs: [run] };
}

const VALIDATION_RULES: ReportingDescriptor[] = [
  {
    id: "policy-error",
    name: "Policy error",
    shortDescription: { text: "A policy or waiver file has an error: the catalogue cannot be deployed" },
    fullDescription: {
      text: "Structure against the policy meta-schema, strict JSON Schema compile of each check, unique control ids, resource types AWS Config records, and waivers that have not expired.",
    },
    help: {
      text: "Fix the file at the reported line; run `compliance validate` locally to see every problem.",
    },
    defaultConfiguration: { level: "error" },
    properties: { tags: ["compliance", "policy"], precision: "very-high" },
  },
  {
    id: "policy-warning",
    name: "Policy warning",
    shortDescription: {
      text: "A policy or waiver file has something to look at; it does not fail validation",
    },
    help: { text: "Review the reported line; `compliance validate` lists every warning." },
    defaultConfiguration: { level: "warning" },
    properties: { tags: ["compliance", "policy"], precision: "very-high" },
  },
];

/** A repository-relative URI with forward slashes. */
const uriOf = (file: string): string => file.replace(/\\/g, "/").replace(/^\.\//, "");

/** SARIF for `compliance validate --format sarif`: each problem at its file, line and column. */
export function renderValidationSarif(
  problems: readonly PolicyProblem[],
  catalogueFiles: readonly (string | { file: string })[] = [],
): SarifLog {
  const files = [
    ...new Set([
      ...catalogueFiles.map((f) => (typeof f === "string" ? f : f.file)),
      ...problems.map((p) => p.file),
    ]),
  ].map(uriOf);
  const artifactIndex = new Map(files.map((f, i) => [f, i]));
  const run: Run = {
    tool: { driver: driver(VALIDATION_RULES) },
    artifacts: files.map((uri) => ({ location: { uri, uriBaseId: "%SRCROOT%" }, roles: ["analysisTarget"] })),
    originalUriBaseIds: { "%SRCROOT%": { description: { text: "The repository root" } } },
    invocations: [{ executionSuccessful: true }],
    results: problems.map((p) => {
      const uri = uriOf(p.file);
      const ruleIndex = p.level === "error" ? 0 : 1;
      const index = artifactIndex.get(uri);
      return {
        ruleId: VALIDATION_RULES[ruleIndex]!.id,
        ruleIndex,
        level: p.level,
        message: { text: `${p.pointer || "/"}: ${p.message}` },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri, uriBaseId: "%SRCROOT%", ...(index === undefined ? {} : { index }) },
              region: { startLine: p.line ?? 1, startColumn: p.column ?? 1 },
            },
            logicalLocations: [{ fullyQualifiedName: p.pointer || "/", kind: "member" }],
          },
        ],
        partialFingerprints: { "policyProblem/v1": `${uri}|${p.pointer}|${p.message}` },
      } satisfies Result;
    }),
  };
  return { $schema: SCHEMA, version: "2.1.0", runs: [run] };
}
