// `evaluate --jobs N`: the main thread reads and cuts the input into elements (cli/reader/), N - 1
// worker threads parse and evaluate them in batches, the main thread evaluates the batches no
// worker is ready for, and writes the outcomes in input order, so the report is byte for byte the
// one `--jobs 1` writes. A bounded number of batches is pending at any time: memory stays bounded
// however large the input.

import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { addToSummary, emptySummary, type InputProblem, type Summary } from "../../engine/report/types.ts";
import type { EvaluationRecord } from "../../engine/types.ts";
import type { InputEvent } from "../inputs.ts";
import type { InputPlan } from "../reader/files.ts";
import { type ElementEvent, eventsOfElement, type RawElement } from "../reader/read.ts";
import { runBatch } from "./batch.ts";
import { BufferPool } from "./buffers.ts";
import { evaluateItem, type ItemSetup } from "./evaluate-item.ts";
import type {
  Batch,
  BatchOutcome,
  BatchResult,
  ResultMode,
  WorkerBoot,
  WorkerMessage,
  WorkerSetup,
} from "./protocol.ts";

/** A batch is sent when it holds this many bytes of elements, or this many elements. */
const BATCH_BYTES = 256 * 1024;
const BATCH_ELEMENTS = 64;
/**
 * Batches a worker has queued: enough that it never runs dry while the main thread evaluates one,
 * reads, or collects garbage (a profile of `--jobs 2` with 3 showed the worker idle for about 10%
 * of a 200,000-item run; with 8 the run took less wall time in 5 of 6 runs taken in turns, about
 * 7% on average, for 10-30 MiB more peak memory).
 */
const IN_FLIGHT_PER_WORKER = 8;
/**
 * Batches pending (sent, or evaluated by the main thread and waiting for their turn), per thread:
 * room for the main thread to go on evaluating while a slower worker (on a loaded machine) holds
 * the oldest batch (measured: 12,000 items under load, 4 a thread 5.3-5.6 s, 16 a thread 4.8-5.1 s).
 */
const PENDING_PER_THREAD = 16;
/**
 * Below this much JSON (estimated), one thread: a worker's start-up (loading the catalogue) costs
 * about the CPU of a few thousand items, and on a busy machine it slows the main thread down
 * (measured under load: 4,000 and 12,000 items took about 1 s longer with `--jobs 2`; 40,000
 * items, about 64 MiB of JSON, the same or less).
 */
export const PARALLEL_THRESHOLD = 64 * 1024 * 1024;
/** How much a .gz input is taken to expand, to estimate its JSON size. */
const GZIP_ESTIMATE = 10;

/** What came of a part of the input, in input order. */
export interface Outcomes {
  /** Problems with the input, in input order. */
  problems: InputProblem[];
  /** The records evaluated, in input order (`records` mode, and one thread). */
  records: EvaluationRecord[];
  /** `json` mode: the records' JSON as UTF-8, separated by ",\n" (empty: none). */
  json: Uint8Array;
  /** `json` mode: the accounts of the records in `json`, each once, in order of first appearance. */
  accounts: string[];
  /** Configuration items found (evaluated or not). */
  items: number;
  /** The records summed up (undefined: already added to the running summary). */
  summary?: Summary;
  /**
   * Says that `json` has been written and will not be read again: its buffer goes back to the
   * thread that filled it, to be used for a later batch. Optional to call (an outcome kept without
   * it only costs a new buffer later).
   */
  release?: () => void;
}

const NO_BYTES = new Uint8Array(0);

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
    const part: Outcomes = { problems: [], records: [], json: NO_BYTES, accounts: [], items: 0 };
    if (event.kind === "problem") {
      part.problems.push({ source: event.source, message: event.message });
      yield part;
      continue;
    }
    for (const input of eventsOfElement(event.element) as InputEvent[]) {
      if (input.kind === "problem") {
        part.problems.push({ source: input.source, message: input.message });
        continue;
      }
      part.items++;
      const outcome = evaluateItem(input.item, setup);
      if (outcome.kind === "problem")
        part.problems.push({ source: outcome.source, message: outcome.message });
      else {
        addToSummary(summary, outcome.record);
        part.records.push(outcome.record);
      }
    }
    yield part;
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

