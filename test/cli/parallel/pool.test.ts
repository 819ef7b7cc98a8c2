// The `--jobs` pipeline below the command: batches evaluated by worker threads (and by the main
// thread when no worker is free) come out in input order, with the problems of bad elements in
// the middle of a batch in their place, and the records' JSON byte for byte what one thread writes.
// The serial reference runs the TypeScript sources; so does one worker run, whose worker starts
// through tsx (as under `compliance` run from the sources). The other worker runs use the compiled
// pipeline (dist/lib, what bin/compliance.mjs runs, rebuilt by the test run's global setup when a
// source is newer), whose workers load JavaScript: a TypeScript worker starts tsx and its loader
// thread and compiles every module again, a second or more of CPU each.

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as sourceCatalogue from "../../../cli/load-catalogue.ts";
import type { ItemSetup } from "../../../cli/parallel/evaluate-item.ts";
import type { Outcomes, ParallelOptions } from "../../../cli/parallel/pool.ts";
import * as sourcePool from "../../../cli/parallel/pool.ts";
import type { ResultMode } from "../../../cli/parallel/protocol.ts";
import { DEFAULT_LIMITS } from "../../../cli/reader/limits.ts";
import * as sourceRead from "../../../cli/reader/read.ts";
import { contextLookup } from "../../../engine/accounts.ts";
import { recordJson } from "../../../engine/report/json.ts";
import { emptySummary, type Summary } from "../../../engine/report/types.ts";
import type { AccountContext } from "../../../engine/types.ts";
import { loadFixtures } from "../../support/fixtures.ts";
import { compiled } from "../../support/library.ts";

/** The pipeline's modules (the TypeScript sources or their compiled JavaScript), and its catalogue. */
interface Pipeline {
  loaded: Awaited<ReturnType<typeof sourceCatalogue.loadCatalogueDir>>;
  pool: typeof sourcePool;
  readElements: typeof sourceRead.readElements;
}

const now = new Date("2026-12-01T00:00:00Z");
const sources: Pipeline = {
  loaded: await sourceCatalogue.loadCatalogueDir(undefined, now),
  pool: sourcePool,
  readElements: sourceRead.readElements,
};
const javascript: Pipeline = {
  loaded: await (await compiled<typeof sourceCatalogue>("cli/load-catalogue.ts")).loadCatalogueDir(
    undefined,
    now,
  ),
  pool: await compiled<typeof sourcePool>("cli/parallel/pool.ts"),
  readElements: (await compiled<typeof sourceRead>("cli/reader/read.ts")).readElements,
};
const items = loadFixtures("ci").map((f) => f.raw);
const dir = mkdtempSync(join(tmpdir(), "compliance-pool-"));
// Every real item, three times over (several batches of 64), with broken elements in the middle
// of batches: one that is not JSON, one that is not an item, one that normalisation refuses.
const snapshot = join(dir, "snapshot.json");
const elements = [...items, ...items, ...items].map((item, i) =>
  i % 71 === 30
    ? '{"broken": tru}'
    : i % 53 === 20
      ? "17"
      : i % 61 === 40
        ? '{"configurationItemStatus":"OK"}'
        : JSON.stringify(item),
);
writeFileSync(snapshot, `{"fileVersion":"1.0","configurationItems":[${elements.join(",")}]}`);
// The same four times over: enough batches that buffers come back while others are still out.
const longSnapshot = join(dir, "long-snapshot.json");
writeFileSync(
  longSnapshot,
  `{"fileVersion":"1.0","configurationItems":[${Array(4).fill(elements.join(",")).join(",")}]}`,
);

function itemSetup({ loaded }: Pipeline): ItemSetup {
  const accounts = new Map<string, AccountContext>();
  return {
    catalogue: loaded.catalogue,
    waivers: loaded.waivers,
    now,
    hints: {},
    contextOf: contextLookup(accounts),
  };
}

const read = (p: Pipeline, path = snapshot) =>
  p.readElements([{ path, lines: false }], { limits: DEFAULT_LIMITS });

interface Collected {
  problems: string[];
  json: string;
  records: unknown[];
  accounts: string[];
  items: number;
  summary: Summary;
  parts: number;
  /** Batch buffers back in the main thread's pool at the end (parallel runs). */
  returned?: number;
}

