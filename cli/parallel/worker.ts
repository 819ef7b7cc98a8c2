// An evaluation worker thread: loads the catalogue (compiled code cannot be sent between threads),
// then takes its setup from the main thread (the waivers it checked, the accounts, the options)
// and parses and evaluates the elements of each batch it sends, answering with the outcomes in
// order.

import { parentPort, workerData } from "node:worker_threads";
import { contextLookup } from "../../engine/accounts.ts";
import type { AccountContext } from "../../engine/types.ts";
import { loadCatalogueDir } from "../load-catalogue.ts";
import type { RawElement } from "../reader/read.ts";
import { runBatch } from "./batch.ts";
import { BufferPool } from "./buffers.ts";
import type { ItemSetup } from "./evaluate-item.ts";
import type { Batch, BatchResult, ResultMode, WorkerBoot, WorkerMessage, WorkerSetup } from "./protocol.ts";

const boot = (workerData as { boot: WorkerBoot }).boot;
const now = new Date(boot.now);
// The waivers come from the main thread: not checked again here (the check compiles a schema).
const { catalogue } = await loadCatalogueDir(boot.policies, now, { waivers: [] });

let items: ItemSetup | undefined;
let mode: ResultMode = "json";
/** The buffers of this worker's results, back from the main thread once written. */
const results = new BufferPool(8);

function configure(setup: WorkerSetup): ItemSetup {
  const accounts = new Map<string, AccountContext>(setup.accounts);
  mode = setup.mode;
  return {
    catalogue,
    waivers: setup.waivers,
    now,
    hints: setup.resourceType ? { resourceType: setup.resourceType } : {},
    ...(setup.rating ? { rating: setup.rating } : {}),
    contextOf: contextLookup(accounts),
  };
}

function run(batch: Batch, setup: ItemSetup): BatchResult {
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
  return { seq: batch.seq, ...runBatch(elements, setup, mode, results), input: batch.bytes };
}

parentPort?.on("message", (message: WorkerMessage) => {
  if ("recycle" in message) {
    results.give(message.recycle);
    return;
  }
  if ("setup" in message) {
    items = configure(message.setup);
    return;
  }
  if (!items) throw new Error("a batch came before the worker's setup");
  const result = run(message.batch, items);
  // Both buffers go back: the records' to be written, the batch's to be filled again.
  const transfer = [message.batch.bytes.buffer as ArrayBuffer];
  if (result.json.length > 0) transfer.push(result.json.buffer as ArrayBuffer);
  parentPort?.postMessage(result, transfer);
});
// The catalogue is loaded: batches may come.
parentPort?.postMessage("ready");
