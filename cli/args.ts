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

/** A value Node's parser would take for an option of its own (`-1`, `-0.5`): passed as a value. */
const NEGATIVE_NUMBER = /^-\d+(\.\d+)?$/;

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
  /** The arguments as Node's parser gets them (`--jobs -1` joined into `--jobs=-1`). */
  const given: (string | undefined)[] = [...args];
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
    if (spec.type === "string") {
      const choices = spec.choices ? ` (${spec.choices.join(", ")})` : "";
      const needsValue = () =>
        new UsageError(`--${name} needs a value: --${name} ${spec.value ?? "VALUE"}${choices}`);
      if (arg.includes("=")) {
        if (arg.slice(arg.indexOf("=") + 1) === "") throw needsValue();
        continue;
      }
      const next = args[i + 1];
      if (next === undefined || next === "" || (next.startsWith("--") && next.length > 2)) throw needsValue();
      if (next.startsWith("-") && next !== "-") {
        // Node's parser takes `--jobs -1` for a forgotten value and says so in three lines: a
        // negative number is the option's value (its own check says what it accepts); anything
        // else starting with a dash is one line saying how to give it.
        if (!NEGATIVE_NUMBER.test(next)) {
          throw new UsageError(
            `--${name} needs a value: --${name} ${spec.value ?? "VALUE"}${choices} (a value starting with a dash is written --${name}=${next})`,
          );
        }
        given[i] = `--${name}=${next}`;
        given[i + 1] = undefined;
      }
      i++;
    }
    if (spec.type === "boolean" && arg.includes("=")) throw new UsageError(`--${name} takes no value`);
  }
  const parsed = parseArgs({
    args: given.filter((a) => a !== undefined),
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
