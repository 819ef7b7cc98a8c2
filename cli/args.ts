// Argument parsing for every command: Node's parseArgs underneath, but every mistake is one line
// in the project's words with the valid choices (unknown option with "did you mean", missing
// value, unexpected argument, a value outside its choices), and choices are case-insensitive.

import { parseArgs } from "node:util";
import { suggestion } from "./did-you-mean.ts";
import { UsageError } from "./errors.ts";

export interface OptionSpec {
  type: "string" | "boolean";
  /** What the value is, for messages: `--policies DIR`. */
  value?: string;
  /** The allowed values (matched case-insensitively; the value is returned as listed here). */
  choices?: readonly string[];
  multiple?: boolean;
}

export type Options = Record<string, OptionSpec>;

type Values<O extends Options> = {
  [K in keyof O]?: O[K]["type"] extends "boolean"
    ? boolean
    : O[K]["multiple"] extends true
      ? string[]
      : string;
};

export interface Parsed<O extends Options> {
  values: Values<O>;
  positionals: string[];
}

const optionList = (options: Options) =>
  Object.entries(options)
    .map(([name, spec]) => (spec.type === "string" ? `--${name} ${spec.value ?? "VALUE"}` : `--${name}`))
    .join(", ");

/** A value among `choices`, whatever its case; a UsageError naming the choices otherwise. */
export function choose(option: string, value: string, choices: readonly string[]): string {
  const match = choices.find((c) => c.toLowerCase() === value.toLowerCase());
  if (match) return match;
  throw new UsageError(
    `--${option}: unknown ${option} "${value}"${suggestion(value, choices)}; choose one of: ${choices.join(", ")}`,
  );
}

/**
 * Parses a command's arguments. `positionals` names what the command takes as plain arguments
 * (e.g. "FILES"), or is undefined when it takes none.
 */
export function parseCommandArgs<O extends Options>(
  args: readonly string[],
  options: O,
  positionals?: string,
): Parsed<O> {
  const names = Object.keys(options);
  // Check the options ourselves first: Node's messages are not ours, and give no suggestion.
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "--") break;
    if (!arg.startsWith("-") || arg === "-") continue;
    const name = arg.replace(/^--?/, "").split("=")[0] as string;
    const spec = options[name];
    if (!spec || !arg.startsWith("--")) {
      const known = names.map((n) => `--${n}`);
      throw new UsageError(
        `unknown option ${arg.split("=")[0]}${suggestion(`--${name}`, known, "")}; options: ${optionList(options) || "none"}`,
      );
    }
    if (spec.type === "string" && !arg.includes("=")) {
      const next = args[i + 1];
      if (next === undefined || (next.startsWith("--") && next.length > 2)) {
        const choices = spec.choices ? ` (${spec.choices.join(", ")})` : "";
        throw new UsageError(`--${name} needs a value: --${name} ${spec.value ?? "VALUE"}${choices}`);
      }
      i++;
    }
    if (spec.type === "boolean" && arg.includes("=")) throw new UsageError(`--${name} takes no value`);
  }
  const parsed = parseArgs({
    args: [...args],
    options: Object.fromEntries(
      Object.entries(options).map(([n, s]) => [n, { type: s.type, multiple: s.multiple === true }]),
    ),
    allowPositionals: true,
    strict: true,
  });
  if (positionals === undefined && parsed.positionals.length > 0) {
    throw new UsageError(`unexpected argument "${parsed.positionals[0]}": this command takes only options`);
  }
  const values = parsed.values as Record<string, unknown>;
  for (const [name, spec] of Object.entries(options)) {
    const value = values[name];
    if (spec.choices && typeof value === "string") values[name] = choose(name, value, spec.choices);
  }
  return { values: values as Values<O>, positionals: parsed.positionals };
}
