// Turns each message type into the evaluations to write: the engine does the judging (normalise,
// evaluate); this module only fetches what the message does not carry and picks the
// OrderingTimestamp AWS Config expects (the item's capture time for changes, the notification's
// creation time for the scheduled sweep).

import type { Evaluation } from "@aws-sdk/client-config-service";
import type { Catalogue } from "../../engine/catalogue.ts";
import { InputError } from "../../engine/errors.ts";
import { evaluate } from "../../engine/evaluate.ts";
import { isGone, normalise, toIsoTime } from "../../engine/normalise.ts";
import { outsideScope, ruleScope } from "../../engine/scope.ts";
import type { ConfigurationItem, EvaluationRecord } from "../../engine/types.ts";
import type { Waiver } from "../../engine/waivers.ts";
import { MalformedEventError } from "./errors.ts";
import type { RuleEvent, RuleMessage } from "./event.ts";
import { fetchItemAt } from "./history.ts";
import type { RuleParameters } from "./parameters.ts";
import { configAnnotation, MAX_RESOURCE_ID, toEvaluation } from "./put-evaluations.ts";
import { collectSweep, type SweepClients, sweepScope } from "./sweep.ts";

type Attributes = Record<string, unknown>;

/** What the handler logs with (a Powertools Logger, or a fake in unit tests). */
export interface RuleLog {
  debug(message: string, ...attributes: Attributes[]): void;
  info(message: string, ...attributes: Attributes[]): void;
  warn(message: string, ...attributes: Attributes[]): void;
  error(message: string, ...attributes: Attributes[]): void;
}

export interface RuleContext {
  clients: SweepClients;
  catalogue: Catalogue;
  waivers: readonly Waiver[];
  parameters: RuleParameters;
  event: RuleEvent;
  now: Date;
  /** The account and region the rule runs in (for items built from non-Config APIs). */
  accountId: string;
  region: string;
  log: RuleLog;
  sleep?: (ms: number) => Promise<void>;
}

export interface RuleEvaluations {
  evaluations: Evaluation[];
  /** Items the engine evaluated. */
  itemsEvaluated: number;
  /** Resources evaluated earlier that no longer exist (scheduled sweep). */
  vanished: number;
  /** Items that could not be evaluated or written (logged one by one). */
  itemErrors: number;
  /** Resource types whose resources could not be read (sweep; logged, not taken for vanished). */
  readErrors: number;
}

/**
 * True when the rule runs one catalogue service and the type is not one of that service's types
 * (the engine then says NOT_APPLICABLE): an oversized notification for one fetches nothing.
 */
function outsideService(ctx: RuleContext, resourceType: string): boolean {
  return outsideScope(ctx.catalogue, ruleScope(ctx.parameters.service), resourceType) !== undefined;
}

/** The engine's record; an item outside a service rule's types is NOT_APPLICABLE there. */
function judge(ctx: RuleContext, item: ConfigurationItem): EvaluationRecord {
  return evaluate(item, ctx.catalogue, {
    rating: ctx.parameters.rating,
    now: ctx.now,
    waivers: ctx.waivers,
    eventLeftScope: ctx.event.eventLeftScope,
    scope: ruleScope(ctx.parameters.service),
  });
}

function normaliseEventItem(raw: Record<string, unknown>, field: string): ConfigurationItem {
  try {
    return normalise(raw);
  } catch (error) {
    if (error instanceof InputError) throw new MalformedEventError(`${field}: ${error.message}`);
    throw error;
  }
}

/** The item's capture time when it has one, else the notification's, else now. */
function orderingTime(
  raw: Record<string, unknown>,
  message: { notificationCreationTime?: string },
  now: Date,
): Date {
  const iso = toIsoTime(raw.configurationItemCaptureTime) ?? toIsoTime(message.notificationCreationTime);
  return iso ? new Date(iso) : now;
}

function notApplicable(resourceType: string, resourceId: string, why: string, at: Date): Evaluation {
  return {
    ComplianceResourceType: resourceType,
    ComplianceResourceId: resourceId,
    ComplianceType: "NOT_APPLICABLE",
    Annotation: configAnnotation(`Not applicable: ${why}.`, "NOT_APPLICABLE"),
    OrderingTimestamp: at,
  };
}

function logRecord(ctx: RuleContext, record: EvaluationRecord, level: "info" | "debug" = "info"): void {
  ctx.log[level]("evaluated", {
    rule: ctx.event.configRuleName,
    resourceType: record.resourceType,
    resourceId: record.resourceId,
    compliance: record.compliance,
    annotation: record.annotation,
  });
}

/** Keeps the evaluations Config can take; logs the others (a resource id over 768 characters). */
function writable(ctx: RuleContext, evaluation: Evaluation): boolean {
  if ((evaluation.ComplianceResourceId ?? "").length <= MAX_RESOURCE_ID) return true;
  ctx.log.error("resource id longer than PutEvaluations accepts: not written", {
    rule: ctx.event.configRuleName,
    resourceType: evaluation.ComplianceResourceType,
    resourceId: evaluation.ComplianceResourceId,
  });
  return false;
}

