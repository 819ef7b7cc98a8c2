// The custom AWS Config rule, bundled to dist/handlers/config-rule.mjs. It only
// wires: read the event and the rule parameters, let the engine judge each item (normalise,
// evaluate), write the evaluations with PutEvaluations. What each message type does, the
// parameters, the environment and the retry behaviour: docs/HANDLERS.md.

import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { Context } from "aws-lambda";
import { formatProblem } from "../engine/errors.ts";
import { ALLOWED_SERVICES_RULE } from "../engine/scope.ts";
import type { Compliance } from "../engine/types.ts";
import { lazyAccountItemReader } from "./config/account/lazy-reader.ts";
import { createConfigClient, createLogsClient } from "./config/clients.ts";
import { EvaluationsNotWrittenError, MalformedEventError } from "./config/errors.ts";
import {
  changeEvaluations,
  oversizedEvaluations,
  type RuleContext,
  type RuleEvaluations,
  scheduledEvaluations,
} from "./config/evaluations.ts";
import { parseRuleEvent, type RuleEvent } from "./config/event.ts";
import { parseRuleParameters } from "./config/parameters.ts";
import { createWriter } from "./config/writer.ts";
import { loadEmbeddedCatalogue } from "./shared/catalogue.ts";

// Created once per execution environment, reused by every invocation.
const logger = new Logger({ serviceName: "config-rule" });
const metrics = new Metrics({ namespace: "ComplianceEngine", serviceName: "config-rule" });
const clients = {
  config: createConfigClient(),
  logs: createLogsClient(),
  accountItem: lazyAccountItemReader(),
};
const { catalogue, waivers, problems, validators, ready } = loadEmbeddedCatalogue();
const services: ReadonlySet<string> = new Set(catalogue.policies.map((p) => p.service));
for (const problem of problems) logger.warn("waiver file problem", { problem: formatProblem(problem) });
logger.debug("catalogue loaded", {
  controls: catalogue.controls.length,
  services: services.size,
  validators,
});

/** What one invocation did; AWS Config ignores it, tests and the benchmark read it. */
export interface RuleOutcome {
  status: "evaluated" | "ignored" | "malformed";
  messageType?: string;
  rule?: string;
  /** Evaluations written (or validated, in test mode). */
  written: number;
  byCompliance: Record<Compliance, number>;
  itemsEvaluated: number;
  vanished: number;
  /** Sweep: evaluations not written because AWS Config already holds them unchanged. */
  unchanged: number;
  testMode: boolean;
  error?: string;
}

const emptyOutcome = (status: RuleOutcome["status"]): RuleOutcome => ({
  status,
  written: 0,
  byCompliance: { COMPLIANT: 0, NON_COMPLIANT: 0, NOT_APPLICABLE: 0 },
  itemsEvaluated: 0,
  vanished: 0,
  unchanged: 0,
  testMode: false,
});

/** `arn:aws:config:REGION:ACCOUNT:config-rule/...` -> REGION and ACCOUNT. */
function fromArn(arn: string | undefined): { region?: string; account?: string } {
  const parts = arn?.split(":") ?? [];
  return { ...(parts[3] ? { region: parts[3] } : {}), ...(parts[4] ? { account: parts[4] } : {}) };
}

function malformed(error: Error, event: unknown): RuleOutcome {
  const rule = (event as { configRuleName?: unknown } | null)?.configRuleName;
  logger.error("malformed event: nothing written", {
    error: error.message,
    ...(typeof rule === "string" ? { rule } : {}),
  });
  metrics.addMetric("MalformedEvents", MetricUnit.Count, 1);
  return { ...emptyOutcome("malformed"), error: error.message };
}

/** The services whose controls a rule runs: its own, or (undefined) every one. */
function validatorServices(service: string | undefined): string[] | undefined {
  return service === undefined || service === ALLOWED_SERVICES_RULE ? undefined : [service];
}

function evaluationsFor(ctx: RuleContext, ruleEvent: RuleEvent): RuleEvaluations | Promise<RuleEvaluations> {
  const message = ruleEvent.message;
  switch (message.kind) {
    case "change":
      return changeEvaluations(ctx, message);
    case "oversized":
      return oversizedEvaluations(ctx, message);
    case "scheduled":
      return scheduledEvaluations(ctx, message);
    default:
      throw new Error(`no evaluations for message kind ${message.kind}`);
  }
}

