// The policy files as they were at a git ref: `git ls-tree` lists the policies directory at the
// ref, `git show REF:path` reads each file. Only git plumbing, no checkout: the work tree is untouched.

import { execFileSync } from "node:child_process";
import { realpathSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type { PolicySource } from "../../engine/catalogue.ts";
import { NOT_POLICIES } from "../../loader/policy-files.ts";
import { UsageError } from "../errors.ts";

export interface FilesAtRef {
  ref: string;
  /** The commit the ref names (short), for the report. */
  commit: string;
  policies: PolicySource[];
  waivers?: PolicySource;
  scpSettings?: PolicySource;
}

function git(cwd: string, args: string[]): string {
  try {
    return execFileSync("git", args, {
      cwd,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 256 * 1024 * 1024,
    });
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? "").trim();
    const first = stderr.split("\n")[0] || (error as Error).message.split("\n")[0];
    throw new UsageError(`git ${args[0]} failed: ${first}`);
  }
}

/** Reads the policies directory `dir` (in the working tree) as it was at `ref`. */
export function policyFilesAt(ref: string, dir: string): FilesAtRef {
  if (ref.startsWith("-")) throw new UsageError(`--base: "${ref}" is not a git ref`);
  const realDir = realpathSync(dir);
  const top = git(realDir, ["rev-parse", "--show-toplevel"]).trim();
  let commit: string;
  try {
    commit = execFileSync("git", ["rev-parse", "--verify", "--quiet", "--short", `${ref}^{commit}`], {
      cwd: top,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    }).trim();
  } catch {
    throw new UsageError(`--base: unknown git ref "${ref}" (fetch it first, e.g. git fetch origin ${ref})`);
  }
  const inRepo = relative(realpathSync(top), realDir).split(sep).join("/");
  const listed = git(top, ["ls-tree", "--name-only", "-z", commit, "--", inRepo ? `${inRepo}/` : "."])
    .split("\0")
    .filter((p) => p.endsWith(".json"));
  // Named as the working tree's files are (loader/policy-files.ts), so base and head compare.
  const display = (path: string) => relative(process.cwd(), join(top, path)) || path;
  const read = (path: string): PolicySource => ({
    file: display(path),
    text: git(top, ["show", `${commit}:${path}`]),
  });
  const result: FilesAtRef = { ref, commit, policies: [] };
  for (const path of listed.sort()) {
    const name = path.slice(path.lastIndexOf("/") + 1);
    if (name === "waivers.json") result.waivers = read(path);
    else if (name === "scp.json") result.scpSettings = read(path);
    else if (!NOT_POLICIES.has(name)) result.policies.push(read(path));
  }
  return result;
}
