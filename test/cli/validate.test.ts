import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, ROOT, runCli } from "../support/cli.ts";

let policyFiles: { path: string; bytes: Buffer }[] | undefined;

/**
 * A copy of the repository's policies to break: every file of the directory, read once for the
 * file and written out for each copy (fs.cpSync spends several times the CPU on the same copy).
 */
function policiesCopy(): string {
  const source = join(ROOT, "policies");
  policyFiles ??= readdirSync(source, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const path = relative(source, join(entry.parentPath, entry.name));
      return { path, bytes: readFileSync(join(source, path)) };
    });
  const dir = mkdtempSync(join(tmpdir(), "policies-"));
  for (const { path, bytes } of policyFiles) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), bytes);
  }
  return dir;
}

function edit(
  file: string,
  change: (policy: Record<string, unknown> & { controls: Record<string, unknown>[] }) => void,
) {
  const policy = JSON.parse(readFileSync(file, "utf8"));
  change(policy);
  writeFileSync(file, JSON.stringify(policy, null, 2));
}

describe("compliance validate", () => {
  // In process (cli/run.ts, what bin/compliance.mjs runs); the command's smoke test as a separate
  // process is the missing-directory test below.
  it("passes on the repository's catalogue", async () => {
    const { code, stdout } = await runCli(["validate"]);
    expect(stdout).toMatch(/^ok: \d+ policy files, \d+ controls, \d+ waivers in force$/m);
    expect(code).toBe(0);
  });

  it("reports an invalid schema and a duplicate id with file, line and pointer, exit 1", async () => {
    const dir = policiesCopy();
    edit(join(dir, "dynamodb.json"), (p) => {
      p.controls[0]!.check = { type: "objekt" };
      p.controls.push({ ...structuredClone(p.controls[1]!) });
    });
    const { code, stdout } = await runCli(["validate", "--policies", dir]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^error: .*dynamodb\.json:\d+:\d+ \/controls\/0\/check: invalid JSON Schema/m);
    expect(stdout).toMatch(
      /^error: .*dynamodb\.json:\d+:\d+ \/controls\/\d+\/id: duplicate control id "DDB\.[A-Z-]+"/m,
    );
  });

  it("rejects a pattern that can backtrack catastrophically, with file, line, column and reason, exit 1", async () => {
    const dir = policiesCopy();
    edit(join(dir, "apigateway.json"), (p) => {
      p.controls[3]!.check = { at: { "/configuration/webAclArn": { type: "string", pattern: "^(a+)+$" } } };
    });
    const { code, stdout } = await runCli(["validate", "--policies", dir]);
    expect(stdout).toMatch(
      /^error: .*apigateway\.json:\d+:\d+ \/controls\/3\/check\/at\/~1configuration~1webAclArn\/pattern: pattern "\^\(a\+\)\+\$" can backtrack catastrophically: exponential/m,
    );
    expect(code).toBe(1);
  });

  it("reports a file that is not JSON with its line, and the other files' errors too, exit 1", async () => {
    const dir = policiesCopy();
    writeFileSync(join(dir, "sns.json"), '{\n  "service": "sns",\n  "title": \n}\n');
    edit(join(dir, "sqs.json"), (p) => {
      p.controls[1]!.severity = "urgent";
      delete p.controls[2]!.title;
    });
    const { code, stdout } = await runCli(["validate", "--policies", dir]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^error: .*sns\.json:4:1 \/: not valid JSON/m);
    expect(stdout).toMatch(
      /^error: .*sqs\.json:\d+:\d+ \/controls\/1\/severity: must be one of \["low","medium","high","critical"\]$/m,
    );
    expect(stdout).toMatch(/^error: .*sqs\.json:\d+:\d+ \/controls\/2: missing required property "title"$/m);
    expect(stdout).toMatch(/^3 error\(s\) in the catalogue$/m);
  });

  it("reports an unknown resource type at the control and in the service's list, exit 1", async () => {
    const dir = policiesCopy();
    edit(join(dir, "sqs.json"), (p) => {
      p.controls[0]!.resourceType = "AWS::SQS::Queu";
    });
    edit(join(dir, "dynamodb.json"), (p) => {
      (p.resourceTypes as string[]).push("AWS::DynamoDB::Tabel");
    });
    const { code, stdout } = await runCli(["validate", "--policies", dir]);
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /^error: .*sqs\.json:\d+:\d+ \/controls\/0\/resourceType: unknown resource type "AWS::SQS::Queu"/m,
    );
    expect(stdout).toMatch(
      /^error: .*dynamodb\.json:\d+:\d+ \/resourceTypes\/\d+: unknown resource type "AWS::DynamoDB::Tabel"/m,
    );
  });

  it("says when a waiver expired, exit 1", async () => {
    const dir = policiesCopy();
    writeFileSync(
      join(dir, "waivers.json"),
      JSON.stringify(
        {
          waivers: [
            {
              controlId: "DDB.PITR",
              accounts: ["222222222222"],
              reason: "Scratch tables, recreated nightly",
              approver: "ciso@bank.example",
              granted: "2025-01-01",
              expires: "2025-12-31",
            },
          ],
        },
        null,
        2,
      ),
    );
    const { code, stdout } = await runCli(["validate", "--policies", dir]);
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /waivers\.json:11:\d+ \/waivers\/0\/expires: waiver for DDB\.PITR expired on 2025-12-31: it no longer applies/,
    );
  });

  it("checks scp.json as `compliance scp` reads it: every bad field at file, line and pointer, exit 1", async () => {
    const dir = policiesCopy();
    const scp = join(dir, "scp.json");
    const settings = JSON.parse(readFileSync(scp, "utf8"));
    settings.availablePolicySlots = "three";
    settings.extraAllowedPrefixes.push("EC2:*");
    settings.allowedRegions = ["eu-west-1", "mars-north-9"];
    writeFileSync(scp, JSON.stringify(settings, null, 2));
    const { code, stdout } = await runCli(["validate", "--policies", dir]);
    expect(stdout).toMatch(/^error: .*scp\.json:\d+:3 \/availablePolicySlots: must be 1 to 4/m);
    expect(stdout).toMatch(/^error: .*scp\.json:\d+:5 \/extraAllowedPrefixes\/\d+: "EC2:\*" does not match/m);
    expect(stdout).toMatch(/^error: .*scp\.json:\d+:5 \/allowedRegions\/1: "mars-north-9" does not match/m);
    expect(stdout).toMatch(/^3 error\(s\) in the catalogue$/m);
    expect(code).toBe(1);
    // `scp` cannot read the file either: it names the first field at fault (unreadable input, exit 2).
    const generated = await runCli(["scp", "--policies", dir]);
    expect(generated.stderr).toMatch(/^compliance scp: .*scp\.json: \/availablePolicySlots must be 1 to 4/m);
    expect(generated.code).toBe(2);
  });

  it("generates the SCPs as `compliance scp` does: too few slots, a statement too large alone, exit 1", async () => {
    const dir = policiesCopy();
    const scp = join(dir, "scp.json");
    const settings = JSON.parse(readFileSync(scp, "utf8"));
    writeFileSync(scp, JSON.stringify({ ...settings, availablePolicySlots: 1 }, null, 2));
    const slots = await runCli(["validate", "--policies", dir]);
    expect(slots.stdout).toMatch(
      /^error: .*scp\.json:\d+:3 \/availablePolicySlots: the SCPs need 2 policies \(\d+ characters\) but availablePolicySlots in scp\.json allows 1: /m,
    );
    expect(slots.code).toBe(1);

    const actions = Array.from({ length: 600 }, (_, i) => `svc${String(i).padStart(3, "0")}:*`);
    settings.globalServiceActions.push(...actions);
    writeFileSync(scp, JSON.stringify(settings, null, 2));
    const line =
      /^error: .*scp\.json:\d+:3 \/globalServiceActions: the SCP statement DenyOutsideAllowedRegions alone is \d+ characters minified, over the 5120-character limit by \d+, and a statement cannot be split across SCPs: list fewer globalServiceActions/m;
    const statement = await runCli(["validate", "--policies", dir]);
    expect(statement.stdout).toMatch(line);
    expect(statement.code).toBe(1);
    const generated = await runCli(["scp", "--policies", dir]);
    expect(generated.stderr).toMatch(line);
    expect(generated.stderr).not.toContain("internal error");
    expect(generated.code).toBe(1);
    const synth = await runCli(["synth", "--check", "--policies", dir]);
    expect(synth.stderr).toMatch(line);
    expect(synth.code).toBe(1);
  });

  it("warns that a catalogue without scp.json cannot generate SCPs (it can still be evaluated), exit 0", async () => {
    const dir = policiesCopy();
    rmSync(join(dir, "scp.json"));
    const { code, stdout } = await runCli(["validate", "--policies", dir]);
    expect(stdout).toMatch(
      /^warning: .*scp\.json \/: not found \(the SCP settings file\): .*`compliance scp` and `synth` refuse to run without it$/m,
    );
    expect(stdout).toMatch(/^ok: /m);
    expect(code).toBe(0);
    const generated = await runCli(["scp", "--policies", dir]);
    expect(generated.stderr).toMatch(/^compliance scp: .*scp\.json: not found \(the SCP settings file\)$/m);
    expect(generated.code).toBe(2);
  });

  it("reports a case whose fixture does not exist or is of another type at its pointer; test says it in words", async () => {
    const dir = policiesCopy();
    edit(join(dir, "sqs.json"), (p) => {
      const cases = p.controls[3]!.cases as { fixture?: string }[];
      cases[0]!.fixture = "AWS_SQS_Queue/nope.json";
      cases[2]!.fixture = "AWS_DynamoDB_Table/rdk-sample-ci.json";
    });
    const { code, stdout } = await runCli(["validate", "--policies", dir]);
    expect(stdout).toMatch(
      /^error: .*sqs\.json:\d+:\d+ \/controls\/3\/cases\/0\/fixture: SQS\.CMK case 0: fixture "AWS_SQS_Queue\/nope\.json" does not exist: .*fixtures\/AWS_SQS_Queue\/nope\.json$/m,
    );
    expect(stdout).toMatch(
      /^error: .*sqs\.json:\d+:\d+ \/controls\/3\/cases\/2\/fixture: SQS\.CMK case 2: the case's fixture "AWS_DynamoDB_Table\/rdk-sample-ci\.json" is of type AWS::DynamoDB::Table, but the control judges AWS::SQS::Queue$/m,
    );
    expect(stdout).toMatch(/^2 error\(s\) in the catalogue$/m);
    expect(code).toBe(1);
    const tested = await runCli(["test", "--policies", dir]);
    expect(tested.stdout).toMatch(
      /^FAIL SQS\.CMK case 0 .*got ERROR: fixture "AWS_SQS_Queue\/nope\.json" does not exist: /m,
    );
    expect(tested.stdout).not.toContain("ENOENT");
    expect(tested.stdout).toMatch(
      /^FAIL SQS\.CMK case 2 .*got ERROR: the case's fixture .* is of type AWS::DynamoDB::Table/m,
    );
    expect(tested.stdout).not.toContain("Not applicable");
    expect(tested.code).toBe(1);
  });

  it("refuses a JSON pointer with an invalid escape, in a check's at, a case's set or platform-resources.json", async () => {
    const dir = policiesCopy();
    edit(join(dir, "sqs.json"), (p) => {
      const control = p.controls[3]!;
      control.check = { at: { "/configuration/Kms~2MasterKeyId": { type: "string" } } };
      (control.cases as { set?: Record<string, unknown> }[])[1]!.set = {
        "/configuration/Kms~MasterKeyId": "x",
      };
    });
    const platform = JSON.parse(readFileSync(join(dir, "platform-resources.json"), "utf8"));
    platform.resources[0].where = { "/configuration/isDefault~": true };
    writeFileSync(join(dir, "platform-resources.json"), JSON.stringify(platform, null, 2));
    const { code, stdout } = await runCli(["validate", "--policies", dir]);
    expect(stdout).toMatch(
      /^error: .*sqs\.json:\d+:\d+ \/controls\/3\/check\/at\/~1configuration~1Kms~02MasterKeyId: JSON pointer "\/configuration\/Kms~2MasterKeyId" has the invalid escape "~2": /m,
    );
    expect(stdout).toMatch(
      /^error: .*sqs\.json:\d+:\d+ \/controls\/3\/cases\/1\/set\/~1configuration~1Kms~0MasterKeyId: JSON pointer "\/configuration\/Kms~MasterKeyId" has the invalid escape "~M": /m,
    );
    expect(stdout).toMatch(
      /^error: .*platform-resources\.json:\d+:\d+ \/resources\/0\/where\/~1configuration~1isDefault~0: JSON pointer "\/configuration\/isDefault~" has the invalid escape "~": /m,
    );
    expect(code).toBe(1);
  });

  it("refuses the engine's built-in control id as reserved", async () => {
    const dir = policiesCopy();
    edit(join(dir, "sqs.json"), (p) => {
      p.controls[0]!.id = "PLATFORM.ALLOWED-SERVICE";
    });
    const { code, stdout } = await runCli(["validate", "--policies", dir]);
    expect(stdout).toMatch(
      /^error: .*sqs\.json:\d+:\d+ \/controls\/0\/id: control id "PLATFORM\.ALLOWED-SERVICE" is reserved: it is the engine's built-in control/m,
    );
    expect(code).toBe(1);
  });

  it("rejects a missing directory, or a file given as one, with exit 2 and no stack trace", async () => {
    // The process's own exit code and stderr once, then the same answer in process.
    const { code, stderr } = cli(["validate", "--policies", "/nonexistent/policies"]);
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /^compliance validate: \/nonexistent\/policies: not a directory of policy files$/m,
    );
    const file = join(policiesCopy(), "sqs.json");
    const onFile = await runCli(["validate", "--policies", file]);
    expect(onFile.code).toBe(2);
    expect(onFile.stderr.split("\n")[0]).toBe(
      `compliance validate: ${file}: not a directory of policy files`,
    );
    expect(onFile.stderr).not.toMatch(/^\s+at /m);
  });
});

