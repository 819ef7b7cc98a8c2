// One batch of elements parsed and evaluated: the same code in a worker thread and in the main
// thread (which evaluates a batch itself when every worker has enough to do), so the outcome never
// depends on where a batch ran.

import { RECORD_SEPARATOR, recordJson } from "../../engine/report/json.ts";
import { addToSummary, emptySummary } from "../../engine/report/types.ts";
import { eventsOfElement, type RawElement } from "../reader/read.ts";
import type { BufferPool } from "./buffers.ts";
import { evaluateItem, type ItemSetup } from "./evaluate-item.ts";
import type { BatchOutcome, ResultMode } from "./protocol.ts";

/**
 * UTF-8 bytes built string by string in a buffer of their own (transferable to another thread),
 * taken from `pool` and grown by doubling. Each record's string is encoded as it comes: encoding
 * one long concatenated string instead costs several times more.
 */
class Utf8Builder {
  private buffer: Buffer;
  private used = 0;

  constructor(
    capacity: number,
    private readonly pool: BufferPool | undefined,
  ) {
    this.buffer = Buffer.from(pool ? pool.take(capacity) : new ArrayBuffer(capacity));
  }

  write(s: string): void {
    // A UTF-16 code unit is at most 3 bytes of UTF-8.
    const needed = this.used + s.length * 3;
    if (needed > this.buffer.length) {
      const size = Math.max(needed, this.buffer.length * 2);
      const grown = Buffer.from(this.pool ? this.pool.take(size) : new ArrayBuffer(size));
      this.buffer.copy(grown, 0, 0, this.used);
      this.pool?.give(this.buffer.buffer as ArrayBuffer);
      this.buffer = grown;
    }
    this.used += this.buffer.write(s, this.used, "utf8");
  }

  /** What was written: a view of the buffer, which it owns alone. */
  bytes(): Uint8Array {
    return new Uint8Array(this.buffer.buffer, 0, this.used);
  }
}

const NO_BYTES = new Uint8Array(0);

/**
 * Parses and evaluates `elements` in order. In `json` mode the records come back serialised, as
 * UTF-8 bytes in one buffer (transferred between threads, not copied: an array of records or of
 * strings costs a structured clone per record, and the main thread would still have to encode
 * them), in a buffer from `pool` when there is one; in `records` mode as objects.
 */
export function runBatch(
  elements: readonly RawElement[],
  setup: ItemSetup,
  mode: ResultMode,
  pool?: BufferPool,
): BatchOutcome {
  const outcome: BatchOutcome = {
    items: 0,
    summary: emptySummary(),
    problems: [],
    json: NO_BYTES,
    accounts: [],
    records: [],
  };
  let json: Utf8Builder | undefined;
  // The accounts of the serialised records, each once, in order of first appearance.
  const seen = new Set<string>();
  let serialised = 0;
  for (let i = 0; i < elements.length; i++) {
    for (const event of eventsOfElement(elements[i]!)) {
      if (event.kind === "problem") {
        outcome.problems.push({ element: i, source: event.source, message: event.message });
        continue;
      }
      outcome.items++;
      const evaluated = evaluateItem(event.item, setup);
      if (evaluated.kind === "problem") {
        outcome.problems.push({ element: i, source: evaluated.source, message: evaluated.message });
        continue;
      }
      const { record } = evaluated;
      addToSummary(outcome.summary, record);
      if (mode === "records") {
        outcome.records.push(record);
        continue;
      }
      // Separated as the JSON report separates records, so the main thread writes the batch at once;
      // about as many bytes out as in.
      if (!json) {
        let size = 0;
        for (const element of elements) size += element.bytes.length;
        json = new Utf8Builder(Math.max(64 * 1024, size + (size >> 1)), pool);
      }
      if (serialised++ > 0) json.write(RECORD_SEPARATOR);
      json.write(recordJson(record));
      if (!seen.has(record.accountId)) {
        seen.add(record.accountId);
        outcome.accounts.push(record.accountId);
      }
    }
  }
  if (json) outcome.json = json.bytes();
  return outcome;
}
