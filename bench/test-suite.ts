// Benchmark of the test suite: the CPU time (user + system, of vitest and every process it starts)
// of `vitest run` over the whole suite, and of all of `npm test` (that run plus `npm run check`,
// Biome and tsc, and `npm run audit`), against `vitest run` with no test file (vitest's own
// start-up: config, global setups). The target is `npm test` under 2 minutes of CPU on a 2-core
// machine. CPU time of reaped child processes is read from /proc (Linux); elsewhere the figures
// are left out.

import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Figure } from "./figure.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const VITEST = join(ROOT, "node_modules/vitest/vitest.mjs");
const STAT = "/proc/self/stat";

/** CPU seconds of this process's reaped children so far (cutime + cstime, in clock ticks of 1/100 s). */
function childrenCpuS(): number {
  const stat = readFileSync(STAT, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[16 - 3]) + Number(fields[17 - 3])) / 100;
}

/** CPU and wall seconds of `npm run SCRIPT` (npm itself included). */
function npmScript(script: string): { cpuS: number; wallS: number; ok: boolean } {
  const cpu = childrenCpuS();
  const start = performance.now();
  const result = spawnSync("npm", ["run", "--silent", script], { cwd: ROOT, stdio: "ignore" });
  return { cpuS: childrenCpuS() - cpu, wallS: (performance.now() - start) / 1000, ok: result.status === 0 };
}

function run(args: string[]): { cpuS: number; wallS: number; summary: string } {
  const cpu = childrenCpuS();
  const start = performance.now();
  const result = spawnSync(process.execPath, [VITEST, "run", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", CI: "1" },
    maxBuffer: 256 * 1024 * 1024,
  });
  const wallS = (performance.now() - start) / 1000;
  const summary = /^\s*Tests\s+(.*)$/m.exec(result.stdout)?.[1]?.trim() ?? `exit ${result.status}`;
  return { cpuS: childrenCpuS() - cpu, wallS, summary };
}

export async function figures(): Promise<Figure[]> {
  if (!existsSync(STAT)) {
    process.stderr.write("bench: no /proc (not Linux): no test-suite CPU figure\n");
    return [];
  }
  const start = run(["--passWithNoTests", "bench-test-suite-matches-no-file"]);
  const check = npmScript("check");
  const audit = npmScript("audit");
  const suite = run([]);
  const all = check.cpuS + audit.cpuS + suite.cpuS;
  const failed = [check.ok ? "" : " check FAILED", audit.ok ? "" : " audit FAILED"].join("");
  return [
    {
      name: "test-suite.cpu",
      value: suite.cpuS,
      unit: "s CPU",
      baseline: { name: "vitest.start (no test file)", value: start.cpuS, unit: "s CPU" },
      ratio: suite.cpuS / start.cpuS,
      note: `vitest run, the whole suite (${suite.summary}), ${Math.round(suite.wallS)} s wall`,
    },
    {
      name: "npm-test.cpu",
      value: all,
      unit: "s CPU",
      baseline: { name: "vitest.start (no test file)", value: start.cpuS, unit: "s CPU" },
      ratio: all / start.cpuS,
      note: `npm test: check ${check.cpuS.toFixed(1)} s + audit ${audit.cpuS.toFixed(1)} s + vitest run ${suite.cpuS.toFixed(1)} s CPU, ${Math.round(check.wallS + audit.wallS + suite.wallS)} s wall${failed}; target under 120 s CPU`,
    },
  ];
}