function startWorker(boot: WorkerBoot): Worker {
  return new Worker(BOOT, {
    eval: true,
    // Items die young: a young generation of 32 MiB scavenges as seldom as the main thread's
    // (measured on a 40,000-item snapshot with `--jobs 2`: 8 MiB took 158 scavenges and 0.72 s of
    // the worker's time, 32 MiB 60 scavenges and 0.31 s, for about 25 MiB more peak RSS).
    resourceLimits: { maxYoungGenerationSizeMb: 32 },
    workerData: {
      boot,
      entry: WORKER_ENTRY.href,
      tsx: TYPESCRIPT ? import.meta.resolve("tsx/esm/api") : undefined,
    },
  });
}

interface WorkerState {
  worker: Worker;
  /** Whether it has loaded the catalogue: no batch goes to it before (the main thread evaluates meanwhile). */
  ready: boolean;
  /** Why the worker stopped, once it has. */
  failed?: unknown;
  inFlight: number;
  waiting: Map<number, { resolve(r: BatchResult): void; reject(e: unknown): void }>;
}

/**
 * Worker threads, started as early as the command knows it wants them: each loads the catalogue
 * while the main thread loads its own, and gets the rest of what it needs (`setup`) once the main
 * thread has it. Kept for every part of the input; `close` stops them.
 */
export class EvaluationWorkers {
  readonly workers: WorkerState[];
  /** Numbers the batches across every part of the input. */
  seq = 0;
  /** Buffers for the batches sent, back with their results. */
  readonly inputs = new BufferPool(IN_FLIGHT_PER_WORKER + 2);
  /** Buffers for the records of the batches the main thread evaluates, back once written. */
  readonly outputs = new BufferPool(4);

  constructor(count: number, boot: WorkerBoot) {
    this.workers = Array.from({ length: count }, () => {
      const state: WorkerState = { worker: startWorker(boot), ready: false, inFlight: 0, waiting: new Map() };
      const failAll = (error: unknown) => {
        state.failed ??= error;
        for (const w of state.waiting.values()) w.reject(error);
        state.waiting.clear();
      };
      state.worker.on("message", (result: BatchResult | "ready") => {
        if (result === "ready") {
          state.ready = true;
          return;
        }
        state.inFlight--;
        if (result.input) this.inputs.give(result.input.buffer as ArrayBuffer);
        state.waiting.get(result.seq)?.resolve(result);
        state.waiting.delete(result.seq);
      });
      state.worker.on("error", failAll);
      state.worker.on("exit", (code) =>
        failAll(new Error(`an evaluation worker stopped (exit code ${code})`)),
      );
      return state;
    });
  }

  /** What every batch is evaluated with: sent once, before the first batch. */
  setup(setup: WorkerSetup): void {
    for (const w of this.workers) w.worker.postMessage({ setup } satisfies WorkerMessage);
  }

  async close(): Promise<void> {
    for (const w of this.workers) {
      w.worker.removeAllListeners("exit");
      await w.worker.terminate();
    }
  }
}

interface Pending {
  /** Reader problems and elements, in input order (null: the next element of the batch). */
  entries: (InputProblem | null)[];
  /** The batch's outcome, once there (undefined also for a pending with no element). */
  done?: BatchOutcome;
  /** Whether it is there. */
  ready: boolean;
  /** Settles when it is (rejects when the worker failed). */
  result: Promise<BatchOutcome | undefined>;
  /** Where the outcome's records buffer goes back to once written. */
  release?: (buffer: ArrayBuffer) => void;
}

export interface ParallelOptions {
  /**
   * Whether the main thread evaluates the batches no worker is ready for (default). Without, every
   * batch goes to a worker, queued until it has loaded the catalogue (tests: the workers' part).
   */
  mainEvaluates?: boolean;
}

/** A pending batch's outcome as the parts the report takes, reader problems in their place. */
function settled(pending: Pending, outcome: BatchOutcome | undefined): Outcomes {
  const problems: InputProblem[] = [];
  const found = outcome?.problems ?? [];
  let element = 0;
  let k = 0;
  for (const entry of pending.entries) {
    if (entry) {
      problems.push(entry);
      continue;
    }
    for (; k < found.length && found[k]!.element === element; k++) {
      problems.push({ source: found[k]!.source, message: found[k]!.message });
    }
    element++;
  }
  const json = outcome?.json ?? NO_BYTES;
  const back = pending.release;
  return {
    problems,
    records: outcome?.records ?? [],
    json,
    accounts: outcome?.accounts ?? [],
    items: outcome?.items ?? 0,
    summary: outcome?.summary ?? emptySummary(),
    ...(back && json.length > 0 ? { release: () => back(json.buffer as ArrayBuffer) } : {}),
  };
}

