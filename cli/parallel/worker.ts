// An evaluation worker thread: parses and evaluates the elements of each batch the main thread
// sends, and answers with the outcomes in order. It loads the catalogue itself (compiled code
// cannot be sent between threads).

import { parentPort, workerData } from "node:worker_threads";
import { accountContext } from "../../engine/accounts.ts";
import { recordJson } from "../../engine/report/json.ts";
import { addToSummary, emptySummary } from "../../engine/report/types.ts";
import type { AccountContext } from "../../engine/types.ts";
import { loadCatalogueDir } from "../load-catalogue.ts";
import { eventsOfElement } from "../reader/read.ts";
import { evaluateItem, type ItemSetup } from "./evaluate-item.ts";
import type { Batch, BatchResult, Outcome, WorkerSetup } from "./protocol.ts";

const setup = (workerData as { setup: WorkerSetup }).setup;
const now = new Date(setup.now);
const loaded = loadCatalogueDir(setup.policies, now);
const accounts = new Map<string, AccountContext>(setup.accounts);
const items: ItemSetup = {
  catalogue: loaded.catalogue,
  waivers: loaded.waivers,
  now,
  hints: setup.resourceType ? { resourceType: setup.resourceType } : {},
  ...(setup.rating ? { rating: setup.rating } : {}),
  contextOf(accountId) {
    let ctx = accounts.get(accountId);
    if (!ctx) {
      ctx = accountContext(accountId);
      accounts.set(accountId, ctx);
    }
    return ctx;
  },
};

function run(batch: Batch): BatchResult {
  const result: BatchResult = { seq: batch.seq, outcomes: [], items: 0, summary: emptySummary() };
  let start = 0;
  for (let i = 0; i < batch.ends.length; i++) {
    const end = batch.ends[i]!;
    const events = eventsOfElement({
      source: batch.sources[i]!,
      bytes: batch.bytes.subarray(start, end),
      list: batch.lists[i],
      line: batch.lines[i]!,
      column: batch.columns[i]!,
    });
    start = end;
    const outcomes: Outcome[] = [];
    for (const event of events) {
      if (event.kind === "problem") {
        outcomes.push(event);
        continue;
      }
      result.items++;
      const outcome = evaluateItem(event.item, items);
      if (outcome.kind === "problem") {
        outcomes.push(outcome);
        continue;
      }
      const { record } = outcome;
      addToSummary(result.summary, record);
      outcomes.push(
        setup.mode === "json"
          ? { kind: "record", accountId: record.accountId, json: recordJson(record) }
          : { kind: "record", accountId: record.accountId, record },
      );
    }
    result.outcomes.push(outcomes);
  }
  return result;
}

parentPort?.on("message", (batch: Batch) => {
  parentPort?.postMessage(run(batch));
});
