// What every CLI command implements. A command parses its own arguments, writes to the
// streams it is given, and returns its exit code; it never calls process.exit.

import type { Readable, Writable } from "node:stream";

export interface CommandIo {
  /** What `-` reads (default: the process's stdin). */
  stdin?: Readable;
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  /** The clock, so tests can pin it. */
  now: () => Date;
  cwd: string;
}

export interface Command {
  name: string;
  /** One line for `compliance --help`. */
  summary: string;
  /** Usage line(s) shown on bad usage and by `compliance <command> --help`. */
  usage: string;
  run(args: string[], io: CommandIo): Promise<number>;
}
