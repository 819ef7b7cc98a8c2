// Reads an `--accounts FILE` (evaluate, diff): account ratings offline; without one, the sample
// organisation's, or the `accounts.json` a directory being read holds.

import { readFileSync } from "node:fs";
import { parseAccounts } from "../engine/accounts-file.ts";
import { InputError } from "../engine/errors.ts";
import type { AccountContext } from "../engine/types.ts";
import { describeFsError } from "./errors.ts";
import { parseJson } from "./reader/json-error.ts";
import { SAMPLE_ACCOUNTS } from "./sample.ts";

/** The accounts of the file; an unreadable or malformed file is an InputError naming it. */
export function readAccountsFile(file: string): Map<string, AccountContext> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new InputError(`cannot read accounts file: ${describeFsError(error)}`, file);
  }
  // Where, never what: JSON.parse's message would quote the file.
  const parsed = parseJson(text);
  if ("error" in parsed) throw new InputError(parsed.error, file);
  return parseAccounts(parsed.value, file);
}

/**
 * The accounts of a run: the `--accounts` file (`option`), else the sample organisation's when it
 * is the input, else the first `accounts.json` found in the directories being read (`found`, from
 * planInputs). Each one found is said to be read or skipped.
 */
export function accountsOf(
  option: string | undefined,
  useSample: boolean,
  found: string[],
  say: (source: string, message: string) => void,
): { file?: string; accounts: Map<string, AccountContext> } {
  const file = option ?? (useSample ? SAMPLE_ACCOUNTS : found[0]);
  for (const other of found) {
    if (other === file) say(other, "read as the accounts file (account ratings)");
    else say(other, `skipped: another accounts file (${file} is used)`);
  }
  return { file, accounts: file ? readAccountsFile(file) : new Map<string, AccountContext>() };
}
