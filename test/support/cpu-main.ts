// Optional vitest global setup (enabled by SUITE_CPU_LOG=<file>): when the run ends, appends the
// main vitest process's own CPU time (`"main"`: its start, configuration, global setups, module
// transforms for the workers, reporting) to the same file as the per-file lines
// (test/support/cpu-per-file.ts). Children are left out: the worker processes are not reaped yet
// when global teardowns run. A measuring aid; it asserts nothing and changes no test.

import { appendFileSync } from "node:fs";
import { canMeasureCpu, processCpuS } from "./proc-cpu.ts";

export default function setup(): (() => void) | undefined {
  const log = process.env.SUITE_CPU_LOG;
  if (!log || !canMeasureCpu()) return undefined;
  return () => {
    const { self, children } = processCpuS();
    appendFileSync(log, `${JSON.stringify({ main: process.pid, selfS: self, childrenS: children })}\n`);
  };
}
