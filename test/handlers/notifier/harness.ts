// Shared set-up of the notifier tests: dynalite with the ledger table from deploy/ledger-table.ts,
// the local SNS and Organizations endpoints, the environment that points real SDK clients at them
// (with the ledger, or without it for stateless mode), the built bundle, and compliance change
// events in the real EventBridge shape.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { HIGHEST } from "../../../engine/cia.ts";
import { evaluate } from "../../../engine/evaluate.ts";
import { normalise } from "../../../engine/normalise.ts";
import { controlLookup } from "../../../handlers/notifier/controls.ts";
import { createLedger, type Ledger } from "../../../handlers/notifier/ledger.ts";
import { ensureBundle, HANDLERS } from "../../support/bundles.ts";
import { repositoryCatalogue } from "../../support/catalogue.ts";
import { type Dynalite, startDynalite } from "../../support/dynalite.ts";
import {
  type OrgAccount,
  type OrganizationsEndpoint,
  startOrganizationsEndpoint,
} from "../../support/organizations-endpoint.ts";
import { type SnsEndpoint, startSnsEndpoint } from "../../support/sns-endpoint.ts";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const FIXTURES = join(ROOT, "test/fixtures");

export const CISO_TOPIC = "arn:aws:sns:eu-west-1:999999999999:compliance-ciso";
export const OWNER_TOPIC = "arn:aws:sns:eu-west-1:999999999999:compliance-owners";

/** The organisation the tests run against: every kind of account the routing distinguishes. */
export const ACCOUNTS = {
  production: "111111111111",
  lowRated: "222222222222",
  rated: "333333333333",
  unclassified: "444444444444",
  unowned: "555555555555",
} as const;

export function organisation(): Record<string, OrgAccount> {
  return {
    [ACCOUNTS.production]: {
      name: "payments-prod",
      parentId: "ou-prod-11111111",
      // Production overrides the rating tag: always C3I3A3.
      tags: { "cia-rating": "C1I1A1", environment: "production", owner: "alice@example.com" },
    },
    [ACCOUNTS.lowRated]: {
      name: "analytics-sandbox",
      tags: { "cia-rating": "C1I1A1", environment: "development", owner: "bob@example.com" },
    },
    [ACCOUNTS.rated]: {
      name: "shared-dev",
      tags: { "cia-rating": "C2I2A2", environment: "development", owner: "Bob@Example.com" },
    },
    [ACCOUNTS.unclassified]: {
      name: "experiments",
      tags: { "cia-rating": "high please", owner: "carol@example.com" },
    },
    [ACCOUNTS.unowned]: { name: "legacy", tags: { "cia-rating": "C3I3A3", environment: "staging" } },
  };
}

export interface Stack {
  dynalite: Dynalite;
  sns: SnsEndpoint;
  org: OrganizationsEndpoint;
  table: string;
  ledger: Ledger;
  close(): Promise<void>;
}

/** Starts the three local endpoints, creates the ledger table and points the SDK at them. */
export async function startStack(accounts: Record<string, OrgAccount> = organisation()): Promise<Stack> {
  const [dynalite, sns, org] = await Promise.all([
    startDynalite(),
    startSnsEndpoint(),
    startOrganizationsEndpoint(accounts),
  ]);
  const table = await dynalite.createLedgerTable("findings-ledger");
  Object.assign(process.env, {
    AWS_REGION: "eu-west-1",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_ENDPOINT_URL_DYNAMODB: dynalite.endpoint,
    AWS_ENDPOINT_URL_SNS: sns.endpoint,
    AWS_ENDPOINT_URL_ORGANIZATIONS: org.endpoint,
    CISO_TOPIC_ARN: CISO_TOPIC,
    OWNER_TOPIC_ARN: OWNER_TOPIC,
    LEDGER_TABLE: table,
    POWERTOOLS_LOG_LEVEL: "SILENT",
    LOG_LEVEL: "SILENT",
  });
  const client = new DynamoDBClient({ endpoint: dynalite.endpoint });
  return {
    dynalite,
    sns,
    org,
    table,
    ledger: createLedger(client, table),
    async close() {
      client.destroy();
      await Promise.all([dynalite.close(), sns.close(), org.close()]);
    },
  };
}

