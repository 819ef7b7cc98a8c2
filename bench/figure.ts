// What every bench file returns: figures, each a ratio against a baseline measured in the same
// run (so machine and load cancel out), and the timing helpers they share.

import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** One benchmark figure (bench/results.json). */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  baseline: { name: string; value: number; unit: string };
  /** value / baseline.value */
  ratio: number;
  note: string;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** CPU time (user + system) of this process so far, in milliseconds. */
export function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * Median CPU time of `fn` in milliseconds over `runs` runs, after a warm-up run. CPU time, not
 * wall time: on a machine shared with other work, wall time measures the neighbours.
 */
export function time(fn: () => void, runs = 5, warmUp = true): number {
  if (warmUp) fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = cpuMs();
    fn();
    samples.push(cpuMs() - start);
  }
  return median(samples);
}

/** Rounds `fastestInTurns` runs. */
export const ROUNDS = 9;

/**
 * CPU time in milliseconds of each of `fns`, run in turns for `rounds` rounds after `warmUpRounds`
 * untimed ones: each function's fastest round. For figures that are a ratio of two measurements:
 * on a shared machine the load changes during a run, and taken in turns both sides see the same
 * load.
 */
export function fastestInTurns(fns: readonly (() => void)[], rounds = ROUNDS, warmUpRounds = 1): number[] {
  for (let round = 0; round < warmUpRounds; round++) for (const fn of fns) fn();
  const best = fns.map(() => Number.POSITIVE_INFINITY);
  for (let round = 0; round < rounds; round++) {
    fns.forEach((fn, i) => {
      const start = cpuMs();
      fn();
      best[i] = Math.min(best[i]!, cpuMs() - start);
    });
  }
  return best;
}

/** Two measurements as one figure. */
export function figure(
  name: string,
  value: number,
  unit: string,
  baseline: { name: string; value: number; unit?: string },
  note: string,
): Figure {
  return {
    name,
    value,
    unit,
    baseline: { name: baseline.name, value: baseline.value, unit: baseline.unit ?? unit },
    ratio: value / baseline.value,
    note,
  };
}

/**
 * Runs `script` (an ES module) in a new process of `node` with `env` added to this process's
 * environment; the script writes its measurements as a JSON array of numbers to the file named
 * by RESULT_FILE (in `dir`), which are returned. Its stdout (a handler's logs) is dropped.
 */
export function runChild(
  script: string,
  env: Record<string, string>,
  dir: string,
  node = process.execPath,
): Promise<number[]> {
  const resultFile = join(dir, `result-${Math.random().toString(36).slice(2)}.json`);
  return new Promise((resolve, reject) => {
    const child = spawn(node, ["--input-type=module", "-e", script], {
      env: { ...process.env, ...env, RESULT_FILE: resultFile },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += String(d);
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) reject(new Error(`benchmark child exited ${code}: ${stderr.slice(-500)}`));
      else resolve(JSON.parse(readFileSync(resultFile, "utf8")) as number[]);
    });
  });
}
