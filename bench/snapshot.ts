// A gzipped organisation snapshot through the CLI as a user runs it (`compliance evaluate
// SNAPSHOT --format json --out FILE`, a new process), against a process that only gunzips and
// JSON.parses the whole file: CPU time, wall time and peak resident memory of each, as the process
// itself reports them at exit. One core (`--jobs 1`) is compared by CPU time; two threads
// (`--jobs 2`: a worker and the main thread) by wall time, which is what more cores buy.
// The wall time of `--jobs 1` is reported too (gunzip runs on the thread pool beside it). The
// snapshot holds the sample organisation's items, each with its own resource id;
// BENCH_SNAPSHOT_ITEMS sets its size (default 200,000 items). Each report is checked to hold a
// record per item.

import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type Figure, figure, median } from "./figure.ts";
import { snapshot as snapshotOf } from "./reader.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const ITEMS = Number(process.env.BENCH_SNAPSHOT_ITEMS ?? 200_000);
const RUNS = 3;

/** Preloaded into each child: at exit it writes its CPU time and peak RSS to USAGE_FILE. */
const USAGE_HOOK = `
import { writeFileSync } from "node:fs";
process.on("exit", () => {
  const u = process.resourceUsage();
  writeFileSync(process.env.USAGE_FILE, JSON.stringify({ cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, wallMs: performance.now(), maxRssMb: u.maxRSS / 1024 }));
});
`;

const PARSE_ONLY = `
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
const doc = JSON.parse(gunzipSync(readFileSync(process.env.SNAPSHOT)).toString("utf8"));
if (!Array.isArray(doc.configurationItems)) process.exit(3);
`;

interface Usage {
  cpuMs: number;
  /** From the process's start to its exit. */
  wallMs: number;
  maxRssMb: number;
}

function run(dir: string, args: string[], env: Record<string, string> = {}): Usage {
  const usageFile = join(dir, "usage.json");
  const result = spawnSync(
    process.execPath,
    ["--import", pathToFileURL(join(dir, "hook.mjs")).href, ...args],
    {
      cwd: ROOT,
      env: { ...process.env, ...env, USAGE_FILE: usageFile },
      stdio: ["ignore", "ignore", "pipe"],
      encoding: "utf8",
    },
  );
  if (result.status !== 0 && result.status !== 1) {
    throw new Error(`snapshot bench child exited ${result.status}: ${result.stderr.slice(-400)}`);
  }
  return JSON.parse(readFileSync(usageFile, "utf8")) as Usage;
}

/**
 * A report's records: one line each, starting `{"resourceType"`; one per item, else the run lost
 * some. Read in chunks: a child's peak RSS as Linux reports it starts from this process's at the
 * fork, so this process must not hold the report.
 */
function checkRecords(file: string): void {
  const marker = Buffer.from('\n{"resourceType"');
  const chunk = Buffer.alloc(1024 * 1024 + marker.length);
  const fd = openSync(file, "r");
  let count = 0;
  let carry = 0;
  try {
    for (;;) {
      const read = readSync(fd, chunk, carry, chunk.length - carry, null);
      if (read === 0) break;
      const end = carry + read;
      const view = chunk.subarray(0, end);
      for (let i = view.indexOf(marker); i !== -1; i = view.indexOf(marker, i + 1)) count++;
      // The last bytes may start a marker the next chunk completes.
      carry = Math.min(marker.length - 1, end);
      chunk.copy(chunk, 0, end - carry, end);
    }
  } finally {
    closeSync(fd);
  }
  if (count !== ITEMS) throw new Error(`the report holds ${count} records for ${ITEMS} items`);
}

export async function figures(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), "bench-snapshot-"));
  try {
    writeFileSync(join(dir, "hook.mjs"), USAGE_HOOK);
    const snapshot = join(dir, "snapshot.json.gz");
    writeFileSync(snapshot, snapshotOf(ITEMS));
    const evaluateArgs = (jobs: number) => [
      join(ROOT, "bin/compliance.mjs"),
      "evaluate",
      snapshot,
      "--format",
      "json",
      "--out",
      join(dir, "out.json"),
      "--jobs",
      String(jobs),
    ];
    const cli: Usage[] = [];
    const parallel: Usage[] = [];
    const parse: Usage[] = [];
    // Interleaved, so that a change in the machine's load falls on all three alike.
    for (let i = 0; i < RUNS; i++) {
      cli.push(run(dir, evaluateArgs(1)));
      if (i === 0) checkRecords(join(dir, "out.json"));
      parallel.push(run(dir, evaluateArgs(2)));
      if (i === 0) checkRecords(join(dir, "out.json"));
      parse.push(run(dir, ["--input-type=module", "-e", PARSE_ONLY], { SNAPSHOT: snapshot }));
    }
    const cpu = (list: Usage[]) => median(list.map((u) => u.cpuMs));
    const wall = (list: Usage[]) => median(list.map((u) => u.wallMs));
    const rss = (list: Usage[]) => median(list.map((u) => u.maxRssMb));
    return [
      figure(
        "snapshot.evaluate.json-out",
        cpu(cli),
        "ms CPU",
        { name: "snapshot.gunzip+JSON.parse", value: cpu(parse) },
        `${ITEMS}-item gzipped snapshot, \`compliance evaluate --format json --out --jobs 1\` (a new process: start-up, reading, evaluation, writing) against gunzip + JSON.parse of the file; median of ${RUNS}`,
      ),
      figure(
        "snapshot.evaluate.json-out.wall",
        wall(cli),
        "ms wall",
        { name: "snapshot.gunzip+JSON.parse.wall", value: wall(parse) },
        `the same \`--jobs 1\` runs by wall time (gunzip on the thread pool beside the main thread); median of ${RUNS}`,
      ),
      figure(
        "snapshot.evaluate.json-out.jobs-2",
        wall(parallel),
        "ms wall",
        { name: "snapshot.gunzip+JSON.parse.wall", value: wall(parse) },
        `the same with \`--jobs 2\` (a worker thread and the main thread evaluate; the main thread also reads and writes), wall time against the wall time of gunzip + JSON.parse; median of ${RUNS}`,
      ),
      figure(
        "snapshot.evaluate.peak-rss",
        rss(cli),
        "MiB",
        { name: "snapshot.gunzip+JSON.parse.peak-rss", value: rss(parse) },
        "peak resident memory of the same processes (`--jobs 1`)",
      ),
      figure(
        "snapshot.evaluate.jobs-2.peak-rss",
        rss(parallel),
        "MiB",
        { name: "snapshot.gunzip+JSON.parse.peak-rss", value: rss(parse) },
        "peak resident memory with `--jobs 2`",
      ),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
