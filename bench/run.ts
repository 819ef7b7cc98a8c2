// `npm run bench`: the engine's speed and memory, each figure a ratio against a baseline measured
// in the same process and run (so machines and load cancel out). Prints a table and writes
// bench/results.json. No test asserts on these numbers; a reviewer compares runs.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { readInputs } from "../cli/inputs.ts";
import { loadCatalogue } from "../engine/catalogue.ts";
import { evaluate } from "../engine/evaluate.ts";
import { normalise } from "../engine/normalise.ts";
import { readPolicySources } from "../loader/policy-files.ts";
import { cliStartFigures } from "./cli-start.ts";
import { configRuleFigures, type Figure } from "./config-rule.ts";
import { readerFigures } from "./reader.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const HIGHEST = { c: 3, i: 3, a: 3 } as const;
const now = new Date();

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Median wall time of `fn` in milliseconds over `runs` runs, after a warm-up run. */
function time(fn: () => void, runs = 7): number {
  fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(samples);
}

function sampleRawItems(): unknown[] {
  const dir = join(ROOT, "samples/organisation/items");
  const files = ["111111111111", "222222222222", "333333333333", "444444444444"].map((a) =>
    join(dir, `${a}_Config_eu-west-1_ConfigSnapshot.json`),
  );
  return files.flatMap(
    (f) => (JSON.parse(readFileSync(f, "utf8")) as { configurationItems: unknown[] }).configurationItems,
  );
}

const figures: Figure[] = [];
const sources = readPolicySources();
const catalogue = loadCatalogue(sources);
const raws = sampleRawItems();
const texts = raws.map((r) => JSON.stringify(r));
const ITEMS = 5000;
const batch = Array.from({ length: ITEMS }, (_, i) => texts[i % texts.length]!);

// 1. Evaluation cost per item against the cost of merely parsing it.
const parseMs = time(() => {
  for (const t of batch) JSON.parse(t);
});
const evaluateMs = time(() => {
  for (const t of batch) evaluate(normalise(JSON.parse(t)), catalogue, { rating: HIGHEST, now });
});
figures.push({
  name: "evaluate.per-item",
  value: (evaluateMs * 1000) / ITEMS,
  unit: "µs/item",
  baseline: { name: "JSON.parse.per-item", value: (parseMs * 1000) / ITEMS, unit: "µs/item" },
  ratio: evaluateMs / parseMs,
  note: `parse + normalise + evaluate of ${ITEMS} sample items at C3I3A3`,
});

// 2. Catalogue compilation (a Lambda cold start pays it once) against parsing the policy files.
const parsePoliciesMs = time(() => {
  for (const s of sources) JSON.parse(s.text);
}, 5);
const compileMs = time(() => loadCatalogue(sources), 5);
figures.push({
  name: "catalogue.compile",
  value: compileMs,
  unit: "ms",
  baseline: { name: "catalogue.parse", value: parsePoliciesMs, unit: "ms" },
  ratio: compileMs / parsePoliciesMs,
  note: `${catalogue.controls.length} controls in ${sources.length} files: check + compile, once per cold start`,
});

// 3. Memory of a streamed snapshot evaluation against reading the same stream without evaluating.
const dir = mkdtempSync(join(tmpdir(), "bench-"));
const STREAM_ITEMS = 20_000;
const snapshot = join(dir, "snapshot.json.gz");
writeFileSync(
  snapshot,
  gzipSync(
    `{"fileVersion":"1.0","configurationItems":[${Array.from({ length: STREAM_ITEMS }, (_, i) => texts[i % texts.length]).join(",")}]}`,
  ),
);

async function peakHeap(work: (raw: unknown) => void): Promise<{ peakMb: number; ms: number }> {
  globalThis.gc?.();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  let n = 0;
  const start = process.hrtime.bigint();
  for await (const event of readInputs([snapshot])) {
    if (event.kind === "item") work(event.item.raw);
    if (++n % 500 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
  }
  return { peakMb: (peak - before) / 1024 / 1024, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}

const readOnly = await peakHeap(() => {});
const evaluated = await peakHeap((raw) => {
  evaluate(normalise(raw), catalogue, { rating: HIGHEST, now });
});
figures.push({
  name: "stream.evaluate.heap-growth",
  value: Math.max(evaluated.peakMb, 0.01),
  unit: "MiB",
  baseline: { name: "stream.read.heap-growth", value: Math.max(readOnly.peakMb, 0.01), unit: "MiB" },
  ratio: Math.max(evaluated.peakMb, 0.01) / Math.max(readOnly.peakMb, 0.01),
  note: `peak heap growth over ${STREAM_ITEMS} streamed items (.json.gz): flat means the snapshot streams`,
});
figures.push({
  name: "stream.evaluate.throughput",
  value: STREAM_ITEMS / (evaluated.ms / 1000),
  unit: "items/s",
  baseline: { name: "stream.read.throughput", value: STREAM_ITEMS / (readOnly.ms / 1000), unit: "items/s" },
  ratio: readOnly.ms / evaluated.ms,
  note: "streamed snapshot: evaluation against reading alone",
});
rmSync(dir, { recursive: true, force: true });

// 4. The Config rule Lambda: one change event end to end, and its cold start (bench/config-rule.ts).
figures.push(...(await configRuleFigures()));

// 5. The built CLI's start-up (bench/cli-start.ts).
figures.push(...cliStartFigures());

// 6. Reading inputs, and a large snapshot end to end on one and two threads (bench/reader.ts).
figures.push(...(await readerFigures()));

const round = (n: number) => Number(n.toPrecision(4));
const rows = figures.map((f) => [
  f.name,
  `${round(f.value)} ${f.unit}`,
  `${f.baseline.name} ${round(f.baseline.value)} ${f.baseline.unit}`,
  `${round(f.ratio)}x`,
]);
const widths = [0, 1, 2, 3].map((i) =>
  Math.max(...rows.map((r) => r[i]!.length), ["figure", "value", "baseline", "ratio"][i]!.length),
);
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ");
process.stdout.write(`${line(["figure", "value", "baseline", "ratio"])}\n`);
for (const r of rows) process.stdout.write(`${line(r)}\n`);

const results = {
  generatedAt: new Date().toISOString(),
  node: process.version,
  figures: figures.map((f) => ({
    ...f,
    value: round(f.value),
    baseline: { ...f.baseline, value: round(f.baseline.value) },
    ratio: round(f.ratio),
  })),
};
writeFileSync(join(ROOT, "bench/results.json"), `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write("wrote bench/results.json\n");
