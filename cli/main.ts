// The `compliance` CLI entry point: runs cli/run.ts on this process's arguments and streams.

import { EXIT } from "./errors.ts";
import { main } from "./run.ts";

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
