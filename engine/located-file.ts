// A policy-side JSON file (waivers, the FSBP coverage table) parsed for checking: its data, and a
// reporter that adds each problem with the line and column of its pointer.

import { parseTree } from "jsonc-parser";
import type { PolicyProblem } from "./errors.ts";
import { locator } from "./json-locate.ts";

export interface LocatedFile {
  /** The parsed JSON; undefined when the text is not JSON (a problem says so). */
  data: unknown;
  parsed: boolean;
  /** Adds an error at `pointer` to the problems. */
  problem(pointer: string, message: string): void;
}

/** Parses `text` (of `file`), reporting into `problems`; invalid JSON is one problem at the top. */
export function readLocated(file: string, text: string, problems: PolicyProblem[]): LocatedFile {
  const at = locator(text, parseTree(text));
  const problem = (pointer: string, message: string) => {
    problems.push({ file, pointer, message, level: "error", ...at(pointer) });
  };
  try {
    return { data: JSON.parse(text), parsed: true, problem };
  } catch (error) {
    problem("", `not valid JSON: ${(error as Error).message}`);
    return { data: undefined, parsed: false, problem };
  }
}
