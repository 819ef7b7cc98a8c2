// Evaluates one canonical configuration item against the compiled catalogue for one account
// rating. Pure: no AWS SDK, no environment, the clock passed in as `now`.

import { type Catalogue, type CompiledControl, namespaceOf } from "./catalogue.ts";
import { achieved as achievedLevels, formatRating, isRequired } from "./cia.ts";
import { describeError } from "./errors.ts";
import { describeErrors } from "./messages.ts";
import { isGone } from "./normalise.ts";
import type {
  CiaRating,
  Compliance,
  ConfigurationItem,
  EvaluationRecord,
  Finding,
  Severity,
} from "./types.ts";
import { findWaiver, type Waiver } from "./waivers.ts";

/** The rule parameter `{"service": "allowed-services"}`: only the built-in allow-list control runs. */
export const ALLOWED_SERVICES_RULE = "allowed-services";

export interface EvaluateOptions {
  rating: CiaRating;
  now: Date;
  waivers?: readonly Waiver[];
  /** Run only this service's controls (a Config rule's `service` parameter). */
  service?: string;
  /** The Config rule says the resource left its scope. */
  eventLeftScope?: boolean;
  /** Run controls marked `periodic` too (the scheduled sweep). Default: true. */
  includePeriodic?: boolean;
}

/** The built-in control: a resource of a service the catalogue does not allow is non-compliant. */
export const ALLOWED_SERVICE_CONTROL = {
  id: "PLATFORM.ALLOWED-SERVICE",
  title: "Resource belongs to a service the platform allows",
  severity: "critical" as Severity,
  cia: { c: 1, i: 1, a: 1 } as const,
  rationale:
    "Services outside the catalogue are neither checked nor allowed by the SCP; a resource of one is unmanaged risk to every dimension.",
  remediation: {
    console: "Delete the resource, or add its service to the catalogue through a pull request to policies/.",
    cloudformation: "Remove the resource from the stack.",
  },
  references: ["Platform allow-list"],
};

const SEVERITY_RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };
export const MAX_ANNOTATION = 256;

