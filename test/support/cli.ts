// Runs the `compliance` CLI two ways. `cli` starts it as a separate process, as a user would: for
// the smoke tests and what only a real process shows (the launcher, exit codes set on the process,
// signals, pipes). `runCli` runs the same dispatch (cli/run.ts: arguments, streams, exit code) in
// this process: no Node start-up and no catalogue load per call, so most CLI tests use it.

import { spawnSync } from "node:child_process";
import { Readable, Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { main } from "../../cli/run.ts";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = fileURLToPath(new URL("../../bin/compliance.mjs", import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function cli(args: string[], options: { cwd?: string; input?: string } = {}): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    encoding: "utf8",
    input: options.input ?? "",
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** A stream that keeps what is written to it; not a terminal, like the pipe `cli` reads. */
class Capture extends Writable {
  text = "";
  override _write(chunk: Buffer | string, _encoding: string, done: () => void): void {
    this.text += String(chunk);
    done();
  }
}

/**
 * `compliance ARGS` in this process, with what `-` reads as `input` (default: nothing), the real
 * clock, and `cwd` as the working directory. A few commands resolve or display paths against the
 * process's own working directory, so with `cwd` given the process changes into it for the call
 * and back after (test files run in their own processes; their tests one at a time).
 */
export async function runCli(
  args: string[],
  options: { cwd?: string; input?: string } = {},
): Promise<CliResult> {
  const stdout = new Capture();
  const stderr = new Capture();
  const cwd = options.cwd ?? ROOT;
  const previous = process.cwd();
  if (cwd !== previous) process.chdir(cwd);
  try {
    const code = await main(args, {
      stdout,
      stderr,
      stdin: Readable.from([Buffer.from(options.input ?? "")]),
      now: () => new Date(),
      cwd,
    });
    return { code, stdout: stdout.text, stderr: stderr.text };
  } finally {
    if (cwd !== previous) process.chdir(previous);
  }
}
