// The `--jobs` pipeline below the command: batches evaluated by worker threads (and by the main
// thread when no worker is free) come out in input order, with the problems of bad elements in
// the middle of a batch in their place, and the records' JSON byte for byte what one thread writes.

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCatalogueDir } from "../../../cli/load-catalogue.ts";
import type { ItemSetup } from "../../../cli/parallel/evaluate-item.ts";
import {
  EvaluationWorkers,
  evaluateInParallel,
  evaluateSerially,
  mergeSummary,
  type Outcomes,
  type ParallelOptions,
} from "../../../cli/parallel/pool.ts";
import type { ResultMode } from "../../../cli/parallel/protocol.ts";
import { DEFAULT_LIMITS } from "../../../cli/reader/limits.ts";
import { readElements } from "../../../cli/reader/read.ts";
import { contextLookup } from "../../../engine/accounts.ts";
import { recordJson } from "../../../engine/report/json.ts";
import { emptySummary, type Summary } from "../../../engine/report/types.ts";
import type { AccountContext } from "../../../engine/types.ts";
import { loadFixtures } from "../../support/fixtures.ts";

const now = new Date("2026-12-01T00:00:00Z");
const loaded = await loadCatalogueDir(undefined, now);
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

function itemSetup(): ItemSetup {
  const accounts = new Map<string, AccountContext>();
  return {
    catalogue: loaded.catalogue,
    waivers: loaded.waivers,
    now,
    hints: {},
    contextOf: contextLookup(accounts),
  };
}

const read = () => readElements([{ path: snapshot, lines: false }], { limits: DEFAULT_LIMITS });

interface Collected {
  problems: string[];
  json: string;
  records: unknown[];
  accounts: string[];
  items: number;
  summary: Summary;
  parts: number;
}

async function collect(parts: AsyncIterable<Outcomes>, summary: Summary): Promise<Collected> {
  const out: Collected = { problems: [], json: "", records: [], accounts: [], items: 0, summary, parts: 0 };
  const seen = new Set<string>();
  const chunks: string[] = [];
  for await (const part of parts) {
    out.parts++;
    out.items += part.items;
    if (part.summary) mergeSummary(summary, part.summary);
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

async function parallel(jobs: number, mode: ResultMode, options: ParallelOptions): Promise<Collected> {
  const pool = new EvaluationWorkers(jobs - 1, { now: now.toISOString() });
  try {
    pool.setup({ waivers: loaded.waivers, accounts: [], mode });
    return await collect(evaluateInParallel(read(), pool, itemSetup(), mode, options), emptySummary());
  } finally {
    await pool.close();
  }
}

describe("evaluateInParallel", async () => {
  const summary = emptySummary();
  const serial = await collect(evaluateSerially(read(), itemSetup(), summary), summary);

  it("the serial reference has records and problems from the middle of batches", () => {
    expect(serial.items).toBeGreaterThan(2 * 64);
    expect(serial.records.length).toBeGreaterThan(2 * 64);
    expect(serial.problems.length).toBeGreaterThanOrEqual(6);
    for (const index of [20, 30, 40]) {
      expect(serial.problems.some((p) => p.includes(`configurationItems[${index}]: `))).toBe(true);
    }
  });

  // Worker threads start through tsx here: slow on a loaded machine, hence the long timeouts.
  it.each([
    [2, "json"],
    [3, "json"],
    [2, "records"],
  ] as const)(
    "%i threads, %s: every batch on a worker, outcomes in input order, JSON byte for byte",
    async (jobs, mode) => {
      const many = await parallel(jobs, mode, { mainEvaluates: false });
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
    const mixed = await parallel(2, "json", {});
    expect(mixed.problems).toEqual(serial.problems);
    expect(mixed.json).toBe(serial.json);
    expect(mixed.summary).toEqual(serial.summary);
  }, 120_000);
});