/** Property paths of four or more segments shortened to their last two (`…a.b`), to fit more findings. */
export function shortenPaths(message: string): string {
  return message.replace(/\b(?:[\w*/-]+(?:\[\d+\])?\.){2,}([\w*/-]+(?:\[\d+\])?\.[\w*/-]+)\b/g, "…$1");
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A control's finding on one item; a control that throws fails closed. */
function runControl(control: CompiledControl, item: ConfigurationItem, required: boolean): Finding {
  const base = {
    controlId: control.id,
    title: control.title,
    severity: control.severity,
    cia: control.cia,
    required,
  };
  try {
    if (control.applies && !control.applies(item)) {
      return { ...base, status: "SKIP", message: "does not apply to this resource's configuration" };
    }
    if (control.validate(item)) return { ...base, status: "PASS", message: control.title };
    const details = describeErrors(control.validate.errors ?? []);
    const lead = control.failMessage ? `${control.failMessage}: ` : "";
    return { ...base, status: "FAIL", message: `${lead}${details.join("; ") || control.title}` };
  } catch (error) {
    return {
      ...base,
      status: "FAIL",
      message: `control failed to evaluate (fails closed): ${describeError(error)}`,
    };
  }
}

/** Whether the resource's type is covered by the catalogue at all. */
export function isAllowedType(catalogue: Catalogue, resourceType: string): boolean {
  return (
    catalogue.allowedTypes.has(resourceType) || catalogue.allowedNamespaces.has(namespaceOf(resourceType))
  );
}

function annotate(
  compliance: Compliance,
  findings: Finding[],
  rating: CiaRating,
  achieved: EvaluationRecord["achieved"],
): string {
  const levels = `Achieved ${formatRating(achieved)} of required ${formatRating(rating)}.`;
  if (compliance === "NOT_APPLICABLE") return "";
  if (compliance === "COMPLIANT") {
    const passed = findings.filter((f) => f.required && f.status === "PASS").length;
    const waived = findings.filter((f) => f.required && f.status === "WAIVED").length;
    if (passed === 0 && waived === 0) {
      return truncate(
        `No control of this resource is required at ${formatRating(rating)}. ${levels}`,
        MAX_ANNOTATION,
      );
    }
    return truncate(
      `All ${passed} required controls pass${waived ? ` (${waived} waived)` : ""}. ${levels}`,
      MAX_ANNOTATION,
    );
  }
  const failures = findings
    .filter((f) => f.status === "FAIL" && f.required)
    .sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
  const suffix = ` ${levels}`;
  const part = (f: Finding) => `[${f.severity.toUpperCase()}] ${f.controlId}: ${shortenPaths(f.message)}`;
  const more = (n: number) => (n > 0 ? `; and ${n} more.` : ".");
  // As many failures as fit, most severe first, then how many did not.
  let text = "";
  let shown = 0;
  for (const f of failures) {
    const candidate = shown === 0 ? part(f) : `${text}; ${part(f)}`;
    if (candidate.length + more(failures.length - shown - 1).length + suffix.length > MAX_ANNOTATION) break;
    text = candidate;
    shown++;
  }
  if (shown === 0 && failures[0]) {
    // The most severe failure always shows, shortened to fit (its ellipsis ends the sentence).
    const tail = failures.length > 1 ? more(failures.length - 1) : "";
    const first = truncate(part(failures[0]), MAX_ANNOTATION - suffix.length - tail.length);
    return truncate(`${first}${tail}${suffix}`, MAX_ANNOTATION);
  }
  return truncate(`${text}${more(failures.length - shown)}${suffix}`, MAX_ANNOTATION);
}

function allowedServiceFinding(): Omit<Finding, "status" | "message"> {
  const c = ALLOWED_SERVICE_CONTROL;
  return { controlId: c.id, title: c.title, severity: c.severity, cia: c.cia, required: true };
}

function notApplicable(item: ConfigurationItem, rating: CiaRating, annotation: string): EvaluationRecord {
  return record(item, "NOT_APPLICABLE", annotation, rating, { c: 3, i: 3, a: 3 }, []);
}

function record(
  item: ConfigurationItem,
  compliance: Compliance,
  annotation: string,
  rating: CiaRating,
  achieved: EvaluationRecord["achieved"],
  findings: Finding[],
): EvaluationRecord {
  const out: EvaluationRecord = {
    resourceType: item.resourceType,
    resourceId: item.resourceId,
    accountId: item.accountId,
    region: item.awsRegion,
    compliance,
    annotation,
    required: { ...rating },
    achieved,
    findings,
    capturedAt: item.configurationItemCaptureTime,
  };
  if (item.resourceName !== undefined) out.resourceName = item.resourceName;
  if (item.arn) out.arn = item.arn;
  return out;
}

/** Evaluates one item: the record AWS Config, the notifier and every report read. */
export function evaluate(
  item: ConfigurationItem,
  catalogue: Catalogue,
  options: EvaluateOptions,
): EvaluationRecord {
  const { rating, now } = options;
  if (isGone(item)) {
    return notApplicable(item, rating, `Not applicable: the resource is ${item.configurationItemStatus}.`);
  }
  if (options.eventLeftScope) {
    return notApplicable(item, rating, "Not applicable: the resource left the rule's scope.");
  }
  // A rule that runs one service judges only that service's types; judging the resource's service
  // is the allowed-services rule's job (else every service rule would report the same EC2 instance).
  const ruleService = catalogue.policies.find((p) => p.service === options.service);
  if (ruleService && !ruleService.resourceTypes.includes(item.resourceType)) {
    return notApplicable(
      item,
      rating,
      `Not applicable: ${item.resourceType} is not a resource type of this rule's service (${ruleService.service}).`,
    );
  }
  const allowed = isAllowedType(catalogue, item.resourceType);
  if (allowed && options.service === ALLOWED_SERVICES_RULE) {
    const finding: Finding = {
      ...allowedServiceFinding(),
      status: "PASS",
      message: `${item.resourceType} belongs to a service the catalogue allows`,
    };
    return record(
      item,
      "COMPLIANT",
      `${item.resourceType} is allowed by the catalogue.`,
      rating,
      { c: 3, i: 3, a: 3 },
      [finding],
    );
  }
  if (!allowed) {
    const finding: Finding = {
      ...allowedServiceFinding(),
      status: "FAIL",
      message: `${item.resourceType} belongs to a service the platform does not allow (not in the catalogue)`,
    };
    const achieved = achievedLevels([finding]);
    return record(
      item,
      "NON_COMPLIANT",
      annotate("NON_COMPLIANT", [finding], rating, achieved),
      rating,
      achieved,
      [finding],
    );
  }
  const includePeriodic = options.includePeriodic ?? true;
  const controls = (catalogue.byResourceType.get(item.resourceType) ?? []).filter(
    (c) =>
      (options.service === undefined || c.service === options.service) &&
      (includePeriodic || c.evaluation !== "periodic"),
  );
  if (controls.length === 0) {
    return notApplicable(item, rating, `Not applicable: no control covers ${item.resourceType}.`);
  }
  if (!item.configuration) {
    // Without its configuration nothing can be checked: fail closed rather than pass.
    const findings: Finding[] = controls.map((c) => ({
      controlId: c.id,
      title: c.title,
      severity: c.severity,
      cia: c.cia,
      required: isRequired(c.cia, rating),
      status: "FAIL",
      message: "the configuration item has no configuration to check (fails closed)",
    }));
    return finishRecord(item, rating, findings);
  }
  const findings = controls.map((control) => {
    const required = isRequired(control.cia, rating);
    const finding = runControl(control, item, required);
    if (finding.status === "FAIL" && options.waivers?.length) {
      const waiver = findWaiver(options.waivers, control.id, item, now);
      if (waiver) {
        return {
          ...finding,
          status: "WAIVED" as const,
          message: `waived until ${waiver.expires} by ${waiver.approver}: ${waiver.reason} (finding: ${finding.message})`,
          waiver: { reason: waiver.reason, approver: waiver.approver, expires: waiver.expires },
        };
      }
    }
    return finding;
  });
  return finishRecord(item, rating, findings);
}

/** The record of an item from its findings: compliance, achieved levels, annotation. */
export function finishRecord(
  item: ConfigurationItem,
  rating: CiaRating,
  findings: Finding[],
): EvaluationRecord {
  if (findings.every((f) => f.status === "SKIP")) {
    return record(
      item,
      "NOT_APPLICABLE",
      "Not applicable: no control applies to this configuration.",
      rating,
      { c: 3, i: 3, a: 3 },
      findings,
    );
  }
  const achieved = achievedLevels(findings);
  const compliance: Compliance = findings.some((f) => f.status === "FAIL" && f.required)
    ? "NON_COMPLIANT"
    : "COMPLIANT";
  return record(
    item,
    compliance,
    annotate(compliance, findings, rating, achieved),
    rating,
    achieved,
    findings,
  );
}
