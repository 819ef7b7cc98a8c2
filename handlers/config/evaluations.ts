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
import {
  ACCOUNT_TYPE,
  acceptedByPutEvaluations,
  accountSummary,
  combineAccountEvaluations,
} from "./account-summary.ts";
import { MalformedEventError } from "./errors.ts";
import { type EvaluatedResource, evaluatedResources } from "./evaluated.ts";
import type { RuleEvent, RuleMessage } from "./event.ts";
import { fetchItemAt } from "./history.ts";
import type { RuleParameters } from "./parameters.ts";
import { configAnnotation, MAX_RESOURCE_ID, toEvaluation } from "./put-evaluations.ts";
import { resourceKeyOf, type SweepClients, sweepResources, sweepScope } from "./sweep.ts";

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
  /** Writes evaluations as they are ready (the scheduled sweep writes page by page). */
  write?: (evaluations: Evaluation[]) => Promise<void>;
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
  /** Evaluations not written because Config already holds them unchanged (sweep). */
  unchanged?: number;
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

/** An evaluation is unchanged when Config already holds the same compliance and annotation. */
function unchanged(previous: ReadonlyMap<string, EvaluatedResource>, evaluation: Evaluation): boolean {
  const held = previous.get(
    resourceKeyOf(evaluation.ComplianceResourceType, evaluation.ComplianceResourceId),
  );
  return (
    held !== undefined &&
    held.complianceType === evaluation.ComplianceType &&
    (held.annotation ?? "") === (evaluation.Annotation ?? "")
  );
}

/**
 * ScheduledNotification: sweep every resource of the rule's scope, page by page (each page judged
 * and written before the next is read), then the vanished ones. Evaluations Config already holds
 * unchanged are not written again. Resources of types PutEvaluations refuses (types AWS Config
 * does not record, such as log groups) are reported in one evaluation of the account
 * (`AWS::::Account`), whose annotation names the failing resources.
 */
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
  const write = ctx.write;
  if (!write) throw new Error("the scheduled sweep needs a writer");
  // Read what the rule has recorded first: a resource created after this read is not in it, so it
  // cannot be mistaken for one that vanished.
  const previousList = await evaluatedResources(ctx.clients.config, rule);
  const previous = new Map(previousList.map((r) => [resourceKeyOf(r.resourceType, r.resourceId), r]));
  const out: RuleEvaluations = {
    evaluations: [],
    itemsEvaluated: 0,
    vanished: 0,
    itemErrors: 0,
    readErrors: 0,
    unchanged: 0,
  };
  const accountLevel = accountSummary();
  // The account item's own evaluation waits for the summary of refused types: one result per resource.
  let accountOwn: Evaluation | undefined;
  const keep = (evaluation: Evaluation, batch: Evaluation[]) => {
    if (!writable(ctx, evaluation)) out.itemErrors++;
    else if (unchanged(previous, evaluation)) out.unchanged = (out.unchanged ?? 0) + 1;
    else batch.push(evaluation);
  };
  const onItems = async (items: Record<string, unknown>[]) => {
    const batch: Evaluation[] = [];
    for (const raw of items) {
      const failed = (raw.supplementaryConfiguration as { FailedCalls?: unknown[] } | undefined)?.FailedCalls;
      if (Array.isArray(failed) && failed.length > 0) {
        ctx.log.error("account-level calls failed: the controls that read their parts fail closed", {
          rule,
          resourceType: raw.resourceType,
          resourceId: raw.resourceId,
          failedCalls: failed,
        });
      }
      try {
        const record = judge(ctx, normalise(raw));
        logRecord(ctx, record, "debug");
        out.itemsEvaluated++;
        if (record.resourceType === ACCOUNT_TYPE) accountOwn = toEvaluation(record, at);
        else if (acceptedByPutEvaluations(record.resourceType)) keep(toEvaluation(record, at), batch);
        else accountLevel.add(record);
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
    await write(batch);
  };
  const data = await sweepResources(
    ctx.clients,
    scope,
    previousList,
    { accountId: ctx.accountId, awsRegion: ctx.region, now: ctx.now },
    onItems,
    ctx.sleep ? { sleep: ctx.sleep } : {},
  );
  out.readErrors = data.unreadable.length;
  for (const failure of data.unreadable) {
    ctx.log.error("resources could not be read: not evaluated in this sweep, none taken for vanished", {
      rule,
      resourceType: failure.resourceType,
      error: failure.error,
    });
  }
  const tail: Evaluation[] = [];
  const account = combineAccountEvaluations(accountOwn, accountLevel.evaluation(ctx.accountId, at));
  if (account) keep(account, tail);
  for (const gone of data.vanished) {
    // A type PutEvaluations refuses never had an evaluation of its own to retract.
    if (!acceptedByPutEvaluations(gone.resourceType)) continue;
    const evaluation = notApplicable(gone.resourceType, gone.resourceId, "the resource no longer exists", at);
    ctx.log.info("vanished resource", { rule, resourceType: gone.resourceType, resourceId: gone.resourceId });
    if (writable(ctx, evaluation)) {
      tail.push(evaluation);
      out.vanished++;
    } else out.itemErrors++;
  }
  await write(tail);
  ctx.log.info("sweep done", {
    rule,
    resourceTypes: data.typesListed,
    items: data.itemsRead,
    vanished: out.vanished,
    unchanged: out.unchanged,
    itemErrors: out.itemErrors,
  });
  return out;
}
