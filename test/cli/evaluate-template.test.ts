// `compliance evaluate` on CloudFormation templates, as a user runs it: YAML with short-form tags,
// `serverless package` and `cdk synth` output, parameter files, the rating, SARIF locations.

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { beforeAll, describe, expect, it } from "vitest";
import { evaluateCommand } from "../../cli/commands/evaluate.ts";
import { cli, ROOT } from "../support/cli.ts";

/** The command in this process (one spawned process only, for the exit code of bad input). */
async function evaluateInProcess(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _encoding, done) {
        append(String(chunk));
        done();
      },
    });
  const code = await evaluateCommand.run(args, {
    stdout: sink((s) => {
      stdout += s;
    }),
    stderr: sink((s) => {
      stderr += s;
    }),
    now: () => new Date("2026-12-01T00:00:00Z"),
    cwd: ROOT,
  });
  return { code, stdout, stderr };
}

const EXAMPLE = "examples/templates/orders-service.yml";
const COMPLIANT = "examples/templates/orders-service-compliant.yml";
const SERVERLESS = "examples/templates/.serverless/cloudformation-template-update-stack.json";
const CDK = "examples/templates/cdk.out/OrdersStack.template.json";

interface Output {
  results: {
    resourceType: string;
    resourceId: string;
    source?: string;
    compliance: string;
    required: { c: number; i: number; a: number };
    findings: {
      controlId: string;
      status: string;
      location?: { file: string; line: number; column: number };
    }[];
  }[];
  summary: { unknown: number; byCompliance: Record<string, number> };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "compliance-template-"));
  const t = {
    Parameters: { Pitr: { Type: "String" } },
    Resources: {
      Table: {
        Type: "AWS::DynamoDB::Table",
        Properties: { PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: { Ref: "Pitr" } } },
      },
    },
  };
  writeFileSync(join(dir, "table.json"), JSON.stringify(t, null, 2));
  writeFileSync(
    join(dir, "cli-params.json"),
    JSON.stringify([{ ParameterKey: "Pitr", ParameterValue: "true" }]),
  );
  writeFileSync(join(dir, "pipeline-params.json"), JSON.stringify({ Parameters: { Pitr: "false" } }));
  writeFileSync(join(dir, "bad-params.json"), JSON.stringify({ Pitr: "true" }));
  writeFileSync(join(dir, "broken.yaml"), "Resources:\n  T:\n    Type: [unclosed\n");
});

const run = async (args: string[]) => {
  const result = await evaluateInProcess([...args, "--format", "json"]);
  return { ...result, out: JSON.parse(result.stdout) as Output };
};
const verdicts = (out: Output | undefined) =>
  Object.fromEntries((out?.results ?? []).map((r) => [r.resourceId, r.compliance]));

