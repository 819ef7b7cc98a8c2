// What the main thread and the evaluation workers say to each other (structured-cloned messages).

import type { Summary } from "../../engine/report/types.ts";
import type { AccountContext, CiaRating, EvaluationRecord } from "../../engine/types.ts";

export interface WorkerSetup {
  /** The policies directory (undefined: the package's own catalogue). */
  policies?: string;
  now: string;
  accounts: [string, AccountContext][];
  resourceType?: string;
  /** `--rating`: every item judged against it. */
  rating?: CiaRating;
  /** `json`: records come back serialised; `records`: as objects (the other reports keep them). */
  mode: "json" | "records";
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

export type Outcome =
  | { kind: "problem"; source: string; message: string }
  | { kind: "record"; accountId: string; record?: EvaluationRecord; json?: string };

export interface BatchResult {
  seq: number;
  /** Per element, what came of it, in order. */
  outcomes: Outcome[][];
  /** Configuration items found in the batch (evaluated or not). */
  items: number;
  /** The batch's records summed up. */
  summary: Summary;
}
