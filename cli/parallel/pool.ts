// `evaluate --jobs N`: the main thread reads and cuts the input into elements (cli/reader/), N
// worker threads parse and evaluate them in batches, and the main thread writes the outcomes in
// input order, so the report is byte for byte the one `--jobs 1` writes. At most two batches per
// worker are in flight: memory stays bounded however large the input.

import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { addToSummary, emptySummary, type Summary } from "../../engine/report/types.ts";
import type { InputEvent } from "../inputs.ts";
import type { InputPlan } from "./../reader/files.ts";
import { type ElementEvent, eventsOfElement, type RawElement } from "../reader/read.ts";
import { evaluateItem, type ItemSetup } from "./evaluate-item.ts";
import type { Batch, BatchResult, Outcome, WorkerSetup } from "./protocol.ts";

/** A batch is sent when it holds this many bytes of elements, or this many elements. */
const BATCH_BYTES = 256 * 1024;
const BATCH_ELEMENTS = 64;
const IN_FLIGHT_PER_WORKER = 2;
/** Below this much JSON (estimated), one thread: starting workers would cost more than they save. */
export const PARALLEL_THRESHOLD = 64 * 1024 * 1024;
/** How much a .gz input is taken to expand, to estimate its JSON size. */
const GZIP_ESTIMATE = 10;

/** What came of a part of the input, in input order. */
export interface Outcomes {
  outcomes: Outcome[];
  /** Configuration items found (evaluated or not). */
  items: number;
  /** The records of `outcomes` summed up (undefined: already added to the running summary). */
  summary?: Summary;
}

/** `--jobs` when not given: every core for a large input, one for a small one or for stdin. */
export function defaultJobs(plan: InputPlan, sizeOf: (path: string) => number): number {
  let estimate = 0;
  for (const file of plan.files) {
    if (file.path === "-") return 1;
    if (file.problem) continue;
    estimate += sizeOf(file.path) * (/\.gz$/i.test(file.path) ? GZIP_ESTIMATE : 1);
  }
  return estimate >= PARALLEL_THRESHOLD ? availableParallelism() : 1;
}

/** Sums `delta` into `into`. */
export function mergeSummary(into: Summary, delta: Summary): void {
  into.resources += delta.resources;
  for (const [key, n] of Object.entries(delta.byCompliance)) {
    into.byCompliance[key as keyof Summary["byCompliance"]] += n;
  }
  for (const [key, n] of Object.entries(delta.bySeverity))
    into.bySeverity[key] = (into.bySeverity[key] ?? 0) + n;
}

/** One thread: each element parsed and evaluated as it is read; records summed into `summary`. */
export async function* evaluateSerially(
  elements: AsyncIterable<ElementEvent>,
  setup: ItemSetup,
  summary: Summary,
): AsyncGenerator<Outcomes> {
  for await (const event of elements) {
    if (event.kind === "problem") {
      yield { outcomes: [event], items: 0 };
      continue;
    }
    const outcomes: Outcome[] = [];
    let items = 0;
    for (const input of eventsOfElement(event.element) as InputEvent[]) {
      if (input.kind === "problem") {
        outcomes.push(input);
        continue;
      }
      items++;
      const outcome = evaluateItem(input.item, setup);
      if (outcome.kind === "problem") outcomes.push(outcome);
      else {
        addToSummary(summary, outcome.record);
        outcomes.push({ kind: "record", accountId: outcome.record.accountId, record: outcome.record });
      }
    }
    yield { outcomes, items };
  }
}

// Workers run the same TypeScript or JavaScript as this module: under tsx (TypeScript sources),
// a worker registers tsx before importing its entry; compiled, it imports worker.js directly.
const BOOT = `const { workerData } = require("node:worker_threads");
(async () => {
  if (workerData.tsx) (await import(workerData.tsx)).register();
  await import(workerData.entry);
})().catch((error) => { setImmediate(() => { throw error; }); });`;

const TYPESCRIPT = import.meta.url.endsWith(".ts");
/** The worker's entry: beside this module (a build must keep it there, as its own entry point). */
const WORKER_ENTRY = new URL(TYPESCRIPT ? "./worker.ts" : "./worker.js", import.meta.url);

/** Whether worker threads can start (a build that left the worker entry out cannot). */
export function workersAvailable(): boolean {
  return existsSync(fileURLToPath(WORKER_ENTRY));
}

