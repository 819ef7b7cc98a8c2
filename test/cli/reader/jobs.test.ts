// `evaluate --jobs N`: worker threads and the main thread evaluate, the main thread writes in
// input order, so the report and the messages are byte for byte those of `--jobs 1`, bad elements
// included. The runs use the compiled CLI (dist/lib, what bin/compliance.mjs runs, rebuilt by the
// test run's global setup when a source is newer): its worker threads load JavaScript, where the
// TypeScript sources' workers would each start tsx and compile every module again.

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { defaultJobs, PARALLEL_THRESHOLD } from "../../../cli/parallel/pool.ts";
import { FIXTURES, loadFixtures } from "../../support/fixtures.ts";
import { compiled } from "../../support/library.ts";
import { type EvaluateModules, runEvaluateWith } from "./run-evaluate.ts";

const modules: EvaluateModules = {
  ...(await compiled<typeof import("../../../cli/commands/evaluate.ts")>("cli/commands/evaluate.ts")),
  ...(await compiled<typeof import("../../../cli/errors.ts")>("cli/errors.ts")),
  ...(await compiled<typeof import("../../../engine/errors.ts")>("engine/errors.ts")),
};
const runEvaluate = (args: string[]) => runEvaluateWith(modules, args);

const dir = mkdtempSync(join(tmpdir(), "compliance-jobs-"));
const items = loadFixtures("ci").map((f) => f.raw);
// Every real item (several batches of 64 elements), with broken elements here and there; an NDJSON file with a bad line.
const snapshot = join(dir, "snapshot.json.gz");
writeFileSync(
  snapshot,
  gzipSync(
    `{"fileVersion":"1.0","configurationItems":[${items
      .map((item, i) => (i % 97 === 5 ? '{"broken": ' : i % 89 === 3 ? "17" : JSON.stringify(item)))
      .join(",")}]}`,
  ),
);
const lines = join(dir, "items.jsonl");
writeFileSync(
  lines,
  `${items
    .slice(0, 40)
    .map((i) => JSON.stringify(i))
    .join("\n")}\nnot json\n`,
);

describe("--jobs", () => {
  // Each worker thread starts and loads the catalogue: slow on a loaded machine, hence the long
  // timeout.
  it.each(["json", "table"])(
    "writes the same %s report and messages with 1, 2 and 3 threads",
    async (format) => {
      const args = [snapshot, join(FIXTURES, "events"), lines, "--format", format];
      const one = await runEvaluate([...args, "--jobs", "1"]);
      expect(one.stdout.length).toBeGreaterThan(10_000);
      expect(one.stderr.split("\n").length).toBeGreaterThan(5);
      for (const jobs of ["2", "3"]) {
        const many = await runEvaluate([...args, "--jobs", jobs]);
        expect(many.stdout).toBe(one.stdout);
        expect(many.stderr).toBe(one.stderr);
        expect(many.code).toBe(one.code);
      }
    },
    300_000,
  );

  it("defaults to one thread for small inputs and stdin, every core for large ones", () => {
    const plan = (paths: string[]) => ({
      files: paths.map((path) => ({ path, lines: false })),
      skipped: [],
      accountsFiles: [],
      directories: [],
    });
    expect(defaultJobs(plan(["a.json"]), () => 1024)).toBe(1);
    expect(defaultJobs(plan(["a.json", "-"]), () => PARALLEL_THRESHOLD)).toBe(1);
    expect(defaultJobs(plan(["a.json"]), () => PARALLEL_THRESHOLD)).toBeGreaterThanOrEqual(1);
    // A gzipped snapshot counts for what it expands to.
    expect(defaultJobs(plan(["a.json.gz"]), () => PARALLEL_THRESHOLD / 10)).toBe(
      defaultJobs(plan(["a.json"]), () => PARALLEL_THRESHOLD),
    );
  });

  it("rejects a --jobs that is not a count", async () => {
    const run = await runEvaluate([lines, "--jobs", "many"]);
    expect([run.code, run.stderr]).toEqual([
      2,
      'compliance evaluate: --jobs: "many" is not a number of threads from 1 to 256\n',
    ]);
  });
});
