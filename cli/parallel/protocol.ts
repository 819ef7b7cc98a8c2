// What the main thread and the evaluation workers say to each other (structured-cloned messages).

import type { Summary } from "../../engine/report/types.ts";
import type { AccountContext, CiaRating, EvaluationRecord } from "../../engine/types.ts";
import type { Waiver } from "../../engine/waiver-match.ts";

/** `json`: records come back serialised; `records`: as objects (the other reports keep them). */
export type ResultMode = "json" | "records";

/** What a worker starts with: enough to load the catalogue. */
export interface WorkerBoot {
  /** `--policies`, as given (undefined: looked for as the main thread looks for it). */
  policies?: string;
  now: string;
}

/** What every batch is evaluated with, sent once the main thread has it. */
export interface WorkerSetup {
  /** The waivers in force, as the main thread checked them (not checked again in every worker). */
  waivers: Waiver[];
  accounts: [string, AccountContext][];
  resourceType?: string;
  /** `--rating`: every item judged against it. */
  rating?: CiaRating;
  mode: ResultMode;
}

/** Elements to parse and evaluate: their bytes end to end in one transferred buffer. */
export interface Batch {
  seq: number;
  bytes: Uint8Array;
  /** End offset of each element in `bytes`. */
  ends: number[];
  sources: string[];
  lists: (string | undefined)[];
  lines: number[];
  columns: number[];
}

/** What came of a batch of elements. */
export interface BatchOutcome {
  /** Configuration items found (evaluated or not). */
  items: number;
  /** The batch's records summed up. */
  summary: Summary;
  /** In input order, each with the index in the batch of the element it came from. */
  problems: { element: number; source: string; message: string }[];
  /**
   * `json` mode: the records' JSON in input order, separated by ",\n" as the report separates them,
   * as UTF-8 (empty: no record); a view of a buffer of its own, transferred between threads.
   */
  json: Uint8Array;
  /** `json` mode: the records' accounts, each once, in order of first appearance. */
  accounts: string[];
  /** `records` mode: the records in input order. */
  records: EvaluationRecord[];
}

/**
 * From the main thread to a worker: its setup first, then batches; and the buffers of the worker's
 * results, once written, for the worker to use again (transferred back).
 */
export type WorkerMessage = { setup: WorkerSetup } | { batch: Batch } | { recycle: ArrayBuffer };

export interface BatchResult extends BatchOutcome {
  seq: number;
  /** The batch's `bytes`, transferred back for the main thread to use again. */
  input?: Uint8Array;
}
