// Reads a "Config Rules Compliance Change" event (EventBridge envelope, or the bare `detail` as
// Config's SNS notifications carry it) into a ComplianceResult. Bad input throws EventError
// naming the field. Lenient where a real event may differ from the documented shape: any
// non-empty account id is accepted (AWS's own sample event carries an 11-digit one; a message
// with an odd account id beats a lost one), and `oldEvaluationResult` is read when it is there
// and ignored when it is not (the first evaluation) or unreadable.

import { COMPLIANCE_CHANGE } from "../../engine/config-events.ts";
import { EventError } from "./errors.ts";
import type { ComplianceResult, PreviousResult, ResultCompliance } from "./types.ts";

const COMPLIANCE: readonly string[] = ["COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE"];

/** An AWS account id as AWS writes them; anything else is accepted but worth a warning. */
export const ACCOUNT_ID = /^\d{12}$/;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

function text(obj: Json, key: string, path: string): string {
  const value = obj[key];
  if (typeof value !== "string" || value.trim() === "") {
    throw new EventError(`${path}.${key}: expected a non-empty string, got ${describe(value)}`);
  }
  return value;
}

function optionalText(obj: Json, key: string): string | undefined {
  const value = obj[key];
  return typeof value === "string" && value !== "" ? value : undefined;
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 40 ? `${json.slice(0, 37)}...` : json;
}

function isoTime(obj: Json, key: string, path: string): string {
  const raw = text(obj, key, path);
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) throw new EventError(`${path}.${key}: not a timestamp: ${describe(raw)}`);
  return new Date(ms).toISOString();
}

/** True when the value looks like a compliance change (envelope or bare detail). */
export function isComplianceChange(value: unknown): boolean {
  if (!isObject(value)) return false;
  if (value["detail-type"] === COMPLIANCE_CHANGE) return true;
  return value.messageType === "ComplianceChangeNotification";
}

/**
 * The result in a compliance change event. Returns undefined for INSUFFICIENT_DATA (nothing to
 * record); throws EventError for anything unreadable.
 */
export function parseComplianceChange(event: unknown): ComplianceResult | undefined {
  if (!isObject(event)) throw new EventError(`event: expected a JSON object, got ${describe(event)}`);
  let detail: Json = event;
  let path = "event";
  if ("detail-type" in event) {
    if (event["detail-type"] !== COMPLIANCE_CHANGE) {
      throw new EventError(
        `event.detail-type: expected "${COMPLIANCE_CHANGE}", got ${describe(event["detail-type"])}`,
      );
    }
    if (!isObject(event.detail))
      throw new EventError(`event.detail: expected an object, got ${describe(event.detail)}`);
    detail = event.detail;
    path = "detail";
  }
  const result = detail.newEvaluationResult;
  if (!isObject(result)) {
    throw new EventError(`${path}.newEvaluationResult: expected an object, got ${describe(result)}`);
  }
  const resultPath = `${path}.newEvaluationResult`;
  const compliance = text(result, "complianceType", resultPath);
  if (compliance === "INSUFFICIENT_DATA") return undefined;
  if (!COMPLIANCE.includes(compliance)) {
    throw new EventError(`${resultPath}.complianceType: unknown value ${describe(compliance)}`);
  }
  const identifier = isObject(result.evaluationResultIdentifier) ? result.evaluationResultIdentifier : {};
  const qualifier = isObject(identifier.evaluationResultQualifier)
    ? identifier.evaluationResultQualifier
    : {};
  const idPath = `${resultPath}.evaluationResultIdentifier`;
  // detail.awsAccountId names the evaluated account; the envelope's `account` (the account that
  // emitted the event, kept when member accounts forward to a central bus) is the fallback.
  // A number (a producer that lost the quotes) is read as its digits.
  const rawAccount = typeof detail.awsAccountId === "number" ? String(detail.awsAccountId) : undefined;
  const accountId =
    optionalText(detail, "awsAccountId")?.trim() || rawAccount || optionalText(event, "account")?.trim();
  if (!accountId) {
    throw new EventError(
      `${path}.awsAccountId: expected a non-empty string, got ${describe(detail.awsAccountId)}`,
    );
  }
  // The qualifier names the evaluated resource; detail.resourceType/resourceId repeat it (and
  // are the fallback when a producer leaves the qualifier out).
  const resourceType = optionalText(qualifier, "resourceType") ?? text(detail, "resourceType", path);
  const resourceId = optionalText(qualifier, "resourceId") ?? text(detail, "resourceId", path);
  const ruleName = optionalText(qualifier, "configRuleName") ?? text(detail, "configRuleName", path);
  const region = optionalText(detail, "awsRegion") ?? optionalText(event, "region");
  if (!region) throw new EventError(`${path}.awsRegion: expected a non-empty string, got nothing`);
  const recorded = optionalText(result, "resultRecordedTime")
    ? isoTime(result, "resultRecordedTime", resultPath)
    : undefined;
  // Present, it must be a timestamp; absent (a producer that leaves it out), the recording time stands in.
  const orderingTimestamp =
    identifier.orderingTimestamp !== undefined || recorded === undefined
      ? isoTime(identifier, "orderingTimestamp", idPath)
      : recorded;
  const out: ComplianceResult = {
    accountId,
    region,
    ruleName,
    resourceType,
    resourceId,
    compliance: compliance as ResultCompliance,
    orderingTimestamp,
    resultRecordedTime: recorded ?? orderingTimestamp,
  };
  const ruleArn = optionalText(detail, "configRuleARN") ?? optionalText(detail, "configRuleArn");
  if (ruleArn) out.ruleArn = ruleArn;
  const annotation = optionalText(result, "annotation");
  if (annotation) out.annotation = annotation;
  const previous = previousResult(detail.oldEvaluationResult);
  if (previous) out.previous = previous;
  return out;
}

/** `oldEvaluationResult`, when it says something usable; never throws (it is context only). */
function previousResult(value: unknown): PreviousResult | undefined {
  if (!isObject(value)) return undefined;
  const compliance = optionalText(value, "complianceType");
  if (!compliance) return undefined;
  const previous: PreviousResult = { compliance };
  const annotation = optionalText(value, "annotation");
  if (annotation) previous.annotation = annotation;
  const identifier = isObject(value.evaluationResultIdentifier) ? value.evaluationResultIdentifier : {};
  const ordering = optionalText(identifier, "orderingTimestamp");
  if (ordering && !Number.isNaN(Date.parse(ordering))) {
    previous.orderingTimestamp = new Date(Date.parse(ordering)).toISOString();
  }
  return previous;
}

/** The ledger key of a result: one item per (account, region, rule, resource). */
export function ledgerKey(
  r: Pick<ComplianceResult, "accountId" | "region" | "ruleName" | "resourceType" | "resourceId">,
): string {
  return [r.accountId, r.region, r.ruleName, r.resourceType, r.resourceId].join("#");
}

/** Orders results: a later ordering timestamp wins; equal ones are ordered by recording time. */
export function resultSeq(r: Pick<ComplianceResult, "orderingTimestamp" | "resultRecordedTime">): string {
  return `${r.orderingTimestamp}|${r.resultRecordedTime}`;
}
