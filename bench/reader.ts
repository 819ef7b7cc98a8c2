// Benchmark of reading inputs (cli/reader/) against a baseline measured in the same run: the
// reader (gunzip, byte scanner, JSON.parse per item, the shape of each item recognised) against
// the floor: gunzip + a bare byte scan for item boundaries + JSON.parse per item. The snapshot is
// generated from the sample organisation's items in a temporary directory. (A snapshot evaluated
// end to end is bench/snapshot.ts.)

import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createGunzip, gzipSync } from "node:zlib";
import { readInputs } from "../cli/inputs.ts";
import type { Figure } from "./config-rule.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const READER_ITEMS = 20_000;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

/** The sample organisation's items, each with its own resource id, as a gzipped snapshot. */
export function snapshot(count: number): Buffer {
  const dir = join(ROOT, "samples/organisation/items");
  const items = ["111111111111", "222222222222", "333333333333", "444444444444"].flatMap(
    (a) =>
      (
        JSON.parse(readFileSync(join(dir, `${a}_Config_eu-west-1_ConfigSnapshot.json`), "utf8")) as {
          configurationItems: Record<string, unknown>[];
        }
      ).configurationItems,
  );
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    const item = items[i % items.length]!;
    parts.push(JSON.stringify({ ...item, resourceId: `${String(item.resourceId)}-${i}` }));
  }
  return gzipSync(`{"fileVersion":"1.0","configurationItems":[${parts.join(",")}]}`);
}

/** The floor: gunzip, find each element of configurationItems by depth and strings, JSON.parse it. */
async function bareScan(file: string): Promise<number> {
  let count = 0;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let parts: Buffer[] = [];
  let start = -1;
  for await (const chunk of createReadStream(file, { highWaterMark: 256 * 1024 }).pipe(
    createGunzip({ chunkSize: 64 * 1024 }),
  ) as AsyncIterable<Buffer>) {
    if (start >= 0 || parts.length > 0) start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (inString) {
        if (escaped) escaped = false;
        else if (c === 0x5c) escaped = true;
        else if (c === 0x22) inString = false;
        continue;
      }
      if (c === 0x22) inString = true;
      else if (c === 0x7b || c === 0x5b) {
        if (++depth === 3) start = i;
      } else if (c === 0x7d || c === 0x5d) {
        if (depth-- === 3) {
          const tail = chunk.subarray(start, i + 1);
          JSON.parse((parts.length ? Buffer.concat([...parts, tail]) : tail).toString("utf8"));
          parts = [];
          start = -1;
          count++;
        }
      }
    }
    if (start >= 0) parts.push(chunk.subarray(start));
  }
  return count;
}

async function readerOnly(file: string): Promise<number> {
  let count = 0;
  for await (const event of readInputs([file])) if (event.kind === "item") count++;
  return count;
}

export async function figures(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), "bench-reader-"));
  const figures: Figure[] = [];
  try {
    // 1. The reader against the floor, in this process, median of 5 after a warm-up.
    const small = join(dir, "reader.json.gz");
    writeFileSync(small, snapshot(READER_ITEMS));
    const floor: number[] = [];
    const reader: number[] = [];
    await bareScan(small);
    await readerOnly(small);
    for (let i = 0; i < 5; i++) {
      let start = process.hrtime.bigint();
      if ((await bareScan(small)) !== READER_ITEMS) throw new Error("the bare scan lost items");
      floor.push(ms(start));
      start = process.hrtime.bigint();
      if ((await readerOnly(small)) !== READER_ITEMS) throw new Error("the reader lost items");
      reader.push(ms(start));
    }
    figures.push({
      name: "reader.snapshot",
      value: median(reader),
      unit: "ms",
      baseline: { name: "gunzip+scan+JSON.parse", value: median(floor), unit: "ms" },
      ratio: median(reader) / median(floor),
      note: `${READER_ITEMS} items of a .json.gz snapshot: the reader (shapes, limits, positions) against a bare scan`,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}

// Run alone: `node bin/run-ts.mjs bench/reader.ts`.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const f of await figures()) {
    process.stdout.write(
      `${f.name}  ${f.value.toPrecision(4)} ${f.unit}  ${f.baseline.name} ${f.baseline.value.toPrecision(4)} ${f.baseline.unit}  ${f.ratio.toPrecision(3)}x\n`,
    );
  }
}