async function collect(parts: AsyncIterable<Outcomes>, summary: Summary): Promise<Collected> {
  const out: Collected = { problems: [], json: "", records: [], accounts: [], items: 0, summary, parts: 0 };
  const seen = new Set<string>();
  const chunks: string[] = [];
  for await (const part of parts) {
    out.parts++;
    out.items += part.items;
    if (part.summary) sourcePool.mergeSummary(summary, part.summary);
    for (const p of part.problems) out.problems.push(`${p.source}: ${p.message}`);
    for (const record of part.records) {
      out.records.push(record);
      chunks.push(recordJson(record));
      if (!seen.has(record.accountId)) {
        seen.add(record.accountId);
        out.accounts.push(record.accountId);
      }
    }
    if (part.json.length > 0) {
      chunks.push(Buffer.from(part.json).toString("utf8"));
      // Its buffer goes back to the thread that filled it, to hold a later batch's records: those
      // must still come out byte for byte.
      part.release?.();
      for (const id of part.accounts) {
        if (!seen.has(id)) {
          seen.add(id);
          out.accounts.push(id);
        }
      }
    }
  }
  out.json = chunks.join(",\n");
  return out;
}

async function parallel(
  p: Pipeline,
  jobs: number,
  mode: ResultMode,
  options: ParallelOptions,
  path = snapshot,
): Promise<Collected> {
  const pool = new p.pool.EvaluationWorkers(jobs - 1, { now: now.toISOString() });
  try {
    pool.setup({ waivers: p.loaded.waivers, accounts: [], mode });
    const collected = await collect(
      p.pool.evaluateInParallel(read(p, path), pool, itemSetup(p), mode, options),
      emptySummary(),
    );
    return { ...collected, returned: pool.inputs.size };
  } finally {
    await pool.close();
  }
}

describe("evaluateInParallel", async () => {
  const summary = emptySummary();
  const serial = await collect(
    sourcePool.evaluateSerially(read(sources), itemSetup(sources), summary),
    summary,
  );

  it("the serial reference has records and problems from the middle of batches", () => {
    expect(serial.items).toBeGreaterThan(2 * 64);
    expect(serial.records.length).toBeGreaterThan(2 * 64);
    expect(serial.problems.length).toBeGreaterThanOrEqual(6);
    for (const index of [20, 30, 40]) {
      expect(serial.problems.some((p) => p.includes(`configurationItems[${index}]: `))).toBe(true);
    }
  });

  // Worker threads start (through tsx with the sources): slow on a loaded machine, hence the long
  // timeouts.
  it.each([
    ["TypeScript", 2, "json"],
    ["JavaScript", 3, "json"],
    ["JavaScript", 2, "records"],
  ] as const)(
    "%s, %i threads, %s: every batch on a worker, outcomes in input order, JSON byte for byte",
    async (language, jobs, mode) => {
      const pipeline = language === "TypeScript" ? sources : javascript;
      const many = await parallel(pipeline, jobs, mode, { mainEvaluates: false });
      expect(many.problems).toEqual(serial.problems);
      expect(many.json).toBe(serial.json);
      expect(many.accounts).toEqual(serial.accounts);
      expect(many.items).toBe(serial.items);
      expect(many.summary).toEqual(serial.summary);
      if (mode === "records") expect(many.records).toEqual(serial.records);
      else expect(many.records).toEqual([]);
      // One part a batch, not one an element.
      expect(many.parts).toBeLessThan(serial.parts / 10);
    },
    120_000,
  );

  it("the main thread evaluating beside a worker gives the same outcomes", async () => {
    const mixed = await parallel(javascript, 2, "json", {});
    expect(mixed.problems).toEqual(serial.problems);
    expect(mixed.json).toBe(serial.json);
    expect(mixed.summary).toEqual(serial.summary);
  }, 120_000);

  it("the batches' buffers come back, and a long run (buffers given back mid-run) gives the same bytes", async () => {
    const longSummary = emptySummary();
    const reference = await collect(
      sourcePool.evaluateSerially(read(sources, longSnapshot), itemSetup(sources), longSummary),
      longSummary,
    );
    // Every batch on the worker (else, on a busy machine, the main thread may evaluate them all
    // before the worker is ready, and no buffer travels).
    const long = await parallel(javascript, 2, "json", { mainEvaluates: false }, longSnapshot);
    expect(long.items).toBe(4 * serial.items);
    expect(long.problems).toEqual(reference.problems);
    expect(long.json).toBe(reference.json);
    expect(long.summary).toEqual(reference.summary);
    // The worker sent the batches' buffers back: the main thread holds them for the next batches.
    expect(long.returned).toBeGreaterThan(0);
  }, 120_000);
});
