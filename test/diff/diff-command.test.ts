// `compliance diff` end to end: a temporary git repository with a copy of the policies committed,
// the working tree edited, and the CLI run as a process against it.

import { execFileSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMMENT_MARKER } from "../../cli/diff/markdown.ts";
import { cli, ROOT, runCli } from "../support/cli.ts";
import {
  activeTableControl,
  control,
  dynamodbPolicy,
  POLICY_FIXTURE,
  type PolicyFile,
  tableIn,
} from "./policy-edit.ts";

const PROD = "111111111111";
const DEV = "222222222222";

describe("compliance diff", () => {
  let repo: string;
  let policies: string;
  let snapshot: string;
  let accounts: string;
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=test", "-c", "user.email=test@example.com", ...args], {
      cwd: repo,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  const writePolicy = (policy: PolicyFile) =>
    writeFileSync(join(policies, `${policy.service}.json`), `${JSON.stringify(policy, null, 2)}\n`);
  const diffArgs = (args: string[]) => [
    "diff",
    "--policies",
    policies,
    "--snapshot",
    snapshot,
    "--accounts",
    accounts,
    ...args,
  ];
  // In process; the exit-code test below runs the command as a separate process.
  const run = (...args: string[]) => runCli(diffArgs(args), { cwd: repo });
  const spawned = (...args: string[]) => cli(diffArgs(args), { cwd: repo });

  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), "compliance-diff-"));
    policies = join(repo, "policies");
    mkdirSync(join(policies, "fixtures", "AWS_DynamoDB_Table"), { recursive: true });
    for (const file of ["scp.json", "fixtures/AWS_DynamoDB_Table/rdk-sample-ci.json"]) {
      copyFileSync(join(ROOT, "policies", file), join(policies, file));
    }
    copyFileSync(POLICY_FIXTURE, join(policies, "dynamodb.json"));
    snapshot = join(repo, "snapshot.json");
    writeFileSync(
      snapshot,
      JSON.stringify({ configurationItems: [tableIn(PROD, "orders"), tableIn(DEV, "scratch")] }),
    );
    accounts = join(repo, "accounts.json");
    writeFileSync(
      accounts,
      JSON.stringify({
        [PROD]: { name: "payments-prod", tags: { environment: "production" } },
        [DEV]: { name: "sandbox", tags: { "cia-rating": "C1I1A1" } },
      }),
    );
    git("init", "-q", "-b", "main");
    git("add", ".");
    git("commit", "-q", "-m", "policies");
  });

  afterAll(() => {
    if (repo) rmSync(repo, { recursive: true, force: true });
  });

  it("reports no change and exits 0 on an unchanged working tree", async () => {
    const { code, stdout, stderr } = await run("--base", "main");
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout.startsWith(COMMENT_MARKER)).toBe(true);
    expect(stdout).toContain("Nothing becomes non-compliant");
    expect(stdout).toContain("No control changed.");
    expect(stdout).toContain("No resource flips.");
    expect(stdout).toContain("2 resources in 2 accounts");
    // The policy names and sizes of both sides (the base may be split differently from the head).
    expect(stdout).toMatch(/`compliance-[\w-]+` [\d,]+ -> `compliance-[\w-]+` [\d,]+/);
  });

  it("shows controls added, removed and changed, the SCP delta, and the resources that flip; exits 1", async () => {
    const head = dynamodbPolicy();
    control(head, "DDB.PITR").cia = { i: 1, a: 1 };
    head.controls = head.controls.filter((c) => c.id !== "DDB.ON-DEMAND");
    head.controls.push(activeTableControl());
    head.iamPrefixes = ["dynamodb", "dax"];
    writePolicy(head);
    try {
      const { code, stdout } = await run("--base", "main");
      expect(code).toBe(1);
      expect(stdout).toContain("This change breaks something:** 1 resource becomes non-compliant");
      expect(stdout).toContain("1 control added, 1 removed, 1 changed");
      expect(stdout).toMatch(
        /\*\*Added \(1\)\*\*[\s\S]*\| `DDB.ACTIVE` \| dynamodb \| low \| A1 \| Tables are active \|/,
      );
      expect(stdout).toMatch(/\*\*Removed \(1\)\*\*[\s\S]*\| `DDB.ON-DEMAND` \|/);
      expect(stdout).toContain(
        "- `DDB.PITR` (dynamodb): now required from I1 (was I2): more accounts need it; now required from A1 (was A2): more accounts need it",
      );
      expect(stdout).toContain("- `dynamodb`: IAM prefixes added: dax");
      expect(stdout).toContain("- Prefixes added: `dax`");
      // The development table, compliant before, now fails point-in-time recovery.
      expect(stdout).toContain("#### sandbox (222222222222) · C1I1A1");
      expect(stdout).toMatch(
        /\| `scratch` \| AWS::DynamoDB::Table \| COMPLIANT \| \*\*NON_COMPLIANT\*\* \| now fails `DDB.PITR` \(high\)/,
      );
      // Production was non-compliant before and after: not a flip.
      expect(stdout).not.toContain("#### payments-prod");
      // --out writes the same Markdown to a file.
      const out = await run("--base", "main", "--out", "comment.md");
      expect(out.code).toBe(1);
      expect(readFileSync(join(repo, "comment.md"), "utf8")).toBe(stdout);
    } finally {
      git("checkout", "-q", "--", "policies");
    }
  });

  it("lists a waiver added in the same pull request, which keeps the resource compliant: exit 0", async () => {
    const head = dynamodbPolicy();
    control(head, "DDB.PITR").cia = { i: 1, a: 1 };
    writePolicy(head);
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const waiver = {
      controlId: "DDB.PITR",
      accounts: [DEV],
      reason: "Scratch table, rebuilt by the nightly job",
      approver: "ciso@example.com",
      granted: day(0),
      expires: day(30),
    };
    writeFileSync(join(policies, "waivers.json"), JSON.stringify({ waivers: [waiver] }, null, 2));
    try {
      const { code, stdout } = await run("--base", "main");
      expect(code).toBe(0);
      expect(stdout).toContain(
        `- Added: \`DDB.PITR\` for accounts ${DEV}, until ${day(30)}, approved by ciso@example.com: Scratch table, rebuilt by the nightly job`,
      );
      expect(stdout).toContain("No resource flips.");
    } finally {
      rmSync(join(policies, "waivers.json"));
      git("checkout", "-q", "--", "policies");
    }
  });

  it("exits 0 when a change only relaxes, and names the resources that become compliant", async () => {
    const head = dynamodbPolicy();
    control(head, "DDB.PITR").cia = { i: 3, a: 3 };
    control(head, "DDB.PITR").severity = "medium";
    writePolicy(head);
    try {
      // Production (C3I3A3) still requires it: nothing flips. A C2 account would.
      const { code, stdout } = await run("--base", "main");
      expect(code).toBe(0);
      expect(stdout).toContain("severity high -> medium");
      expect(stdout).toContain("now required from I3 (was I2): fewer accounts need it");
      expect(stdout).toContain("No resource flips.");
      writeFileSync(
        accounts.replace("accounts", "accounts-c2"),
        JSON.stringify({ [PROD]: { tags: { "cia-rating": "C2I2A2" } } }),
      );
      const relaxed = await run("--base", "main", "--accounts", accounts.replace("accounts", "accounts-c2"));
      expect(relaxed.code).toBe(0);
      expect(relaxed.stdout).toMatch(
        /\| `orders` \| AWS::DynamoDB::Table \| \*\*NON_COMPLIANT\*\* \| COMPLIANT \| no longer fails `DDB.PITR`/,
      );
    } finally {
      git("checkout", "-q", "--", "policies");
    }
  });

  it("exits 1 when the changed catalogue has errors or its SCP no longer fits", async () => {
    const head = dynamodbPolicy();
    control(head, "DDB.PITR").severity = "urgent";
    writePolicy(head);
    const scp = JSON.parse(readFileSync(join(policies, "scp.json"), "utf8")) as {
      extraAllowedPrefixes: string[];
    };
    scp.extraAllowedPrefixes.push(...Array.from({ length: 400 }, (_, i) => `service${i}`));
    writeFileSync(join(policies, "scp.json"), JSON.stringify(scp));
    try {
      const { code, stdout } = await run("--base", "main");
      expect(code).toBe(1);
      expect(stdout).toContain("### Errors in the changed catalogue");
      expect(stdout).toMatch(/dynamodb.json:\d+:\d+ \/controls\/0\/severity: must be one of/);
      expect(stdout).toContain(":x: The SCP cannot be generated: the allow-list SCP is");
      expect(stdout).toContain("Prefixes added: `service0`");
    } finally {
      git("checkout", "-q", "--", "policies");
    }
  });

  it("rates a snapshot directory's accounts by the accounts.json it holds, as evaluate does", async () => {
    const dir = join(repo, "organisation");
    mkdirSync(join(dir, "items"), { recursive: true });
    copyFileSync(snapshot, join(dir, "items", "snapshot.json"));
    copyFileSync(accounts, join(dir, "accounts.json"));
    const head = dynamodbPolicy();
    control(head, "DDB.PITR").cia = { i: 1, a: 1 };
    writePolicy(head);
    try {
      const { code, stdout, stderr } = await runCli(
        ["diff", "--policies", policies, "--base", "main", "--snapshot", dir],
        { cwd: repo },
      );
      expect(stderr).toBe(
        `compliance diff: ${join(dir, "accounts.json")}: read as the accounts file (account ratings)\n`,
      );
      expect(code).toBe(1);
      expect(stdout).toContain("#### sandbox (222222222222) · C1I1A1");
      expect(stdout).toMatch(/\| `scratch` \| AWS::DynamoDB::Table \| COMPLIANT \| \*\*NON_COMPLIANT\*\* \|/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      git("checkout", "-q", "--", "policies");
    }
  });

  it("refuses an --out that names the snapshot, the accounts file or an item file of a snapshot directory", async () => {
    const before = { snapshot: readFileSync(snapshot, "utf8"), accounts: readFileSync(accounts, "utf8") };
    for (const [target, message] of [
      [snapshot, "--out names one of the inputs: refused (the report would overwrite it)"],
      [accounts, "--out names one of the inputs: refused (the report would overwrite it)"],
    ] as const) {
      const result = await run("--base", "main", "--out", target);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(`compliance diff: ${target}: ${message}\n`);
      expect(result.stdout).toBe("");
    }
    expect(readFileSync(snapshot, "utf8")).toBe(before.snapshot);
    expect(readFileSync(accounts, "utf8")).toBe(before.accounts);
    const dir = join(repo, "scanned");
    mkdirSync(join(dir, "items"), { recursive: true });
    copyFileSync(snapshot, join(dir, "items", "snapshot.json"));
    try {
      const inside = join(dir, "items", "comment.json");
      const result = await runCli(
        ["diff", "--policies", policies, "--base", "main", "--snapshot", dir, "--out", inside],
        { cwd: repo },
      );
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        `compliance diff: ${inside}: --out names a file inside a directory being read (the next run would read the report as input): refused\n`,
      );
      expect(existsSync(inside)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("writes no Markdown for a snapshot that cannot be read or holds no item: exit 2, one line", async () => {
    const comment = join(repo, "reports", "comment.md");
    const truncated = join(repo, "truncated.json");
    writeFileSync(truncated, readFileSync(snapshot, "utf8").slice(0, 200));
    const empty = join(repo, "empty.json");
    writeFileSync(empty, "[]");
    const cases: [string[], string][] = [
      [
        ["--snapshot", truncated],
        `${truncated}.configurationItems[0]: not valid JSON: unexpected end of input`,
      ],
      [["--snapshot", "-"], "stdin: stdin cannot be read here"],
      [
        ["--snapshot", join(repo, "missing.json")],
        `${join(repo, "missing.json")}: no such file or directory`,
      ],
      [
        ["--snapshot", empty],
        `${empty}: no configuration item read (pass --allow-empty if none is expected)`,
      ],
    ];
    try {
      for (const [snapshotArgs, message] of cases) {
        for (const out of [[], ["--out", comment]]) {
          const result = await runCli(
            ["diff", "--policies", policies, "--base", "main", ...snapshotArgs, ...out],
            { cwd: repo },
          );
          expect(result.code).toBe(2);
          expect(result.stderr.split("\n")).toEqual([
            expect.stringContaining(`compliance diff: ${message}`),
            "",
          ]);
          expect(result.stdout).toBe("");
          expect(existsSync(comment)).toBe(false);
        }
      }
      // An empty snapshot is accepted when it is expected.
      const allowed = await runCli(
        [
          "diff",
          "--policies",
          policies,
          "--base",
          "main",
          "--snapshot",
          empty,
          "--allow-empty",
          "--out",
          comment,
        ],
        { cwd: repo },
      );
      expect(allowed.code).toBe(0);
      expect(readFileSync(comment, "utf8")).toContain("0 resources in 0 accounts");
    } finally {
      rmSync(join(repo, "reports"), { recursive: true, force: true });
      rmSync(truncated);
      rmSync(empty);
    }
  });

  // The unknown ref as a separate process (the exit code a user sees), the others in process (the
  // same dispatch and exit code, cli/run.ts).
  it("exits 2 with one line for an unknown ref, outside a git repository, or without --base", async () => {
    const unknown = spawned("--base", "no-such-branch");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.split("\n")[0]).toBe(
      'compliance diff: --base: unknown git ref "no-such-branch" (fetch it first, e.g. git fetch origin no-such-branch)',
    );
    const outside = mkdtempSync(join(tmpdir(), "not-a-repo-"));
    try {
      mkdirSync(join(outside, "policies"));
      copyFileSync(join(policies, "dynamodb.json"), join(outside, "policies", "dynamodb.json"));
      const result = await runCli(
        ["diff", "--base", "main", "--policies", join(outside, "policies"), "--snapshot", snapshot],
        {
          cwd: outside,
        },
      );
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^compliance diff: git rev-parse failed: fatal: not a git repository/);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
    const missing = await run();
    expect(missing.code).toBe(2);
    expect(missing.stderr.split("\n")[0]).toBe("compliance diff: --base GIT_REF is required");
  });
});
