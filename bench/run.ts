// `npm run bench`: the engine's speed and memory, each figure a ratio against a baseline measured
// in the same process and run (so machines and load cancel out). Prints a table and writes
// bench/results.json; with `--readme` it also writes the table into README.md's Benchmarks
// section (between the bench markers), so the README's figures always come from a run.
// No test asserts on these numbers; a reviewer compares runs.
//
// A bench file exports `figures(): Promise<Figure[]>` (bench/figure.ts). Registering one is one
// line in BENCH_FILES. `npm run bench -- --only NAME` runs the named files only.

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { getHeapStatistics } from "node:v8";
import type { Figure } from "./figure.ts";

type BenchFile = { figures(): Promise<Figure[]> };

const BENCH_FILES: Record<string, () => Promise<BenchFile>> = {
  evaluate: () => import("./evaluate.ts"),
  reports: () => import("./reports.ts"),
  snapshot: () => import("./snapshot.ts"),
  "config-rule": () => import("./config-rule.ts"),
  "handler-load": () => import("./handler-load.ts"),
  "cli-start": () => import("./cli-start.ts"),
  reader: () => import("./reader.ts"),
  "test-suite": () => import("./test-suite.ts"),
};

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const { values } = parseArgs({
  options: { only: { type: "string", multiple: true }, readme: { type: "boolean", default: false } },
});
const names = Object.keys(BENCH_FILES).filter((n) => !values.only || values.only.includes(n));

const figures: Figure[] = [];
for (const name of names) {
  const started = performance.now();
  const file = await BENCH_FILES[name]!();
  figures.push(...(await file.figures()));
  process.stderr.write(`bench ${name}: ${Math.round(performance.now() - started)} ms\n`);
}
// Peak resident memory of the bench process itself (the 100k-result reports included).
const rssMb = process.resourceUsage().maxRSS / 1024;
const heapLimitMb = getHeapStatistics().heap_size_limit / 1024 / 1024;
figures.push({
  name: "bench.peak-rss",
  value: rssMb,
  unit: "MiB",
  baseline: { name: "v8.heap-limit", value: heapLimitMb, unit: "MiB" },
  ratio: rssMb / heapLimitMb,
  note: "peak resident memory of the bench process, the 100k-result reports included",
});

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
const line = (cells: string[]) =>
  cells
    .map((c, i) => c.padEnd(widths[i]!))
    .join("  ")
    .trimEnd();
const table = [line(["figure", "value", "baseline", "ratio"]), ...rows.map(line)].join("\n");
process.stdout.write(`${table}\n`);

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

if (values.readme) {
  const readmePath = join(ROOT, "README.md");
  const readme = readFileSync(readmePath, "utf8");
  const start = "<!-- bench:start -->";
  const end = "<!-- bench:end -->";
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) {
    process.stderr.write(`README.md has no ${start} ... ${end} block: not updated\n`);
    process.exitCode = 1;
  } else {
    const block = `${start}\n\`\`\`\n${table}\n\`\`\`\n\nNode ${process.version}, ${new Date().toISOString().slice(0, 10)}.\n`;
    writeFileSync(readmePath, readme.slice(0, from) + block + readme.slice(to));
    process.stdout.write("wrote the table into README.md\n");
  }
}
