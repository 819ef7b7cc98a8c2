// An evaluation worker thread: parses and evaluates the elements of each batch the main thread
// sends, and answers with the outcomes in order. It loads the catalogue itself (compiled code
// cannot be sent between threads); the waivers come checked from the main thread.

import { parentPort, workerData } from "node:worker_threads";
import { accountContext } from "../../engine/accounts.ts";
import type { AccountContext } from "../../engine/types.ts";
import { loadCatalogueDir } from "../load-catalogue.ts";
import type { RawElement } from "../reader/read.ts";
import { runBatch } from "./batch.ts";
import type { ItemSetup } from "./evaluate-item.ts";
import type { Batch, BatchResult, WorkerSetup } from "./protocol.ts";

const setup = (workerData as { setup: WorkerSetup }).setup;
const now = new Date(setup.now);
const loaded = loadCatalogueDir(setup.policies, now, { waivers: setup.waivers });
const accounts = new Map<string, AccountContext>(setup.accounts);
const items: ItemSetup = {
  catalogue: loaded.catalogue,
  waivers: setup.waivers,
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
  const elements: RawElement[] = [];
  let start = 0;
  for (let i = 0; i < batch.ends.length; i++) {
    const end = batch.ends[i]!;
    elements.push({
      source: batch.sources[i]!,
      bytes: batch.bytes.subarray(start, end),
      list: batch.lists[i],
      line: batch.lines[i]!,
      column: batch.columns[i]!,
    });
    start = end;
  }
  return { seq: batch.seq, ...runBatch(elements, items, setup.mode) };
}

parentPort?.on("message", (batch: Batch) => {
  const result = run(batch);
  parentPort?.postMessage(result, result.json.length > 0 ? [result.json.buffer as ArrayBuffer] : []);
});
// The catalogue is loaded: batches may come.
parentPort?.postMessage("ready");
