// Evaluates one canonical configuration item against the compiled catalogue for one account
// rating. Pure: no AWS SDK, no environment, the clock passed in as `now`.

import type { ErrorObject } from "ajv";
import {
  type AnnotationFailure,
  buildAnnotation,
  type FailureText,
  fullText,
  plainText,
} from "./annotation.ts";
import { type Catalogue, type CompiledControl, namespaceOf } from "./catalogue.ts";
import { achieved as achievedLevels, isRequired } from "./cia.ts";
import { describeError } from "./errors.ts";
import { describeErrors, propertyPath } from "./messages.ts";
import { isGone } from "./normalise.ts";
import { outsideScope, type RuleScope } from "./scope.ts";
import type {
  CiaRating,
  Compliance,
  ConfigurationItem,
  EvaluationRecord,
  Finding,
  Severity,
} from "./types.ts";
import { findWaiver, type Waiver } from "./waivers.ts";

export interface EvaluateOptions {
  rating: CiaRating;
  now: Date;
  waivers?: readonly Waiver[];
  /** Which controls run (default: every control for the item's type). */
  scope?: RuleScope;
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

/** A finding and, for a failure, its text with property paths apart (what the annotation shortens). */
interface Judged {
  finding: Finding;
  text?: FailureText;
}

/**
 * The failure's sentences with the property path each starts with (every sentence of
 * `describeErrors` begins with the path of the error it describes; a `required` error names the
 * missing property after it).
 */
function failureText(
  lead: string | undefined,
  errors: readonly ErrorObject[],
  fallback: string,
): FailureText {
  const sentences = describeErrors(errors);
  if (sentences.length === 0)
    return { ...(lead === undefined ? {} : { lead }), sentences: [{ rest: fallback }] };
  const paths = errors.flatMap((e) => {
    const path = propertyPath(e.instancePath);
    if (e.keyword !== "required") return [path];
    const missing = String((e.params as { missingProperty?: unknown }).missingProperty);
    return [e.instancePath === "" ? missing : `${path}.${missing}`, path];
  });
  const split = sentences.map((sentence) => {
    const path = paths
      .filter((p) => sentence.startsWith(`${p} `) || sentence.startsWith(`${p}:`))
      .reduce<string | undefined>(
        (longest, p) => (longest && longest.length >= p.length ? longest : p),
        undefined,
      );
    return path === undefined ? { rest: sentence } : { path, rest: sentence.slice(path.length) };
  });
  return { ...(lead === undefined ? {} : { lead }), sentences: split };
}

/** A control's finding on one item; a control that throws fails closed. */
function runControl(control: CompiledControl, item: ConfigurationItem, required: boolean): Judged {
  const base = {
    controlId: control.id,
    title: control.title,
    severity: control.severity,
    cia: control.cia,
    required,
  };
  try {
    if (control.applies && !control.applies(item)) {
      return {
        finding: { ...base, status: "SKIP", message: "does not apply to this resource's configuration" },
      };
    }
    if (control.validate(item)) return { finding: { ...base, status: "PASS", message: control.title } };
    const text = failureText(control.failMessage || undefined, control.validate.errors ?? [], control.title);
    return { finding: { ...base, status: "FAIL", message: fullText(text) }, text };
  } catch (error) {
    const text = plainText(`control failed to evaluate (fails closed): ${describeError(error)}`);
    return { finding: { ...base, status: "FAIL", message: fullText(text) }, text };
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
  judged: readonly Judged[],
  rating: CiaRating,
  achieved: EvaluationRecord["achieved"],
): string {
  if (compliance === "NOT_APPLICABLE") return "";
  const findings = judged.map((j) => j.finding);
  if (compliance === "COMPLIANT") {
    const passed = findings.filter((f) => f.required && f.status === "PASS").length;
    const waived = findings.filter((f) => f.required && f.status === "WAIVED").length;
    return buildAnnotation({ kind: "passing", passed, waived, achieved, required: rating });
  }
  const failures: AnnotationFailure[] = judged
    .filter((j) => j.finding.status === "FAIL" && j.finding.required)
    .map(({ finding, text }) => ({
      severity: finding.severity,
      controlId: finding.controlId,
      text: text ?? plainText(finding.message),
    }));
  return buildAnnotation({ kind: "failing", failures, achieved, required: rating });
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
  const scope = options.scope ?? { kind: "all" };
  const outside = outsideScope(catalogue, scope, item.resourceType);
  if (outside !== undefined) {
    return notApplicable(
      item,
      rating,
      `Not applicable: ${item.resourceType} is not a resource type of this rule's service (${outside}).`,
    );
  }
  const allowed = isAllowedType(catalogue, item.resourceType);
  if (allowed && scope.kind === "allowed-services") {
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
      annotate("NON_COMPLIANT", [{ finding }], rating, achieved),
      rating,
      achieved,
      [finding],
    );
  }
  const includePeriodic = options.includePeriodic ?? true;
  const controls = (catalogue.byResourceType.get(item.resourceType) ?? []).filter(
    (c) =>
      (scope.kind !== "service" || c.service === scope.service) &&
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
    return finish(
      item,
      rating,
      findings.map((finding) => ({ finding })),
    );
  }
  const judged = controls.map((control): Judged => {
    const required = isRequired(control.cia, rating);
    const result = runControl(control, item, required);
    const { finding } = result;
    if (finding.status === "FAIL" && options.waivers?.length) {
      const waiver = findWaiver(options.waivers, control.id, item, now);
      if (waiver) {
        return {
          finding: {
            ...finding,
            status: "WAIVED" as const,
            message: `waived until ${waiver.expires} by ${waiver.approver}: ${waiver.reason} (finding: ${finding.message})`,
            waiver: { reason: waiver.reason, approver: waiver.approver, expires: waiver.expires },
          },
        };
      }
    }
    return result;
  });
  return finish(item, rating, judged);
}

function finish(item: ConfigurationItem, rating: CiaRating, judged: Judged[]): EvaluationRecord {
  const findings = judged.map((j) => j.finding);
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
  return record(item, compliance, annotate(compliance, judged, rating, achieved), rating, achieved, findings);
}
