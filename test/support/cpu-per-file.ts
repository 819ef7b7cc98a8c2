// Optional vitest setup file (enabled by SUITE_CPU_LOG=<file>): appends, for each test file, the
// CPU time its worker process spent on it, spawned and reaped children included (Linux
// /proc/self/stat: utime, stime, cutime, cstime), one JSON line per file. A measuring aid for
// finding the costly test files; it asserts nothing and changes no test.

import { appendFileSync, readFileSync } from "node:fs";
import { afterAll, expect } from "vitest";

const TICKS_PER_SECOND = 100;

function cpuTicks(): { self: number; children: number } {
  // Fields after the command name (which may hold spaces) start after the last ")".
  const stat = readFileSync("/proc/self/stat", "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // fields[0] is field 3 (state); utime is field 14, stime 15, cutime 16, cstime 17.
  const n = (field: number) => Number(fields[field - 3]);
  return { self: n(14) + n(15), children: n(16) + n(17) };
}

const log = process.env.SUITE_CPU_LOG;
if (log) {
  const start = cpuTicks();
  const wallStart = performance.now();
  afterAll(() => {
    const end = cpuTicks();
    const file = expect.getState().testPath ?? "unknown";
    appendFileSync(
      log,
      `${JSON.stringify({
        file,
        selfS: (end.self - start.self) / TICKS_PER_SECOND,
        childrenS: (end.children - start.children) / TICKS_PER_SECOND,
        wallS: (performance.now() - wallStart) / 1000,
      })}\n`,
    );
  });
}
