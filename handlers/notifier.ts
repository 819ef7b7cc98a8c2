// The notifier Lambda (docs/NOTIFIER.md): "Config Rules Compliance Change" events, one at a time from
// EventBridge or in SQS batches, to the owner and CISO topics: exactly once through the findings
// ledger when LEDGER_TABLE is set, else each event on its own (stateless mode); and the scheduled
// modes `sync-owners`, `digest` and `retry-pending` (the last two need the ledger).
// docs/NOTIFIER.md describes the flow, the ledger, stateless mode and the message format.

import { Logger } from "@aws-lambda-powertools/logger";
import { readConfig } from "./notifier/config.ts";
import { controlLookup } from "./notifier/controls.ts";
import type { Runtime } from "./notifier/run.ts";
import { run } from "./notifier/run.ts";
import { createRuntime } from "./notifier/wiring.ts";
import { loadEmbeddedControls } from "./shared/controls.ts";

const logger = new Logger({ serviceName: "compliance-notifier" });

let runtime: Runtime | undefined;

function log(level: "info" | "warn" | "error", message: string, details?: Record<string, unknown>): void {
  logger[level](message, details ?? {});
}

export async function handler(event: unknown): Promise<unknown> {
  runtime ??= createRuntime(readConfig(process.env), () => controlLookup(loadEmbeddedControls()), log);
  return run(event, runtime);
}