async function handle(event: unknown, now: Date): Promise<RuleOutcome> {
  let ruleEvent: RuleEvent;
  try {
    ruleEvent = parseRuleEvent(event);
  } catch (error) {
    if (error instanceof MalformedEventError) return malformed(error, event);
    throw error;
  }
  const rule = ruleEvent.configRuleName;
  const messageType = ruleEvent.messageType;
  const base = { rule, messageType };
  if (ruleEvent.message.kind === "ignored") {
    logger.info("message type ignored: nothing to evaluate", base);
    metrics.addMetric("IgnoredEvents", MetricUnit.Count, 1);
    return { ...emptyOutcome("ignored"), ...base };
  }

  const parameters = parseRuleParameters(ruleEvent.ruleParameters, services);
  for (const warning of parameters.warnings) logger.warn("rule parameters", { ...base, warning });
  for (const error of parameters.errors) logger.error("rule parameters", { ...base, error });
  if (parameters.errors.length > 0) {
    metrics.addMetric("RuleParameterErrors", MetricUnit.Count, parameters.errors.length);
  }

  const arn = fromArn(ruleEvent.configRuleArn);
  const scheduledAccount =
    ruleEvent.message.kind === "scheduled" ? ruleEvent.message.awsAccountId : undefined;
  const ctx: RuleContext = {
    clients,
    catalogue,
    waivers,
    parameters,
    event: ruleEvent,
    now,
    accountId: ruleEvent.accountId ?? scheduledAccount ?? arn.account ?? "unknown",
    region: arn.region ?? process.env.AWS_REGION ?? "unknown",
    log: logger,
  };

  const writer = createWriter(clients.config, { resultToken: ruleEvent.resultToken });
  ctx.write = (evaluations) => writer.write(evaluations);
  let result: RuleEvaluations;
  try {
    // The validators of the rule's service (of every service for the other rules) load on the
    // first invocation that needs them.
    await ready(validatorServices(parameters.service));
    result = await evaluationsFor(ctx, ruleEvent);
    await writer.write(result.evaluations);
  } catch (error) {
    if (error instanceof MalformedEventError) return malformed(error, event);
    logger.error("evaluation failed: the invocation fails so that Lambda retries it", {
      ...base,
      error: `${(error as Error).name}: ${(error as Error).message}`,
    });
    throw error;
  }

  const totals = writer.totals;
  const outcome: RuleOutcome = {
    ...emptyOutcome("evaluated"),
    ...base,
    itemsEvaluated: result.itemsEvaluated,
    vanished: result.vanished,
    unchanged: result.unchanged ?? 0,
    byCompliance: { ...totals.byCompliance },
    written: totals.written,
    testMode: totals.testMode,
  };
  metrics.addMetric("ItemsEvaluated", MetricUnit.Count, result.itemsEvaluated);
  if (result.vanished) metrics.addMetric("VanishedResources", MetricUnit.Count, result.vanished);
  if (result.itemErrors) metrics.addMetric("ItemErrors", MetricUnit.Count, result.itemErrors);
  if (result.readErrors) metrics.addMetric("ReadErrors", MetricUnit.Count, result.readErrors);
  if (outcome.unchanged) metrics.addMetric("UnchangedEvaluations", MetricUnit.Count, outcome.unchanged);
  for (const [compliance, count] of Object.entries(outcome.byCompliance)) {
    if (count === 0) continue;
    const single = metrics.singleMetric();
    single.addDimension("compliance", compliance);
    single.addMetric("Evaluations", MetricUnit.Count, count);
  }
  metrics.addMetric("EvaluationsWritten", MetricUnit.Count, totals.written);
  if (totals.retried) metrics.addMetric("FailedEvaluationsRetried", MetricUnit.Count, totals.retried);

  try {
    writer.finish();
    logger.info("evaluations written", {
      ...base,
      written: totals.written,
      calls: totals.calls,
      retried: totals.retried,
      unchanged: outcome.unchanged,
      testMode: totals.testMode,
      ...outcome.byCompliance,
    });
  } catch (error) {
    if (error instanceof EvaluationsNotWrittenError) {
      metrics.addMetric("EvaluationsNotWritten", MetricUnit.Count, error.notWritten);
    }
    logger.error("evaluations not written: the invocation fails so that Lambda retries it", {
      ...base,
      error: `${(error as Error).name}: ${(error as Error).message}`,
    });
    throw error;
  }
  return outcome;
}

/** The Lambda entry point. */
export async function handler(event: unknown, context?: Context): Promise<RuleOutcome> {
  const started = performance.now();
  if (context) logger.addContext(context);
  try {
    return await handle(event, new Date());
  } finally {
    metrics.addMetric("Duration", MetricUnit.Milliseconds, performance.now() - started);
    metrics.publishStoredMetrics();
  }
}
