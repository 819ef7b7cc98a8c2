// The commands by name, each loaded only when it runs: a command's modules (the template engine,
// the deployment generators, the pattern checker, the policy compiler) cost start-up time that
// another command should not pay. The order is `compliance --help`'s (cli/commands/index.ts loads
// them all; a test checks that each name is its command's own).

import type { Command } from "../command.ts";

export const COMMAND_LOADERS: readonly { name: string; load(): Promise<Command> }[] = [
  { name: "validate", load: async () => (await import("./validate.ts")).validateCommand },
  { name: "test", load: async () => (await import("./test.ts")).testCommand },
  { name: "evaluate", load: async () => (await import("./evaluate.ts")).evaluateCommand },
  { name: "catalogue", load: async () => (await import("./catalogue.ts")).catalogueCommand },
  { name: "scp", load: async () => (await import("./scp.ts")).scpCommand },
  { name: "synth", load: async () => (await import("./synth.ts")).synthCommand },
  { name: "diff", load: async () => (await import("./diff.ts")).diffCommand },
];
