// Evaluates one canonical configuration item against the compiled catalogue for one account
// rating. Pure: no AWS SDK, no environment, the clock passed in as `now`.

import type { ErrorObject } from "ajv";
import type { CheckContext } from "../rules/min-days-left.ts";
import {
  type AnnotationFailure,
  buildAnnotation,
  type FailureText,
  fullText,
  plainText,
} from "./annotation.ts";
import { ALLOWED_SERVICE_ID, type Catalogue, type CompiledControl, namespaceOf } from "./catalogue-model.ts";
import { achieved as achievedLevels, isRequired } from "./cia.ts";
import { describeError } from "./errors.ts";
import { makeFinding, waivedFinding } from "./finding.ts";
import { describeErrorParts, propertyPath } from "./messages.ts";
import { isGone } from "./normalise.ts";
import { platformEntryFor } from "./platform-resources.ts";
import { platformRecord } from "./platform-verdict.ts";
import { ALL_CONTROLS, outsideScope, type RuleScope } from "./scope.ts";
import type {
  CiaRating,
  Compliance,
  ConfigurationItem,
  EvaluationRecord,
  Finding,
  Severity,
} from "./types.ts";
import { findWaiver, type Waiver } from "./waiver-match.ts";

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
  id: ALLOWED_SERVICE_ID,
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
  text?: FailureText | undefined;
}

/** Whether a JSON pointer's rendered path can hold a space or a colon ("" renders as "the item"). */
const mayHoldSpaceOrColon = (pointer: string) =>
  pointer === "" || pointer.includes(" ") || pointer.includes(":");

/**
 * The failure's sentences, each split at the longest error path it starts with (followed by a
 * space or a colon): the shortener works on paths. Every sentence is built from one error's path
 * and a rest that starts with a space or a colon, so that path is where it splits, unless another
 * error's path is longer and also starts the sentence; such a path continues the shorter one with
 * a space or a colon, so only paths holding one are looked at (few: most paths have neither).
 */
export function failureText(
  lead: string | undefined,
  errors: readonly ErrorObject[],
  fallback: string,
): FailureText {
  const parts = describeErrorParts(errors);
  if (parts.length === 0) return { lead, sentences: [{ path: undefined, rest: fallback }] };
  const odd: string[] = [];
  for (const e of errors) {
    if (e.keyword === "required") {
      const missing = String((e.params as { missingProperty?: unknown }).missingProperty);
      if (mayHoldSpaceOrColon(e.instancePath) || mayHoldSpaceOrColon(missing)) {
        odd.push(e.instancePath === "" ? missing : `${propertyPath(e.instancePath)}.${missing}`);
      }
    }
    if (mayHoldSpaceOrColon(e.instancePath)) odd.push(propertyPath(e.instancePath));
  }
  if (odd.length === 0) return { lead, sentences: parts };
  const split: { path: string | undefined; rest: string }[] = [];
  for (const part of parts) {
    const sentence = part.path + part.rest;
    let longest = part.path;
    for (const p of odd) {
      if (p.length <= longest.length) continue;
      const next = sentence.charCodeAt(p.length);
      if ((next === 32 || next === 58) && sentence.startsWith(p)) longest = p;
    }
    split.push(longest === part.path ? part : { path: longest, rest: sentence.slice(longest.length) });
  }
  return { lead, sentences: split };
}

const NO_CONTROLS: readonly CompiledControl[] = [];

const SKIPPED = "does not apply to this resource's configuration";

/** A control's finding on one item; a control that throws fails closed. */
function runControl(
  control: CompiledControl,
  item: ConfigurationItem,
  required: boolean,
  context: CheckContext,
): Judged {
  try {
    if (control.applies && !control.applies(item)) {
      return { finding: makeFinding(control, required, "SKIP", SKIPPED), text: undefined };
    }
    // The context carries the evaluation time for keywords that judge a date against it.
    if (control.validate.call(context, item))
      return { finding: makeFinding(control, required, "PASS", control.title), text: undefined };
    const text = failureText(control.failMessage || undefined, control.validate.errors ?? [], control.title);
    return { finding: makeFinding(control, required, "FAIL", fullText(text)), text };
  } catch (error) {
    const text = plainText(`control failed to evaluate (fails closed): ${describeError(error)}`);
    return { finding: makeFinding(control, required, "FAIL", fullText(text)), text };
  }
}

/** Stand-ins for an undecodable document: a control whose outcome changes with them reads it. */
const PROBE_DOCUMENTS = [
  { Version: "2012-10-17", Statement: [] },
  {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { AWS: ["*"] }, Action: ["*"], Resource: ["*"] }],
  },
];

/** Runs `fn` with the value at `at` (a path into the item) replaced, then puts it back. */
function withValueAt<T>(
  item: ConfigurationItem,
  at: readonly (string | number)[],
  value: unknown,
  fn: () => T,
): T {
  let container = item as unknown as Record<string | number, unknown>;
  for (const part of at.slice(0, -1)) container = container[part] as Record<string | number, unknown>;
  const last = at[at.length - 1]!;
  const original = container[last];
  container[last] = value;
  try {
    return fn();
  } finally {
    container[last] = original;
  }
}

