// Runs the built bundle in a new `node` process with exactly the environment given (nothing
// inherited), feeds it events and collects what it returned and what it printed.

import { spawn } from "node:child_process";
import type { Readable, Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { BUNDLE } from "./bundle.ts";
import type { RuleOutcome } from "./lambda.ts";

const WORKER = fileURLToPath(new URL("./process-worker.mjs", import.meta.url));

export interface ProcessRun {
  exitCode: number | null;
  exports: string[];
  results: ({ outcome: RuleOutcome } | { error: { name: string; message: string } })[];
  stdout: string;
  stderr: string;
}

export function runInFreshProcess(env: Record<string, string>, events: unknown[]): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WORKER, BUNDLE], {
      env,
      stdio: ["pipe", "pipe", "pipe", "pipe"],
    });
    const text = { stdout: "", stderr: "", results: "" };
    child.stdout.on("data", (d: Buffer) => (text.stdout += d));
    child.stderr.on("data", (d: Buffer) => (text.stderr += d));
    (child.stdio[3] as Readable).on("data", (d: Buffer) => (text.results += d));
    child.on("error", reject);
    child.on("close", (exitCode) => {
      const lines = text.results
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      const head = lines.shift() as { exports?: string[] } | undefined;
      resolve({
        exitCode,
        exports: head?.exports ?? [],
        results: lines as ProcessRun["results"],
        stdout: text.stdout,
        stderr: text.stderr,
      });
    });
    const stdin = child.stdin as Writable;
    for (const event of events) stdin.write(`${JSON.stringify(event)}\n`);
    stdin.end();
  });
}