/**
 * The workers of `pool` and the main thread, which reads, writes, and evaluates a batch itself
 * whenever no worker is ready for one (on two cores, two workers beside a busy main thread would
 * be three threads on two cores, and one more start-up). Outcomes in input order, one batch at a
 * time; at most `PENDING_PER_THREAD` batches pending per thread.
 */
export async function* evaluateInParallel(
  elements: AsyncIterable<ElementEvent>,
  pool: EvaluationWorkers,
  local: ItemSetup,
  mode: ResultMode,
  options: ParallelOptions = {},
): AsyncGenerator<Outcomes> {
  const mainEvaluates = options.mainEvaluates ?? true;
  const { workers } = pool;
  const queue: Pending[] = [];
  const limit = (workers.length + 1) * PENDING_PER_THREAD;
  let entries: (InputProblem | null)[] = [];
  let batch: RawElement[] = [];
  let batchBytes = 0;

  const post = (target: WorkerState, pending: Pending): void => {
    const bytes = new Uint8Array(pool.inputs.take(batchBytes), 0, batchBytes);
    const ends: number[] = [];
    let offset = 0;
    for (const element of batch) {
      bytes.set(element.bytes, offset);
      offset += element.bytes.length;
      ends.push(offset);
    }
    const message: Batch = {
      seq: pool.seq++,
      bytes,
      ends,
      sources: batch.map((e) => e.source),
      lists: batch.map((e) => e.list),
      lines: batch.map((e) => e.line),
      columns: batch.map((e) => e.column),
    };
    target.inFlight++;
    pending.ready = false;
    pending.release = (buffer) => {
      if (!target.failed) target.worker.postMessage({ recycle: buffer } satisfies WorkerMessage, [buffer]);
    };
    pending.result = new Promise<BatchResult>((resolve, reject) => {
      if (target.failed) reject(target.failed);
      else target.waiting.set(message.seq, { resolve, reject });
    }).then((outcome) => {
      pending.done = outcome;
      pending.ready = true;
      return outcome;
    });
    // Awaited in its turn; until then a failure must not count as unhandled.
    pending.result.catch(() => {});
    if (!target.failed) target.worker.postMessage({ batch: message } satisfies WorkerMessage, [bytes.buffer]);
  };

  const send = (): void => {
    if (entries.length === 0) return;
    const pending: Pending = { entries, ready: true, result: Promise.resolve(undefined) };
    if (batch.length > 0) {
      // The ready worker with the least in flight; a failed one takes the batch too, so that its
      // failure is reported when the batch's turn comes.
      let target: WorkerState | undefined;
      for (const w of workers) {
        if (w.failed) {
          target = w;
          break;
        }
        const free = mainEvaluates ? w.ready && w.inFlight < IN_FLIGHT_PER_WORKER : true;
        if (free && (!target || w.inFlight < target.inFlight)) target = w;
      }
      if (target) post(target, pending);
      else {
        pending.done = runBatch(batch, local, mode, pool.outputs);
        pending.result = Promise.resolve(pending.done);
        pending.release = (buffer) => pool.outputs.give(buffer);
      }
    }
    queue.push(pending);
    entries = [];
    batch = [];
    batchBytes = 0;
  };

  const settle = async (pending: Pending): Promise<Outcomes> => settled(pending, await pending.result);

  for await (const event of elements) {
    if (event.kind === "problem") entries.push({ source: event.source, message: event.message });
    else {
      entries.push(null);
      batch.push(event.element);
      batchBytes += event.element.bytes.length;
    }
    if (batchBytes >= BATCH_BYTES || batch.length >= BATCH_ELEMENTS) {
      send();
      // What is ready goes out at once; beyond the limit, the oldest batch is waited for.
      while (queue[0]?.ready) {
        const head = queue.shift()!;
        yield settled(head, head.done);
      }
      while (queue.length >= limit) yield await settle(queue.shift()!);
    }
  }
  send();
  while (queue.length > 0) yield await settle(queue.shift()!);
}