function single(ctx: RuleContext, evaluation: Evaluation, evaluated: number): RuleEvaluations {
  const ok = writable(ctx, evaluation);
  return {
    evaluations: ok ? [evaluation] : [],
    itemsEvaluated: evaluated,
    vanished: 0,
    itemErrors: ok ? 0 : 1,
    readErrors: 0,
  };
}

/** ConfigurationItemChangeNotification: the item is in the event. */
export function changeEvaluations(
  ctx: RuleContext,
  message: Extract<RuleMessage, { kind: "change" }>,
): RuleEvaluations {
  const item = normaliseEventItem(message.configurationItem, "configurationItem");
  const record = judge(ctx, item);
  logRecord(ctx, record);
  return single(ctx, toEvaluation(record, orderingTime(message.configurationItem, message, ctx.now)), 1);
}

/** OversizedConfigurationItemChangeNotification: fetch the item the summary stands for. */
export async function oversizedEvaluations(
  ctx: RuleContext,
  message: Extract<RuleMessage, { kind: "oversized" }>,
): Promise<RuleEvaluations> {
  const raw = message.configurationItemSummary;
  const summary = normaliseEventItem(raw, "configurationItemSummary");
  const at = orderingTime(raw, message, ctx.now);
  if (isGone(summary) || ctx.event.eventLeftScope || outsideService(ctx, summary.resourceType)) {
    // Nothing to fetch: these are NOT_APPLICABLE from the summary alone.
    const record = judge(ctx, summary);
    logRecord(ctx, record);
    return single(ctx, toEvaluation(record, at), 1);
  }
  const fetched = await fetchItemAt(ctx.clients.config, summary.resourceType, summary.resourceId, at);
  if (!fetched.found) {
    ctx.log.warn("oversized item not found", {
      rule: ctx.event.configRuleName,
      resourceType: summary.resourceType,
      resourceId: summary.resourceId,
      reason: fetched.reason,
    });
    return single(ctx, notApplicable(summary.resourceType, summary.resourceId, fetched.reason, at), 0);
  }
  const item = normalise(fetched.item);
  const record = judge(ctx, item);
  logRecord(ctx, record);
  return single(ctx, toEvaluation(record, at), 1);
}

/** ScheduledNotification: sweep every resource of the rule's scope, and the vanished ones. */
export async function scheduledEvaluations(
  ctx: RuleContext,
  message: Extract<RuleMessage, { kind: "scheduled" }>,
): Promise<RuleEvaluations> {
  const rule = ctx.event.configRuleName;
  const at = new Date(message.notificationCreationTime);
  const scope = sweepScope(ctx.catalogue, ctx.parameters.service);
  if (scope.unsupported.length > 0) {
    ctx.log.warn("resource types not recorded by AWS Config and without a reader are not swept", {
      rule,
      resourceTypes: scope.unsupported,
    });
  }
  const data = await collectSweep(
    ctx.clients,
    scope,
    rule,
    { accountId: ctx.accountId, awsRegion: ctx.region, now: ctx.now },
    ctx.sleep ? { sleep: ctx.sleep } : {},
  );
  for (const failure of data.unreadable) {
    ctx.log.error("resources could not be read: not evaluated in this sweep, none taken for vanished", {
      rule,
      resourceType: failure.resourceType,
      error: failure.error,
    });
  }
  const out: RuleEvaluations = {
    evaluations: [],
    itemsEvaluated: 0,
    vanished: 0,
    itemErrors: 0,
    readErrors: data.unreadable.length,
  };
  for (const raw of data.items) {
    try {
      const record = judge(ctx, normalise(raw));
      logRecord(ctx, record, "debug");
      out.itemsEvaluated++;
      const evaluation = toEvaluation(record, at);
      if (writable(ctx, evaluation)) out.evaluations.push(evaluation);
      else out.itemErrors++;
    } catch (error) {
      // One bad item never stops the others.
      out.itemErrors++;
      ctx.log.error("item could not be evaluated", {
        rule,
        resourceType: raw.resourceType,
        resourceId: raw.resourceId,
        error: (error as Error).message,
      });
    }
  }
  for (const gone of data.vanished) {
    const evaluation = notApplicable(gone.resourceType, gone.resourceId, "the resource no longer exists", at);
    ctx.log.info("vanished resource", { rule, resourceType: gone.resourceType, resourceId: gone.resourceId });
    if (writable(ctx, evaluation)) {
      out.evaluations.push(evaluation);
      out.vanished++;
    } else out.itemErrors++;
  }
  ctx.log.info("sweep collected", {
    rule,
    resourceTypes: data.typesListed,
    items: data.items.length,
    vanished: out.vanished,
    itemErrors: out.itemErrors,
  });
  return out;
}
