// The CLI's commands, in the order `compliance --help` lists them.

import type { Command } from "../command.ts";
import { catalogueCommand } from "./catalogue.ts";
import { diffCommand } from "./diff.ts";
import { evaluateCommand } from "./evaluate.ts";
import { scpCommand } from "./scp.ts";
import { synthCommand } from "./synth.ts";
import { testCommand } from "./test.ts";
import { validateCommand } from "./validate.ts";

export const COMMANDS: Command[] = [
  validateCommand,
  testCommand,
  evaluateCommand,
  catalogueCommand,
  scpCommand,
  synthCommand,
  diffCommand,
];
