// The top-level help text, from the commands' names and summaries. Light on purpose: the launcher
// prints it from the list the build recorded (dist/lib/cli/commands.json) without loading any
// command, so `compliance --help` starts at once.

export interface CommandSummary {
  name: string;
  summary: string;
  usage: string;
}

export function renderHelp(commands: readonly Pick<CommandSummary, "name" | "summary">[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    "usage: compliance <command> [options]",
    "",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Run `compliance <command> --help` for a command's options.",
  ].join("\n");
}

/** Whether the arguments only ask for help (answered without loading the commands). */
export function helpRequest(
  argv: readonly string[],
  commands: readonly CommandSummary[],
): { text: string; code: number } | undefined {
  const [name, ...args] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    return { text: renderHelp(commands), code: name ? 0 : 2 };
  }
  const command = commands.find((c) => c.name === name);
  if (command && (args.includes("--help") || args.includes("-h"))) return { text: command.usage, code: 0 };
  return undefined;
}
