// The CLI's commands, every one loaded, in the order `compliance --help` lists them: for the
// overview and the build's list of summaries (a command that runs loads only itself, through
// ./registry.ts, which holds the names and the order).

import type { Command } from "../command.ts";
import { COMMAND_LOADERS } from "./registry.ts";

export const COMMANDS: Command[] = await Promise.all(COMMAND_LOADERS.map((entry) => entry.load()));
