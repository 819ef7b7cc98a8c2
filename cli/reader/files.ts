// Which files the input paths name: a file itself (whatever its name), `-` for stdin, or the
// item files under a directory, sorted. Nothing is skipped without a word: every other file of a
// directory is a notice naming it and why, an unreadable subdirectory is a problem and the rest of
// the tree is still read, and an `accounts.json` is picked up as the accounts file.

import { type Dirent, readdirSync, realpathSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { describeFsError } from "../errors.ts";

/** Extensions a directory's item files have (any case): JSON, NDJSON, gzipped or not. */
export const ITEM_FILE = /\.(json|jsonl|ndjson)(\.gz)?$/i;
/** One item per line. */
export const LINES_FILE = /\.(jsonl|ndjson)(\.gz)?$/i;
/** CloudFormation templates in YAML (JSON templates are told by their content). */
export const YAML_TEMPLATE_FILE = /\.(ya?ml|template)$/i;
/** The accounts file a directory may hold (like samples/organisation). */
export const ACCOUNTS_FILE = /^accounts\.json$/i;

export interface PlannedFile {
  /** The path as the user will read it in messages, or "-" for stdin. */
  path: string;
  /** One item per line (NDJSON). */
  lines: boolean;
  /** Already known not to be readable (a file, or a subdirectory): reported in its turn, in input order. */
  problem?: string;
}

export interface InputPlan {
  files: PlannedFile[];
  /** Files of a directory not read, and why (notices, not errors). */
  skipped: { source: string; message: string }[];
  /** `accounts.json` files found in the directories, in order. */
  accountsFiles: string[];
  /** Real paths of every directory scanned (a report must not be written into one as an item). */
  directories: string[];
}

export function emptyPlan(): InputPlan {
  return { files: [], skipped: [], accountsFiles: [], directories: [] };
}

function realpath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function entryKind(entry: Dirent): string {
  if (entry.isFIFO()) return "a FIFO";
  if (entry.isCharacterDevice() || entry.isBlockDevice()) return "a device";
  if (entry.isSocket()) return "a socket";
  return "not a regular file";
}

function scanDirectory(dir: string, plan: InputPlan, seen: Set<string>): void {
  const real = realpath(dir);
  if (seen.has(real)) return;
  seen.add(real);
  plan.directories.push(real);
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    plan.files.push({
      path: dir,
      lines: false,
      problem: `cannot read the directory: ${describeFsError(error)}`,
    });
    return;
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const child = join(dir, entry.name);
    if (entry.isDirectory()) {
      scanDirectory(child, plan, seen);
      continue;
    }
    if (entry.isSymbolicLink()) {
      let target: ReturnType<typeof statSync> | undefined;
      try {
        target = statSync(child);
      } catch {
        // A broken link named like an item file is reported when its turn comes.
      }
      if (target?.isDirectory()) {
        plan.skipped.push({
          source: child,
          message: "skipped: a link to a directory (links are not followed)",
        });
        continue;
      }
    } else if (!entry.isFile() && ITEM_FILE.test(entry.name)) {
      plan.files.push({
        path: child,
        lines: false,
        problem: `${entryKind(entry)}, not a regular file: refused (only files and stdin are read)`,
      });
      continue;
    }
    if (ACCOUNTS_FILE.test(entry.name)) {
      plan.accountsFiles.push(child);
      continue;
    }
    if (YAML_TEMPLATE_FILE.test(entry.name)) {
      plan.files.push({ path: child, lines: false });
      continue;
    }
    if (!ITEM_FILE.test(entry.name)) {
      plan.skipped.push({
        source: child,
        message: "skipped: not a .json, .jsonl or .ndjson file (gzipped or not)",
      });
      continue;
    }
    plan.files.push({ path: child, lines: LINES_FILE.test(entry.name) });
  }
}

/** The files the paths name, in order: a path's own file whatever its name, a directory's item files. */
export function planInputs(paths: string[]): InputPlan {
  const plan = emptyPlan();
  const seen = new Set<string>();
  for (const path of paths) {
    if (path === "-") {
      plan.files.push({ path: "-", lines: false });
      continue;
    }
    let isDirectory = false;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch (error) {
      plan.files.push({ path, lines: false, problem: describeFsError(error) });
      continue;
    }
    if (isDirectory) scanDirectory(path, plan, seen);
    else plan.files.push({ path, lines: LINES_FILE.test(basename(path)) });
  }
  return plan;
}
