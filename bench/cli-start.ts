// Benchmark of the built CLI's start-up: `compliance --help` in a new process against `node -e 0`
// in a new process, medians of alternating runs (so load on the machine hits both alike).
// Needs the build (`npm run build:lib`; `npm ci` runs it): without it the figure says so.

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Figure } from "./config-rule.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const RUNS = 15;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

function wallMs(args: string[]): number {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.status !== 0) throw new Error(`node ${args.join(" ")} exited ${run.status}: ${run.stderr}`);
  return ms;
}

export function cliStartFigures(): Figure[] {
  if (!existsSync(join(ROOT, "dist/lib/cli/launch.js"))) {
    process.stderr.write("bench: dist/lib is not built (npm run build:lib): no CLI start-up figure\n");
    return [];
  }
  const cli: number[] = [];
  const bare: number[] = [];
  wallMs(["bin/compliance.mjs", "--help"]);
  for (let i = 0; i < RUNS; i++) {
    bare.push(wallMs(["-e", "0"]));
    cli.push(wallMs(["bin/compliance.mjs", "--help"]));
  }
  const value = median(cli);
  const baseline = median(bare);
  return [
    {
      name: "cli.help-start",
      value,
      unit: "ms",
      baseline: { name: "node.start (node -e 0)", value: baseline, unit: "ms" },
      ratio: value / baseline,
      note: `median of ${RUNS} alternating runs; the built CLI (dist/lib), target within 3x`,
    },
  ];
}
