// The diff example of README.md ("Reviewing a policy change") and docs/POLICY-WORKFLOW.md is real
// output: the repository's policies are committed in a temporary git repository, the change the
// example describes is made in its working tree (DDB.PITR critical and required from I1/A1, the
// `dax` IAM prefix added), and `compliance diff --base HEAD` on the sample organisation must print
// the documented comment, but for the commit it names.

import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMMENT_MARKER } from "../../cli/diff/markdown.ts";
import { main } from "../../cli/run.ts";
import { fencedBlocks } from "../readme/console-blocks.ts";
import { ROOT } from "../support/cli.ts";
import { control, type PolicyFile } from "./policy-edit.ts";

// The documentation examples' time (test/readme/examples.test.ts): the waivers are in force then.
const NOW = new Date("2026-11-28T09:00:00Z");
const DOCS = ["README.md", "docs/POLICY-WORKFLOW.md"];

/** The commit a comment names varies: masked. */
const maskCommit = (text: string) =>
  text.replace(/^(## Policy change: `HEAD`) \([0-9a-f]{7,}\)/m, "$1 (<commit>)").trimEnd();

describe("the documented compliance diff example", () => {
  let repo: string;

  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), "compliance-diff-example-"));
    cpSync(join(ROOT, "policies"), join(repo, "policies"), { recursive: true });
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.name=test", "-c", "user.email=test@example.com", ...args], {
        cwd: repo,
        stdio: ["ignore", "pipe", "pipe"],
      });
    git("init", "-q", "-b", "main");
    git("add", ".");
    git("commit", "-q", "-m", "policies");
    const file = join(repo, "policies", "dynamodb.json");
    const policy = JSON.parse(readFileSync(file, "utf8")) as PolicyFile;
    const pitr = control(policy, "DDB.PITR");
    pitr.severity = "critical";
    pitr.cia = { ...(pitr.cia as object), i: 1, a: 1 };
    policy.iamPrefixes.push("dax");
    writeFileSync(file, `${JSON.stringify(policy, null, 2)}\n`);
  });

  afterAll(() => {
    if (repo) rmSync(repo, { recursive: true, force: true });
  });

  it("is what the command prints, in README.md and docs/POLICY-WORKFLOW.md", async () => {
    let stdout = "";
    let stderr = "";
    const sink = (add: (text: string) => void) =>
      new Writable({
        write(chunk, _encoding, done) {
          add(String(chunk));
          done();
        },
      });
    const code = await main(["diff", "--base", "HEAD", "--policies", join(repo, "policies")], {
      stdout: sink((t) => {
        stdout += t;
      }),
      stderr: sink((t) => {
        stderr += t;
      }),
      now: () => NOW,
      cwd: ROOT,
    });
    expect(stderr).toBe("");
    expect(code).toBe(1);
    for (const doc of DOCS) {
      const examples = fencedBlocks(doc, readFileSync(join(ROOT, doc), "utf8")).filter(
        (b) => b.info === "markdown" && b.lines[0] === COMMENT_MARKER,
      );
      expect(examples, doc).toHaveLength(1);
      expect(maskCommit(stdout), doc).toBe(maskCommit(examples[0]!.lines.join("\n")));
    }
  });
});