/** The SNS and Organizations endpoints alone: what stateless mode talks to. */
export interface Endpoints {
  sns: SnsEndpoint;
  org: OrganizationsEndpoint;
  close(): Promise<void>;
}

/**
 * Starts the SNS and Organizations endpoints and points the SDK at them, with the two topics
 * and no LEDGER_TABLE (no DynamoDB at all): the notifier runs stateless.
 */
export async function startStatelessEndpoints(
  accounts: Record<string, OrgAccount> = organisation(),
): Promise<Endpoints> {
  const [sns, org] = await Promise.all([startSnsEndpoint(), startOrganizationsEndpoint(accounts)]);
  for (const name of ["LEDGER_TABLE", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL"])
    delete process.env[name];
  Object.assign(process.env, {
    AWS_REGION: "eu-west-1",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_ENDPOINT_URL_SNS: sns.endpoint,
    AWS_ENDPOINT_URL_ORGANIZATIONS: org.endpoint,
    CISO_TOPIC_ARN: CISO_TOPIC,
    OWNER_TOPIC_ARN: OWNER_TOPIC,
    POWERTOOLS_LOG_LEVEL: "SILENT",
    LOG_LEVEL: "SILENT",
  });
  return {
    sns,
    org,
    close: async () => {
      await Promise.all([sns.close(), org.close()]);
    },
  };
}

export type Handler = (event: unknown) => Promise<unknown>;

/**
 * The notifier bundle of the test run (dist/handlers/notifier.mjs, built by `npm run build` once
 * for the run: test/support/bundles.ts), loaded from a copy (the module stays loaded).
 */
export async function buildNotifierBundle(): Promise<Handler> {
  const [handler] = await buildNotifierBundles(1);
  return handler!;
}

/**
 * `count` independent copies of the built bundle. Each copy is loaded at its first invocation, as
 * a cold start: it reads the environment (log level, topics, endpoints) then.
 */
export async function buildNotifierBundles(count: number): Promise<Handler[]> {
  ensureBundle();
  // The map names sources relative to the build directory, which vitest cannot resolve from a
  // copy: drop the map reference (the code is unchanged) so it does not warn.
  const code = readFileSync(join(HANDLERS, "notifier.mjs"), "utf8").replace(
    /\n\/\/# sourceMappingURL=\S+\s*$/,
    "\n",
  );
  return Array.from({ length: count }, () => {
    let loaded: Promise<Handler> | undefined;
    return async (event: unknown) => {
      loaded ??= loadCopy(code);
      return (await loaded)(event);
    };
  });
}

async function loadCopy(code: string): Promise<Handler> {
  const dir = mkdtempSync(join(tmpdir(), "notifier-bundle-"));
  try {
    const file = join(dir, "notifier.mjs");
    writeFileSync(file, code);
    return ((await import(pathToFileURL(file).href)) as { handler: Handler }).handler;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// --- events ------------------------------------------------------------------------------

const ENVELOPE = JSON.parse(
  readFileSync(join(FIXTURES, "events/eventbridge-compliance-change-rdk-workshop.json"), "utf8"),
) as Record<string, unknown> & { detail: Record<string, unknown> };

export interface EventSpec {
  accountId: string;
  resourceId: string;
  compliance: "COMPLIANT" | "NON_COMPLIANT" | "NOT_APPLICABLE" | "INSUFFICIENT_DATA";
  /** ISO time of the evaluation (Config's ordering timestamp). */
  ordering: string;
  recorded?: string;
  annotation?: string;
  region?: string;
  ruleName?: string;
  resourceType?: string;
  /**
   * `oldEvaluationResult`: null leaves it out (the first evaluation); absent keeps the sample's
   * (COMPLIANT, 2018).
   */
  previous?: { compliance: string; ordering: string; annotation?: string } | null;
}

/** A "Config Rules Compliance Change" event in the shape of the real one (test/fixtures/events). */
export function complianceEvent(spec: EventSpec): Record<string, unknown> {
  const region = spec.region ?? "eu-west-1";
  const ruleName = spec.ruleName ?? "compliance-dynamodb";
  const resourceType = spec.resourceType ?? "AWS::DynamoDB::Table";
  const recorded = spec.recorded ?? new Date(Date.parse(spec.ordering) + 2_000).toISOString();
  const event = structuredClone(ENVELOPE);
  event.account = spec.accountId;
  event.region = region;
  event.time = recorded;
  event.detail = {
    ...event.detail,
    resourceId: spec.resourceId,
    awsRegion: region,
    awsAccountId: spec.accountId,
    configRuleName: ruleName,
    configRuleARN: `arn:aws:config:${region}:${spec.accountId}:config-rule/config-rule-abc123`,
    resourceType,
    newEvaluationResult: {
      evaluationResultIdentifier: {
        evaluationResultQualifier: { configRuleName: ruleName, resourceType, resourceId: spec.resourceId },
        orderingTimestamp: spec.ordering,
      },
      complianceType: spec.compliance,
      resultRecordedTime: recorded,
      configRuleInvokedTime: recorded,
      ...(spec.annotation ? { annotation: spec.annotation } : {}),
    },
    notificationCreationTime: recorded,
  };
  if (spec.previous === null) delete event.detail.oldEvaluationResult;
  else if (spec.previous) {
    event.detail.oldEvaluationResult = {
      evaluationResultIdentifier: {
        evaluationResultQualifier: { configRuleName: ruleName, resourceType, resourceId: spec.resourceId },
        orderingTimestamp: spec.previous.ordering,
      },
      complianceType: spec.previous.compliance,
      resultRecordedTime: spec.previous.ordering,
      configRuleInvokedTime: spec.previous.ordering,
      ...(spec.previous.annotation ? { annotation: spec.previous.annotation } : {}),
    };
  }
  return event;
}

export function sqsBatch(events: { id: string; event: unknown }[]): unknown {
  return {
    Records: events.map(({ id, event }) => ({
      messageId: id,
      receiptHandle: `handle-${id}`,
      body: typeof event === "string" ? event : JSON.stringify(event),
      attributes: { ApproximateReceiveCount: "1" },
      messageAttributes: {},
      md5OfBody: "",
      eventSource: "aws:sqs",
      eventSourceARN: "arn:aws:sqs:eu-west-1:999999999999:compliance-changes",
      awsRegion: "eu-west-1",
    })),
  };
}

// --- real annotations from the engine --------------------------------------------------------

export const catalogue = repositoryCatalogue();
export const controls = controlLookup(catalogue);

function annotationOf(fixture: string): string {
  const item = normalise(JSON.parse(readFileSync(join(FIXTURES, "ci", fixture), "utf8")));
  return evaluate(item, catalogue, { rating: HIGHEST, now: new Date("2025-01-01T00:00:00Z") }).annotation;
}

/** What the DynamoDB rule writes for the real table of the RDK sample (point-in-time recovery off...). */
export const DDB_ANNOTATION = annotationOf("AWS_DynamoDB_Table/rdk-sample-ci.json");
/** What the allowed-services rule writes for an EC2 instance: a critical finding. */
export const EC2_ANNOTATION = annotationOf("AWS_EC2_Instance/rdk-sample-ci.json");
export const COMPLIANT_ANNOTATION = "All 4 required controls pass. Achieved C3I3A3 of required C3I3A3.";

/** The messages SNS accepted, by topic. */
export function publishedTo(sns: SnsEndpoint, topic: string, resourceId?: string) {
  return sns.published.filter(
    (p) =>
      p.topicArn === topic &&
      (resourceId === undefined || JSON.parse(jsonPart(p.message)).resourceId === resourceId),
  );
}

/** The JSON part of a message body. */
export function jsonPart(body: string): string {
  const at = body.indexOf("--- JSON ---\n");
  if (at < 0) throw new Error("message has no JSON part");
  return body.slice(at + "--- JSON ---\n".length);
}

export const ledgerKeyOf = (
  accountId: string,
  resourceId: string,
  region = "eu-west-1",
  rule = "compliance-dynamodb",
  type = "AWS::DynamoDB::Table",
) => [accountId, region, rule, type, resourceId].join("#");