describe("compliance evaluate TEMPLATE", () => {
  it("judges each resource of a YAML template with short-form tags: source template, logical ids, types", async () => {
    const { code, out } = await run([EXAMPLE, "--rating", "C3I3A3"]);
    expect(code).toBe(1);
    expect(verdicts(out)).toEqual({
      OrdersTable: "NON_COMPLIANT",
      UploadsBucket: "NON_COMPLIANT",
      JobsQueue: "NON_COMPLIANT",
      ReportsFunction: "NON_COMPLIANT",
    });
    expect(out?.results.every((r) => r.source === "template")).toBe(true);
    const table = out?.results.find((r) => r.resourceId === "OrdersTable");
    expect(table?.resourceType).toBe("AWS::DynamoDB::Table");
    // The finding sits at the property: PointInTimeRecoverySpecification, line 22, column 7.
    expect(table?.findings.find((f) => f.controlId === "DDB.PITR")?.location).toEqual({
      file: EXAMPLE,
      line: 22,
      column: 7,
    });
  });

  it("passes the compliant example, listing as UNKNOWN what depends on another stack's export", async () => {
    const { code, out } = await run([
      COMPLIANT,
      "--rating",
      "C3I3A3",
      "--account",
      "111122223333",
      "--region",
      "eu-west-1",
    ]);
    expect(code).toBe(0);
    expect(Object.values(verdicts(out))).toEqual(Array(6).fill("COMPLIANT"));
    const unknown = out?.results.flatMap((r) =>
      r.findings.filter((f) => f.status === "UNKNOWN").map((f) => f.controlId),
    );
    expect(unknown).toEqual(["SQS.CMK"]);
    expect(out?.summary.unknown).toBe(1);
  });

  it("applies the rating: at C1I1A1 the table's missing PITR is not required", async () => {
    const { out } = await run([EXAMPLE, "--rating", "C1I1A1"]);
    expect(verdicts(out).OrdersTable).toBe("COMPLIANT");
    expect(out?.results[0]?.required).toEqual({ c: 1, i: 1, a: 1 });
  });

  it("takes the rating from --accounts with --account", async () => {
    const accounts = join(dir, "accounts.json");
    writeFileSync(accounts, JSON.stringify({ "111122223333": { tags: { "cia-rating": "C1I1A1" } } }));
    const { out } = await run([EXAMPLE, "--accounts", accounts, "--account", "111122223333"]);
    expect(out?.results[0]?.required).toEqual({ c: 1, i: 1, a: 1 });
  });

  it("reads serverless package and cdk synth output", async () => {
    const { out } = await run([SERVERLESS, CDK, "--rating", "C3I3A3"]);
    expect(verdicts(out)).toMatchObject({
      ServerlessDeploymentBucket: "NON_COMPLIANT",
      CreateOrderLambdaFunction: "NON_COMPLIANT",
      OrdersTable: "NON_COMPLIANT",
      EventsQueue4EE3B2F1: "NON_COMPLIANT",
    });
    const fn = out?.results.find((r) => r.resourceId === "CreateOrderLambdaFunction");
    expect(fn?.findings.find((f) => f.controlId === "LAMBDA.RUNTIME")?.status).toBe("FAIL");
    // The bucket policy serverless writes denies plain HTTP: folded into the bucket's item.
    const bucket = out?.results.find((r) => r.resourceId === "ServerlessDeploymentBucket");
    expect(bucket?.findings.find((f) => f.controlId === "S3.SSL-ONLY")?.status).toBe("PASS");
  });

  it("takes parameter values from CloudFormation's parameter file formats", async () => {
    const file = join(dir, "table.json");
    const pitr = async (args: string[]) =>
      (await run([file, ...args])).out.results[0]?.findings.find((f) => f.controlId === "DDB.PITR")?.status;
    expect(await pitr([])).toBe("UNKNOWN");
    expect(await pitr(["--parameters", join(dir, "cli-params.json")])).toBe("PASS");
    expect(await pitr(["--parameters", join(dir, "pipeline-params.json")])).toBe("FAIL");
  });

  it("writes SARIF with physical locations, so code scanning annotates the template line", async () => {
    const { stdout } = await evaluateInProcess([EXAMPLE, "--format", "sarif"]);
    const results = JSON.parse(stdout).runs[0].results as {
      ruleId: string;
      locations: {
        physicalLocation?: { artifactLocation: { uri: string }; region: { startLine: number } };
      }[];
    }[];
    const pab = results.find((r) => r.ruleId === "S3.PUBLIC-ACCESS-BLOCK");
    expect(pab?.locations[0]?.physicalLocation).toEqual({
      artifactLocation: { uri: EXAMPLE, uriBaseId: "%SRCROOT%" },
      region: { startLine: 28, startColumn: 7 },
    });
  });

  it("bad usage: a parameters file or rating that is wrong is a one-line usage error", async () => {
    await expect(evaluateInProcess([EXAMPLE, "--parameters", join(dir, "bad-params.json")])).rejects.toThrow(
      /^--parameters .*bad-params\.json: expected \[/,
    );
    await expect(evaluateInProcess([EXAMPLE, "--rating", "C9"])).rejects.toThrow(
      /--rating: "C9" is not a rating/,
    );
  });

  it("bad input: one line naming the file and the line, exit 2, the other inputs still evaluated", async () => {
    const broken = cli(["evaluate", join(dir, "broken.yaml"), EXAMPLE, "--format", "json"]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(
      /^compliance evaluate: .*broken\.yaml: not valid YAML at line \d+, column \d+/,
    );
    expect(broken.stderr.trim().split("\n")).toHaveLength(1);
    expect((JSON.parse(broken.stdout) as Output).results).toHaveLength(4);
  });
});

describe("templates CloudFormation would not take, or would take otherwise, are refused with the reason", () => {
  const write = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  /** The one line said about the file, and the exit code. */
  const refused = async (file: string) => {
    const { code, stderr } = await evaluateInProcess([file, "--format", "json"]);
    expect(code).toBe(2);
    const lines = stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    return lines[0]!.replace(file, "FILE");
  };

  it("an AWS SAM template: its resources exist only once CloudFormation expands the transform", async () => {
    const file = write(
      "sam.yaml",
      [
        "Transform: AWS::Serverless-2016-10-31",
        "Resources:",
        "  Fn:",
        "    Type: AWS::Serverless::Function",
        "    Properties: { Runtime: nodejs16.x, Handler: index.handler, CodeUri: . }",
        "",
      ].join("\n"),
    );
    expect(await refused(file)).toBe(
      "compliance evaluate: FILE: Resources.Fn is an AWS::Serverless::Function: the template uses the AWS SAM transform, which CloudFormation expands only when it deploys; evaluate the processed template (aws cloudformation get-template --template-stage Processed)",
    );
  });

  it("Fn::ForEach, a resource without a Type, an empty Resources: named, not read as configuration items", async () => {
    const forEach = write(
      "for-each.yaml",
      [
        "Transform: AWS::LanguageExtensions",
        "Resources:",
        "  Fn::ForEach::Queues:",
        "    - Name",
        "    - [Orders, Payments]",
        "    - QueueOf&{Name}: { Type: AWS::SQS::Queue }",
        "  Plain: { Type: AWS::SQS::Queue }",
        "",
      ].join("\n"),
    );
    expect(await refused(forEach)).toMatch(
      /^compliance evaluate: FILE: not a CloudFormation template: Resources\.Fn::ForEach::Queues: Fn::ForEach belongs to the AWS::LanguageExtensions transform/,
    );
    const untyped = write(
      "untyped.json",
      JSON.stringify({ Resources: { Q: { Type: "AWS::SQS::Queue" }, Topic: { Properties: {} } } }),
    );
    expect(await refused(untyped)).toBe(
      "compliance evaluate: FILE: not a CloudFormation template: Resources.Topic has no Type",
    );
    const empty = write("empty-resources.json", JSON.stringify({ Resources: {} }));
    expect(await refused(empty)).toBe(
      "compliance evaluate: FILE: not a CloudFormation template: Resources is empty",
    );
  });

  it("a key given twice (CloudFormation would take one of them), in JSON and in YAML", async () => {
    const json = write(
      "twice.json",
      '{"Resources": {\n  "Q": {"Type": "AWS::SQS::Queue", "Properties": {"KmsMasterKeyId": {"Fn::ImportValue": "k"}}},\n  "Q": {"Type": "AWS::SQS::Queue"}\n}}\n',
    );
    expect(await refused(json)).toBe(
      'compliance evaluate: FILE: duplicate key "Q" at line 3, column 3: CloudFormation would take one of them',
    );
    const yaml = write(
      "twice.yaml",
      "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n  Q:\n    Type: AWS::SNS::Topic\n",
    );
    expect(await refused(yaml)).toMatch(
      /^compliance evaluate: FILE: not valid YAML at line 4, column 3: Map keys must be unique/,
    );
  });

  it("UsePreviousValue: the stack's value is unknown, never the parameter's default", async () => {
    const file = write(
      "previous.yaml",
      [
        "Parameters:",
        "  Pitr: { Type: String, Default: 'false' }",
        "Resources:",
        "  Table:",
        "    Type: AWS::DynamoDB::Table",
        "    Properties:",
        "      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: !Ref Pitr }",
        "",
      ].join("\n"),
    );
    const params = write(
      "previous-params.json",
      JSON.stringify([{ ParameterKey: "Pitr", UsePreviousValue: true }]),
    );
    const pitr = async (args: string[]) =>
      (await run([file, ...args])).out.results[0]?.findings.find((f) => f.controlId === "DDB.PITR");
    expect((await pitr([]))?.status).toBe("FAIL");
    const previous = (await run([file, "--parameters", params])).out.results[0]?.findings.find(
      (f) => f.controlId === "DDB.PITR",
    ) as { status: string; message: string } | undefined;
    expect(previous?.status).toBe("UNKNOWN");
    expect(previous?.message).toMatch(/parameter Pitr keeps its previous value \(UsePreviousValue\)/);
  });

  it("a parameters, accounts or template file that is not JSON: where, never its text (it may hold secrets)", async () => {
    const params = write("secret-params.json", "DbPassword=hunter2-secret\n");
    await expect(evaluateInProcess([EXAMPLE, "--parameters", params])).rejects.toThrow(
      /^--parameters .*secret-params\.json: not valid JSON: unexpected letter at line 1, column 1$/,
    );
    const accounts = write("secret-accounts.json", '{"111122223333": {"tags": {"token": hunter2-secret}}}');
    const viaAccounts = await evaluateInProcess([EXAMPLE, "--accounts", accounts, "--format", "json"]).catch(
      (error: Error) => ({ stderr: error.message }),
    );
    expect(viaAccounts.stderr).toMatch(/not valid JSON: unexpected letter at line 1, column 37/);
    expect(viaAccounts.stderr).not.toMatch(/hunter2/);
    const template = write(
      "secret-template.json",
      '{"Parameters": {"Token": {"Type": "String", "Default": hunter2-secret}}, "Resources": {}}',
    );
    const { stderr } = await evaluateInProcess([template, "--format", "json"]);
    expect(stderr).toMatch(/not valid JSON: unexpected letter at line 1, column 56/);
    expect(stderr).not.toMatch(/hunter2/);
  });
});