/**
 * Whether a control reads an undecodable policy document: its outcome differs when a readable
 * document stands in its place. Such a control fails closed (else a document the decoder cannot
 * read would SKIP or PASS every check of it).
 */
function readsDocument(
  control: CompiledControl,
  item: ConfigurationItem,
  at: readonly (string | number)[],
): boolean {
  const outcome = () => {
    try {
      if (control.applies && !control.applies(item)) return "SKIP";
      return control.validate(item) ? "PASS" : "FAIL";
    } catch {
      return "FAIL";
    }
  };
  const asRecorded = outcome();
  return PROBE_DOCUMENTS.some((probe) => withValueAt(item, at, probe, outcome) !== asRecorded);
}

function undecodableFinding(
  control: CompiledControl,
  item: ConfigurationItem,
  required: boolean,
): Judged | undefined {
  for (const u of item.undecodablePolicies ?? []) {
    if (!readsDocument(control, item, u.at)) continue;
    const text = plainText(`the policy document at ${u.path} cannot be decoded (fails closed): ${u.reason}`);
    return { finding: makeFinding(control, required, "FAIL", fullText(text)), text };
  }
  return undefined;
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
  if (compliance === "COMPLIANT") {
    let passed = 0;
    let waived = 0;
    for (const { finding: f } of judged) {
      if (f.required && f.status === "PASS") passed++;
      else if (f.required && f.status === "WAIVED") waived++;
    }
    return buildAnnotation({ kind: "passing", passed, waived, achieved, required: rating });
  }
  // Only the failing controls' texts are built into the annotation.
  const failures: AnnotationFailure[] = [];
  for (const { finding, text } of judged) {
    if (finding.status !== "FAIL" || !finding.required) continue;
    failures.push({
      severity: finding.severity,
      controlId: finding.controlId,
      text: text ?? plainText(finding.message),
    });
  }
  return buildAnnotation({ kind: "failing", failures, achieved, required: rating });
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
  const scope = options.scope ?? ALL_CONTROLS;
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
    const finding = makeFinding(
      ALLOWED_SERVICE_CONTROL,
      true,
      "PASS",
      `${item.resourceType} belongs to a service the catalogue allows`,
    );
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
    const platform = platformEntryFor(catalogue.platform, item);
    if (platform) return platformRecord(item, platform, options);
    const finding = makeFinding(
      ALLOWED_SERVICE_CONTROL,
      true,
      "FAIL",
      `${item.resourceType} belongs to a service the platform does not allow (not in the catalogue)`,
    );
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
  const ofType = catalogue.byResourceType.get(item.resourceType) ?? NO_CONTROLS;
  // Every control of the type runs unless a service scope or the change-triggered run narrows them.
  let controls: readonly CompiledControl[] = ofType;
  if (scope.kind === "service" || !includePeriodic) {
    const narrowed: CompiledControl[] = [];
    for (const c of ofType) {
      if (scope.kind === "service" && c.service !== scope.service) continue;
      if (!includePeriodic && c.evaluation === "periodic") continue;
      narrowed.push(c);
    }
    controls = narrowed;
  }
  if (controls.length === 0) {
    return notApplicable(item, rating, `Not applicable: no control covers ${item.resourceType}.`);
  }
  if (!item.configuration) {
    // Without its configuration nothing can be checked: fail closed rather than pass.
    const findings: Finding[] = controls.map((c) =>
      makeFinding(
        c,
        isRequired(c.cia, rating),
        "FAIL",
        "the configuration item has no configuration to check (fails closed)",
      ),
    );
    return finish(
      item,
      rating,
      findings.map((finding) => ({ finding, text: undefined })),
    );
  }
  const judged: Judged[] = [];
  const context: CheckContext = { evaluatedAt: now };
  for (const control of controls) {
    const required = isRequired(control.cia, rating);
    const result =
      (item.undecodablePolicies && undecodableFinding(control, item, required)) ??
      runControl(control, item, required, context);
    const { finding } = result;
    if (finding.status === "FAIL" && options.waivers?.length) {
      const waiver = findWaiver(options.waivers, control.id, item, now);
      if (waiver) {
        judged.push({ finding: waivedFinding(control, required, waiver, finding.message), text: undefined });
        continue;
      }
    }
    judged.push(result);
  }
  return finish(item, rating, judged);
}

/** The record of an item from its findings: compliance, achieved levels, annotation (the template path's UNKNOWN findings). */
export function finishRecord(
  item: ConfigurationItem,
  rating: CiaRating,
  findings: Finding[],
): EvaluationRecord {
  return finish(
    item,
    rating,
    findings.map((finding) => ({ finding, text: undefined })),
  );
}

function finish(item: ConfigurationItem, rating: CiaRating, judged: Judged[]): EvaluationRecord {
  const findings: Finding[] = [];
  let allSkipped = true;
  let failing = false;
  for (const { finding } of judged) {
    findings.push(finding);
    if (finding.status !== "SKIP") allSkipped = false;
    if (finding.status === "FAIL" && finding.required) failing = true;
  }
  if (allSkipped) {
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
  const compliance: Compliance = failing ? "NON_COMPLIANT" : "COMPLIANT";
  return record(item, compliance, annotate(compliance, judged, rating, achieved), rating, achieved, findings);
}
