// The `compliance` CLI entry point: dispatches to a command, turns errors into one-line
// messages and exit codes (0 ok, 1 findings, 2 bad usage or unreadable input).

import { describeError, InputError } from "../engine/errors.ts";
import type { CommandIo } from "./command.ts";
import { COMMANDS } from "./commands/index.ts";
import { EXIT, UsageError } from "./errors.ts";
import { renderHelp } from "./help.ts";

const help = (): string => renderHelp(COMMANDS);

export async function main(argv: string[], io: CommandIo): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    io.stdout.write(`${help()}\n`);
    return name ? EXIT.OK : EXIT.USAGE;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`compliance: unknown command "${name}"\n${help()}\n`);
    return EXIT.USAGE;
  }
  if (args.includes("--help") || args.includes("-h")) {
    io.stdout.write(`${command.usage}\n`);
    return EXIT.OK;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (
      error instanceof UsageError ||
      error instanceof InputError ||
      (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")
    ) {
      const source = error instanceof InputError && error.source ? `${error.source}: ` : "";
      io.stderr.write(`compliance ${name}: ${source}${describeError(error)}\n`);
      if (!(error instanceof InputError)) io.stderr.write(`${command.usage}\n`);
      return EXIT.USAGE;
    }
    // A fault of ours: still one line, with the stack only when asked for.
    io.stderr.write(`compliance ${name}: internal error: ${describeError(error)}\n`);
    if (process.env.COMPLIANCE_DEBUG) io.stderr.write(`${(error as Error).stack ?? ""}\n`);
    return EXIT.USAGE;
  }
}

// The reader of stdout went away (`compliance evaluate | head`): stop without a stack trace.
// The report was not delivered, so this is not a success (exit 2, or the code already decided).
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") process.stderr.write(`compliance: cannot write the output: ${error.message}\n`);
  process.exit(process.exitCode ?? EXIT.USAGE);
});

const code = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  now: () => new Date(),
  cwd: process.cwd(),
});
// Let pending writes to a pipe drain before exiting.
process.exitCode = code;
