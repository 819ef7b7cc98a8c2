// Runs `compliance evaluate` in this process (no CLI start-up), with captured stdout and stderr.

import { Readable, Writable } from "node:stream";
import { evaluateCommand } from "../../../cli/commands/evaluate.ts";
import { UsageError } from "../../../cli/errors.ts";
import { describeError, InputError } from "../../../engine/errors.ts";
import { ROOT } from "../../support/cli.ts";

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** Calls of stdout.write. */
  writes: number;
}

class Capture extends Writable {
  text = "";
  writes = 0;
  override _write(chunk: Buffer | string, _encoding: string, done: () => void): void {
    this.text += String(chunk);
    this.writes++;
    done();
  }
}

/** The modules a run uses: the TypeScript sources, or their compiled JavaScript (dist/lib). */
export interface EvaluateModules {
  evaluateCommand: typeof evaluateCommand;
  UsageError: typeof UsageError;
  InputError: typeof InputError;
  describeError: typeof describeError;
}

const SOURCES: EvaluateModules = { evaluateCommand, UsageError, InputError, describeError };

/** `evaluate ARGS`, with `stdin` as what `-` reads; input errors become exit 2 as in cli/main.ts. */
export function runEvaluate(args: string[], stdin?: string | Buffer | Readable): Promise<Run> {
  return runEvaluateWith(SOURCES, args, stdin);
}

/** `runEvaluate` with the given modules (the compiled ones: `--jobs` workers then run JavaScript). */
export async function runEvaluateWith(
  modules: EvaluateModules,
  args: string[],
  stdin?: string | Buffer | Readable,
): Promise<Run> {
  const { evaluateCommand, UsageError, InputError, describeError } = modules;
  const stdout = new Capture();
  const stderr = new Capture();
  const input =
    stdin === undefined
      ? Readable.from([])
      : stdin instanceof Readable
        ? stdin
        : Readable.from([Buffer.from(stdin)]);
  let code: number;
  try {
    code = await evaluateCommand.run(args, {
      stdout,
      stderr,
      stdin: input,
      now: () => new Date("2026-12-01T00:00:00Z"),
      cwd: ROOT,
    });
  } catch (error) {
    if (!(error instanceof InputError || error instanceof UsageError)) throw error;
    const source = error instanceof InputError && error.source ? `${error.source}: ` : "";
    stderr.text += `compliance evaluate: ${source}${describeError(error)}\n`;
    code = 2;
  }
  return { code, stdout: stdout.text, stderr: stderr.text, writes: stdout.writes };
}

export interface JsonReport {
  results: {
    resourceType: string;
    resourceId: string;
    accountId: string;
    compliance: string;
    required: unknown;
  }[];
  summary: { resources: number; inputErrors: number };
  problems: { source: string; message: string }[];
}

export const report = (run: Run) => JSON.parse(run.stdout) as JsonReport;

/** stderr as lines, checking that none is part of a stack trace. */
export function lines(stderr: string): string[] {
  if (/^\s+at /m.test(stderr)) throw new Error(`a stack trace on stderr:\n${stderr}`);
  return stderr.split("\n").filter((l) => l.length > 0);
}
