// CPU time of this process from Linux /proc/self/stat, in seconds: its own (utime + stime) and
// that of its reaped child processes (cutime + cstime). The measuring aids of the test suite
// (SUITE_CPU_LOG) read it; elsewhere than Linux there is no such file and they log nothing.

import { existsSync, readFileSync } from "node:fs";

const STAT = "/proc/self/stat";
const TICKS_PER_SECOND = 100;

export const canMeasureCpu = (): boolean => existsSync(STAT);

export function processCpuS(): { self: number; children: number } {
  // Fields after the command name (which may hold spaces) start after the last ")".
  const stat = readFileSync(STAT, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // fields[0] is field 3 (state); utime is field 14, stime 15, cutime 16, cstime 17.
  const ticks = (field: number) => Number(fields[field - 3]);
  return {
    self: (ticks(14) + ticks(15)) / TICKS_PER_SECOND,
    children: (ticks(16) + ticks(17)) / TICKS_PER_SECOND,
  };
}
