// Where a command writes its output (`--out`, `--html`): the parent directories are created, and
// a path that cannot be one is named for what is wrong with it, e.g. "/etc/passwd is not a
// directory" for /etc/passwd/x, never Node's "file already exists" from creating the parent.

import { mkdirSync, statSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import { InputError } from "../engine/errors.ts";
import { describeFsError } from "./errors.ts";

/** The nearest existing ancestor of `path` (itself included) that is not a directory, if any. */
function fileInTheWay(path: string): string | undefined {
  let current = path;
  for (;;) {
    try {
      return statSync(current).isDirectory() ? undefined : current;
    } catch {
      const parent = dirname(current);
      if (parent === current) return undefined;
      current = parent;
    }
  }
}

/**
 * Makes sure `shown` (as the user typed it, resolved against `cwd`) can be written: as a file
 * (`kind` "file": its parent directories are created) or as a directory ("dir": created).
 * Throws an InputError naming `shown` and the reason.
 */
export function prepareOutput(shown: string, cwd: string, kind: "file" | "dir", what = "the output"): string {
  const path = resolve(cwd, shown);
  const fail = (reason: string) => new InputError(`cannot write ${what}: ${reason}`, shown);
  const dir = kind === "file" ? dirname(path) : path;
  const blocker = fileInTheWay(dir);
  if (blocker) {
    const named = blocker === path ? shown : isAbsolute(shown) ? blocker : relative(cwd, blocker);
    throw fail(`${named} is not a directory`);
  }
  if (kind === "file") {
    try {
      if (statSync(path).isDirectory()) throw fail("it is a directory");
    } catch (error) {
      if (error instanceof InputError) throw error;
    }
  }
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw fail(describeFsError(error));
  }
  return path;
}