describe("compliance test", () => {
  it("runs every control's cases on the repository's catalogue", async () => {
    const { code, stdout } = await runCli(["test"]);
    expect(stdout).toMatch(/^\d+ passed, 0 failed \(\d+ controls\)$/m);
    expect(code).toBe(0);
  });

  it("fails (exit 1) when a case does not come out as declared, naming it", async () => {
    const dir = policiesCopy();
    edit(join(dir, "dynamodb.json"), (p) => {
      const control = p.controls.find((c) => c.id === "DDB.PITR")!;
      (control.cases as { expect: string }[])[0]!.expect = "FAIL";
    });
    const { code, stdout } = await runCli(["test", "--policies", dir]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^FAIL DDB\.PITR case 0 ".*" \(.*dynamodb\.json\): expected FAIL, got PASS/m);
  });
});

describe("compliance catalogue", () => {
  it("lists services and controls as documented", async () => {
    const { code, stdout } = await runCli(["catalogue", "--format", "json"]);
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as {
      services: Record<string, unknown>[];
      controls: Record<string, unknown>[];
    };
    expect(out.services.find((s) => s.service === "dynamodb")).toMatchObject({
      iamPrefixes: ["dynamodb"],
      resourceTypes: expect.arrayContaining(["AWS::DynamoDB::Table"]),
    });
    expect(out.controls.find((c) => c.id === "DDB.PITR")).toMatchObject({
      service: "dynamodb",
      resourceType: "AWS::DynamoDB::Table",
      severity: expect.any(String),
      cia: expect.any(Object),
      references: expect.arrayContaining(["FSBP DynamoDB.2"]),
    });
  });
});