function startWorker(setup: WorkerSetup): Worker {
  return new Worker(BOOT, {
    eval: true,
    // Items die young: a small young generation keeps each worker's memory down (measured: 30,000
    // items on two workers peaked at 368 MiB with the default, 316 MiB with this).
    resourceLimits: { maxYoungGenerationSizeMb: 8 },
    workerData: {
      setup,
      entry: WORKER_ENTRY.href,
      tsx: TYPESCRIPT ? import.meta.resolve("tsx/esm/api") : undefined,
    },
  });
}

interface Pending {
  /** Reader problems and elements, in input order (elements stand for their outcomes). */
  entries: (Outcome | null)[];
  result: Promise<BatchResult | undefined>;
}

interface WorkerState {
  worker: Worker;
  /** Why the worker stopped, once it has. */
  failed?: unknown;
  inFlight: number;
  waiting: Map<number, { resolve(r: BatchResult): void; reject(e: unknown): void }>;
}

/** `jobs` worker threads: outcomes in input order, one batch at a time. */
export async function* evaluateInParallel(
  elements: AsyncIterable<ElementEvent>,
  jobs: number,
  setup: WorkerSetup,
): AsyncGenerator<Outcomes> {
  const workers: WorkerState[] = Array.from({ length: jobs }, () => {
    const state: WorkerState = { worker: startWorker(setup), inFlight: 0, waiting: new Map() };
    const failAll = (error: unknown) => {
      state.failed ??= error;
      for (const w of state.waiting.values()) w.reject(error);
      state.waiting.clear();
    };
    state.worker.on("message", (result: BatchResult) => {
      state.inFlight--;
      state.waiting.get(result.seq)?.resolve(result);
      state.waiting.delete(result.seq);
    });
    state.worker.on("error", failAll);
    state.worker.on("exit", (code) => failAll(new Error(`an evaluation worker stopped (exit code ${code})`)));
    return state;
  });
  const queue: Pending[] = [];
  let seq = 0;
  let entries: (Outcome | null)[] = [];
  let batch: RawElement[] = [];
  let batchBytes = 0;

  const send = (): void => {
    if (entries.length === 0) return;
    const pending: Pending = { entries, result: Promise.resolve(undefined) };
    if (batch.length > 0) {
      const bytes = new Uint8Array(batchBytes);
      const ends: number[] = [];
      let offset = 0;
      for (const element of batch) {
        bytes.set(element.bytes, offset);
        offset += element.bytes.length;
        ends.push(offset);
      }
      const message: Batch = {
        seq: seq++,
        bytes,
        ends,
        sources: batch.map((e) => e.source),
        lists: batch.map((e) => e.list),
        lines: batch.map((e) => e.line),
        columns: batch.map((e) => e.column),
      };
      const target = workers.reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
      target.inFlight++;
      pending.result = new Promise<BatchResult>((resolve, reject) => {
        if (target.failed) reject(target.failed);
        else target.waiting.set(message.seq, { resolve, reject });
      });
      // Awaited in its turn; until then a failure must not count as unhandled.
      pending.result.catch(() => {});
      if (!target.failed) target.worker.postMessage(message, [bytes.buffer]);
    }
    queue.push(pending);
    entries = [];
    batch = [];
    batchBytes = 0;
  };

  const settle = async (pending: Pending): Promise<Outcomes> => {
    const result = await pending.result;
    const outcomes: Outcome[] = [];
    let k = 0;
    for (const entry of pending.entries) {
      if (entry) outcomes.push(entry);
      else outcomes.push(...(result?.outcomes[k++] ?? []));
    }
    return { outcomes, items: result?.items ?? 0, summary: result?.summary ?? emptySummary() };
  };

  try {
    for await (const event of elements) {
      if (event.kind === "problem") entries.push(event);
      else {
        entries.push(null);
        batch.push(event.element);
        batchBytes += event.element.bytes.length;
      }
      if (batchBytes >= BATCH_BYTES || batch.length >= BATCH_ELEMENTS) send();
      while (queue.length >= jobs * IN_FLIGHT_PER_WORKER) yield await settle(queue.shift()!);
    }
    send();
    while (queue.length > 0) yield await settle(queue.shift()!);
  } finally {
    for (const w of workers) {
      w.worker.removeAllListeners("exit");
      await w.worker.terminate();
    }
  }
}
