// What bin/compliance.mjs runs. `--version` and help are answered from the package.json and the
// commands list the build recorded (dist/lib/cli/commands.json) without loading a command, so
// they start as fast as Node does; everything else loads the CLI (./main.ts).

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PACKAGE_ROOT } from "../loader/policy-files.ts";
import { type CommandSummary, helpRequest } from "./help.ts";

const argv = process.argv.slice(2);
const here = fileURLToPath(new URL(".", import.meta.url));

function answered(): boolean {
  if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-v")) {
    const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string };
    process.stdout.write(`${pkg.version}\n`);
    return true;
  }
  const recorded = join(here, "commands.json");
  if (!existsSync(recorded)) return false;
  const help = helpRequest(argv, JSON.parse(readFileSync(recorded, "utf8")) as CommandSummary[]);
  if (!help) return false;
  process.stdout.write(`${help.text}\n`);
  process.exitCode = help.code;
  return true;
}

if (!answered()) await import("./main.ts");
