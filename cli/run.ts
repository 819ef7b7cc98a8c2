// The `compliance` CLI as a function: dispatches to a command, turns errors into one-line
// messages and exit codes (0 ok, 1 findings, 2 bad usage or unreadable input). cli/main.ts runs
// it on the process; tests run it in process.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describeError, InputError } from "../engine/errors.ts";
import { PACKAGE_ROOT } from "../loader/policy-files.ts";
import type { CommandIo } from "./command.ts";
import { COMMAND_LOADERS } from "./commands/registry.ts";
import { suggestion } from "./did-you-mean.ts";
import { describeFsError, EXIT, UsageError } from "./errors.ts";
import { renderHelp } from "./help.ts";

/** Every command loaded, for the overview (a command runs with only its own modules loaded). */
const help = async (): Promise<string> => renderHelp((await import("./commands/index.ts")).COMMANDS);

/** The package's version (package.json at the package root, from source or built). */
export function version(): string {
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string };
  return pkg.version;
}

/** File-system errors a user causes (a wrong path, no permission, a full disk): never "internal". */
const USER_FS_ERRORS = new Set([
  "ENOENT",
  "ENOTDIR",
  "EISDIR",
  "EEXIST",
  "EACCES",
  "EPERM",
  "EROFS",
  "ENOSPC",
  "ENAMETOOLONG",
  "ELOOP",
]);

export async function main(argv: string[], io: CommandIo): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    io.stdout.write(`${await help()}\n`);
    return name ? EXIT.OK : EXIT.USAGE;
  }
  if (name === "--version" || name === "-V" || name === "version") {
    io.stdout.write(`${version()}\n`);
    return EXIT.OK;
  }
  const entry = COMMAND_LOADERS.find((c) => c.name === name);
  if (!entry) {
    const names = COMMAND_LOADERS.map((c) => c.name);
    const what = name.startsWith("-") ? "option" : "command";
    io.stderr.write(
      `compliance: unknown ${what} "${name}"${suggestion(name, names)}; commands: ${names.join(", ")} (compliance --help)\n`,
    );
    return EXIT.USAGE;
  }
  const command = await entry.load();
  if (args.includes("--help") || args.includes("-h")) {
    io.stdout.write(`${command.usage}\n`);
    return EXIT.OK;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof InputError) {
      const source = error instanceof InputError && error.source ? `${error.source}: ` : "";
      io.stderr.write(`compliance ${name}: ${source}${describeError(error)}\n`);
      return EXIT.USAGE;
    }
    const fs = error as NodeJS.ErrnoException;
    if (fs.code?.startsWith("ERR_PARSE_ARGS")) {
      // A case cli/args.ts did not foresee: still one line, without Node's quoting.
      io.stderr.write(`compliance ${name}: ${fs.message.replace(/'/g, "")} (compliance ${name} --help)\n`);
      return EXIT.USAGE;
    }
    if (fs.code && USER_FS_ERRORS.has(fs.code) && fs.path) {
      io.stderr.write(`compliance ${name}: ${fs.path}: ${describeFsError(error)}\n`);
      return EXIT.USAGE;
    }
    // A fault of ours: still one line, with the stack only when asked for.
    io.stderr.write(`compliance ${name}: internal error: ${describeError(error)}\n`);
    if (process.env.COMPLIANCE_DEBUG) io.stderr.write(`${(error as Error).stack ?? ""}\n`);
    return EXIT.USAGE;
  }
}
