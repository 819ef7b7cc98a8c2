// Benchmark of the test suite: the CPU time (user + system, of vitest and every process it starts)
// of `vitest run` over the whole suite, and of all of `npm test` (that run plus `npm run check`,
// Biome and tsc, and `npm run audit`), against `vitest run` with no test file (vitest's own
// start-up: config, global setups). The target is `npm test` under 2 minutes of CPU on a 2-core
// machine. The whole run is split (test/support/cpu-per-file.ts and cpu-main.ts, SUITE_CPU_LOG)
// into the test files' own CPU and the fixed costs around them: the main vitest process (start,
// module transforms for the worker, reporting), the worker's start and vitest's work between
// files, npx. CPU time of reaped child processes is read from /proc (Linux); elsewhere the
// figures are left out.

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
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

function run(args: string[], cpuLog?: string): { cpuS: number; wallS: number; summary: string } {
  const cpu = childrenCpuS();
  const start = performance.now();
  const result = spawnSync(process.execPath, [VITEST, "run", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: {
      ...process.env,
      NO_COLOR: "1",
      FORCE_COLOR: "0",
      CI: "1",
      ...(cpuLog ? { SUITE_CPU_LOG: cpuLog } : {}),
    },
    maxBuffer: 256 * 1024 * 1024,
  });
  const wallS = (performance.now() - start) / 1000;
  const summary = /^\s*Tests\s+(.*)$/m.exec(result.stdout)?.[1]?.trim() ?? `exit ${result.status}`;
  return { cpuS: childrenCpuS() - cpu, wallS, summary };
}

interface CpuSplit {
  /** The test files' own CPU (their worker's, and their reaped children's, while each ran). */
  filesS: number;
  /** The main vitest process's own CPU. */
  mainS: number;
  /** The workers' CPU outside the files: their start and vitest's work between files. */
  workersOutsideS: number;
}

/** The lines of test/support/cpu-per-file.ts and cpu-main.ts, summed. */
export function cpuSplit(log: string): CpuSplit | undefined {
  if (!existsSync(log)) return undefined;
  let filesS = 0;
  let mainS = 0;
  const workers = new Map<number, number>();
  for (const line of readFileSync(log, "utf8").split("\n")) {
    if (!line) continue;
    const entry = JSON.parse(line) as {
      file?: string;
      main?: number;
      selfS: number;
      childrenS: number;
      workerPid?: number;
      workerS?: number;
    };
    if (entry.file !== undefined) {
      filesS += entry.selfS + entry.childrenS;
      // The worker's running total: its last line is the largest.
      if (entry.workerPid !== undefined && entry.workerS !== undefined) {
        workers.set(entry.workerPid, Math.max(workers.get(entry.workerPid) ?? 0, entry.workerS));
      }
    } else if (entry.main !== undefined) mainS += entry.selfS;
  }
  const workersS = [...workers.values()].reduce((sum, s) => sum + s, 0);
  return { filesS, mainS, workersOutsideS: workersS - filesS };
}

export async function figures(): Promise<Figure[]> {
  if (!existsSync(STAT)) {
    process.stderr.write("bench: no /proc (not Linux): no test-suite CPU figure\n");
    return [];
  }
  const start = run(["--passWithNoTests", "bench-test-suite-matches-no-file"]);
  const check = npmScript("check");
  const audit = npmScript("audit");
  const logDir = mkdtempSync(join(tmpdir(), "bench-test-suite-"));
  const cpuLog = join(logDir, "cpu.jsonl");
  const suite = run([], cpuLog);
  const split = cpuSplit(cpuLog);
  rmSync(logDir, { recursive: true, force: true });
  const all = check.cpuS + audit.cpuS + suite.cpuS;
  const failed = [check.ok ? "" : " check FAILED", audit.ok ? "" : " audit FAILED"].join("");
  const figures: Figure[] = [
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
  if (split) {
    const outside = suite.cpuS - split.filesS;
    figures.push({
      name: "test-suite.outside-files.cpu",
      value: outside,
      unit: "s CPU",
      baseline: { name: "vitest.start (no test file)", value: start.cpuS, unit: "s CPU" },
      ratio: outside / start.cpuS,
      note: `the whole run less the test files' own ${split.filesS.toFixed(1)} s: main vitest process ${split.mainS.toFixed(1)} s, worker outside the files ${split.workersOutsideS.toFixed(1)} s, the rest ${(outside - split.mainS - split.workersOutsideS).toFixed(1)} s (processes not reaped by a file, the worker's exit)`,
    });
  }
  return figures;
}
