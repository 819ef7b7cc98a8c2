// Optional vitest setup file (enabled by SUITE_CPU_LOG=<file>): appends, for each test file, the
// CPU time its worker process spent on it, spawned and reaped children included, one JSON line per
// file, with the worker's whole CPU time so far (`workerS`: its start, vitest's own work between
// files, the files). With the main process's line (test/support/cpu-main.ts) this splits a run's
// CPU into the files and the fixed costs around them. A measuring aid for finding the costly
// parts; it asserts nothing and changes no test.

import { appendFileSync } from "node:fs";
import { afterAll, expect } from "vitest";
import { canMeasureCpu, processCpuS } from "./proc-cpu.ts";

const log = process.env.SUITE_CPU_LOG;
if (log && canMeasureCpu()) {
  const start = processCpuS();
  const wallStart = performance.now();
  afterAll(() => {
    const end = processCpuS();
    const file = expect.getState().testPath ?? "unknown";
    appendFileSync(
      log,
      `${JSON.stringify({
        file,
        selfS: end.self - start.self,
        childrenS: end.children - start.children,
        wallS: (performance.now() - wallStart) / 1000,
        workerPid: process.pid,
        workerS: end.self + end.children,
      })}\n`,
    );
  });
}
