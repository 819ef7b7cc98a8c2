// Reads an `--accounts FILE` (evaluate, diff): account ratings offline.

import { readFileSync } from "node:fs";
import { parseAccounts } from "../engine/accounts-file.ts";
import { describeError, InputError } from "../engine/errors.ts";
import type { AccountContext } from "../engine/types.ts";
import { describeFsError } from "./errors.ts";

/** The accounts of the file; an unreadable or malformed file is an InputError naming it. */
export function readAccountsFile(file: string): Map<string, AccountContext> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new InputError(`cannot read accounts file: ${describeFsError(error)}`, file);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InputError(`not valid JSON: ${describeError(error)}`, file);
  }
  return parseAccounts(value, file);
}
