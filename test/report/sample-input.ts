// A ReportInput built the way `compliance evaluate` builds one: real configuration items (the
// copies of the public AWS Config data in test/fixtures/ci) normalised and evaluated by the
// engine, spread over three accounts with different ratings. The catalogue is a fixed copy of
// the first DynamoDB policy (test/fixtures/policies), so the expectations stay put while the
// real catalogue grows.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { accountContext } from "../../engine/accounts.ts";
import { type Catalogue, loadCatalogue } from "../../engine/catalogue.ts";
import { evaluate } from "../../engine/evaluate.ts";
import { normalise } from "../../engine/normalise.ts";
import { addToSummary, emptySummary, type ReportInput } from "../../engine/report/types.ts";
import type { AccountContext, ConfigurationItem, EvaluationRecord } from "../../engine/types.ts";
import type { Waiver } from "../../engine/waivers.ts";

const ITEMS = fileURLToPath(new URL("../fixtures/ci/", import.meta.url));
const POLICY = fileURLToPath(new URL("../fixtures/policies/dynamodb.json", import.meta.url));
export const NOW = new Date("2026-03-01T12:00:00Z");

export const PROD = "111111111111";
export const DEV = "222222222222";
export const UNTAGGED = "333333333333";

export function sampleAccounts(): Map<string, AccountContext> {
  return new Map([
    [
      PROD,
      accountContext(
        PROD,
        { environment: "production", "cia-rating": "C2I2A2", owner: "payments@example.com" },
        "payments-prod",
      ),
    ],
    [DEV, accountContext(DEV, { environment: "development", "cia-rating": "C1I1A1" }, "sandbox-dev")],
    [UNTAGGED, accountContext(UNTAGGED, {})],
  ]);
}

export function item(
  file: string,
  accountId: string,
  edit?: (item: ConfigurationItem) => void,
): ConfigurationItem {
  const raw: unknown = JSON.parse(readFileSync(`${ITEMS}${file}`, "utf8"));
  const it = normalise(raw);
  it.accountId = accountId;
  // Move the ARN into the account too, so the item is consistent.
  if (it.arn)
    it.arn = it.arn
      .split(":")
      .map((part, i) => (i === 4 && part ? accountId : part))
      .join(":");
  edit?.(it);
  return it;
}

const pitr = (it: ConfigurationItem) => {
  it.supplementaryConfiguration.ContinuousBackupsDescription = {
    pointInTimeRecoveryDescription: { pointInTimeRecoveryStatus: "ENABLED" },
  };
};

export const HOSTILE_NAME = `<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">&amp; "q" 'a'`;

export interface SampleOptions {
  /** Give one resource a name full of markup (escaping tests). */
  hostile?: boolean;
}

/** The items of the sample run with the account each belongs to. */
export function sampleItems(options: SampleOptions = {}): ConfigurationItem[] {
  return [
    // As recorded: point-in-time recovery DISABLED. Production requires it.
    item("AWS_DynamoDB_Table/rdk-sample-ci.json", PROD),
    item("AWS_DynamoDB_Table/rdk-sample-ci.json", PROD, (it) => {
      it.resourceId = "orders";
      it.arn = it.arn.replace(/table\/test$/, "table/orders");
      it.resourceName = options.hostile ? HOSTILE_NAME : "orders";
      pitr(it);
    }),
    item("AWS_S3_Bucket/rdk-sample-ci.json", PROD),
    item("AWS_Lambda_Function/rdk-sample-ci.json", PROD),
    // Development at C1I1A1 does not require point-in-time recovery.
    item("AWS_DynamoDB_Table/rdk-sample-ci.json", DEV),
    item("AWS_SQS_Queue/c7n-eventbridge-sqs-discover.json", DEV),
    item("AWS_Lambda_Function/rdk-sample-ci.json", DEV, (it) => {
      it.configurationItemStatus = "ResourceDeleted";
    }),
    // Untagged: the highest rating applies; EC2 is not an allowed service.
    item("AWS_EC2_Instance/rdk-sample-ci.json", UNTAGGED),
    item("AWS_DynamoDB_Table/rdk-sample-ci.json", UNTAGGED, (it) => {
      it.resourceId = "waived-table";
      it.resourceName = "waived-table";
      it.arn = it.arn.replace(/table\/test$/, "table/waived-table");
    }),
  ];
}

export const WAIVERS: Waiver[] = [
  {
    controlId: "DDB.PITR",
    accounts: [UNTAGGED],
    resources: ["*:table/waived-table"],
    reason: "Table is rebuilt nightly from the data lake",
    approver: "ciso@example.com",
    granted: "2026-01-15",
    expires: "2026-12-31",
  },
];

let compiled: Catalogue | undefined;

/**
 * The DynamoDB policy's catalogue, compiled once for the process: a fresh Ajv instance and the
 * policy's controls were most of the 80 ms a call took (5 ms now), and most report tests build an
 * input. Frozen, as the test support's shared catalogue is, so that a test changing it fails
 * instead of changing it for the tests after it.
 */
function sampleCatalogue(): Catalogue {
  if (compiled) return compiled;
  const catalogue = loadCatalogue([{ file: "policies/dynamodb.json", text: readFileSync(POLICY, "utf8") }]);
  for (const policy of catalogue.policies) Object.freeze(policy);
  for (const control of catalogue.controls) Object.freeze(control);
  for (const list of catalogue.byResourceType.values()) Object.freeze(list);
  Object.freeze(catalogue.policies);
  Object.freeze(catalogue.controls);
  compiled = Object.freeze(catalogue);
  return compiled;
}

export function sampleInput(options: SampleOptions = {}): ReportInput {
  const catalogue = sampleCatalogue();
  const accounts = sampleAccounts();
  const summary = emptySummary();
  const records: EvaluationRecord[] = sampleItems(options).map((it) => {
    const ctx = accounts.get(it.accountId);
    if (!ctx) throw new Error(`no account ${it.accountId}`);
    const record = evaluate(it, catalogue, { rating: ctx.rating, now: NOW, waivers: WAIVERS });
    addToSummary(summary, record);
    return record;
  });
  summary.accounts = new Set(records.map((r) => r.accountId)).size;
  return {
    records,
    accounts,
    catalogue,
    problems: [{ source: "snapshots/broken.json", message: "not valid JSON: Unexpected end of input" }],
    summary,
    generatedAt: NOW,
    title: "Sample run <three accounts>",
  };
}
