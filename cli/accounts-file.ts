// Reads an `--accounts FILE` (evaluate, diff): account ratings offline.

import { readFileSync } from "node:fs";
import { parseAccounts } from "../engine/accounts-file.ts";
import { InputError } from "../engine/errors.ts";
import type { AccountContext } from "../engine/types.ts";
import { describeFsError } from "./errors.ts";
import { parseJson } from "./reader/json-error.ts";

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
