// The package as a user gets it: `npm pack` of the repository, installed into a new project outside
// it (dependencies from the npm cache, else the registry), used from plain JavaScript on Node
// without any TypeScript loader: `createEngine` evaluates a real item to the very record
// `compliance evaluate --format json` writes, the installed `compliance` prints its version, and
// run from a project with its own ./policies it uses that catalogue and says so.

import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, runCli } from "../support/cli.ts";
import { FIXTURES } from "../support/fixtures.ts";

const ITEM = join(FIXTURES, "ci/AWS_DynamoDB_Table/rdk-sample-ci.json");
const npm = (args: string[], cwd: string) =>
  execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

let dir: string;
let project: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "compliance-pack-"));
  project = join(dir, "consumer");
  mkdirSync(project);
  // The build that `prepare` made (npm ci) is what is packed; scripts off so the pack does not
  // rebuild dist/ under tests that run the CLI at the same time.
  const packed = JSON.parse(npm(["pack", "--json", "--ignore-scripts", "--pack-destination", dir], ROOT)) as {
    filename: string;
  }[];
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({ name: "consumer", version: "1.0.0", type: "module", private: true }),
  );
  npm(
    [
      "install",
      join(dir, packed[0]!.filename),
      "--prefer-offline",
      "--no-audit",
      "--no-fund",
      "--ignore-scripts",
    ],
    project,
  );
  copyFileSync(ITEM, join(project, "item.json"));
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The fixtures the cases of policies/dynamodb.json name. */
function dynamodbFixtures(): string[] {
  const policy = JSON.parse(readFileSync(join(ROOT, "policies/dynamodb.json"), "utf8")) as {
    controls: { cases: { fixture?: string }[] }[];
  };
  return [...new Set(policy.controls.flatMap((c) => c.cases.flatMap((k) => (k.fixture ? [k.fixture] : []))))];
}

const node = (args: string[], cwd: string) => {
  const run = spawnSync(process.execPath, args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
};

/**
 * One plain Node process using the installed package both ways (its own catalogue, then policies
 * the caller gives) for the first two tests: a Node start and a package load instead of two.
 * Run on first use; the caller's catalogue coming second also shows it does not reuse the first.
 */
let consumerRun: { code: number | null; stdout: string; stderr: string } | undefined;
function consumer() {
  if (consumerRun) return consumerRun;
  writeFileSync(join(project, "own.json"), readFileSync(join(ROOT, "policies/dynamodb.json"), "utf8"));
  writeFileSync(
    join(project, "index.mjs"),
    [
      'import { readFileSync } from "node:fs";',
      'import { createEngine, InputError } from "aws-compliance-engine";',
      'const item = JSON.parse(readFileSync("item.json", "utf8"));',
      "const engine = createEngine();",
      'const fromString = engine.evaluate(item, { rating: "C3I3A3", now: new Date() });',
      "const fromObject = engine.evaluate(item, { rating: { c: 3, i: 3, a: 3 }, now: new Date() });",
      'const given = createEngine({ policies: [JSON.parse(readFileSync("own.json", "utf8"))] });',
      'const record = given.evaluate(item, { rating: "C1I1A1", now: new Date() });',
      "let rejected = '';",
      'try { given.evaluate(item, { rating: "C9", now: new Date() }); } catch (e) { rejected = e instanceof InputError ? e.message : "other"; }',
      "console.log(JSON.stringify({",
      "  own: { fromString, fromObject, controls: engine.controls.length },",
      "  given: { services: [...new Set(given.controls.map((c) => c.service))], compliance: record.compliance, rejected },",
      "}));",
    ].join("\n"),
  );
  consumerRun = node(["index.mjs"], project);
  return consumerRun;
}

describe("the packed package in a plain Node project", () => {
  it("evaluates a real item through createEngine to the record `evaluate --format json` writes", async () => {
    const run = consumer();
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.code).toBe(0);
    const out = (
      JSON.parse(run.stdout) as { own: { fromString: unknown; fromObject: unknown; controls: number } }
    ).own;
    const expected = JSON.parse((await runCli(["evaluate", ITEM, "--format", "json", "--exit-zero"])).stdout)
      .results[0];
    expect(expected.compliance).toBe("NON_COMPLIANT");
    expect(out.fromString).toEqual(expected);
    expect(out.fromObject).toEqual(expected);
    expect(out.controls).toBeGreaterThan(0);
  });

  it("evaluates with policies the caller gives, and rejects a bad rating in one line", () => {
    const run = consumer();
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout).given;
    expect(out.services).toEqual(["dynamodb"]);
    expect(["COMPLIANT", "NON_COMPLIANT"]).toContain(out.compliance);
    expect(out.rejected).toMatch(/^rating: expected/);
  });

  it("ships type declarations without Ajv types in the public API", () => {
    const installed = join(project, "node_modules/aws-compliance-engine");
    const pkg = JSON.parse(readFileSync(join(installed, "package.json"), "utf8"));
    const types = readFileSync(join(installed, pkg.exports["."].types), "utf8");
    expect(types).toContain("createEngine");
    const facade = readFileSync(join(installed, "dist/lib/engine/index.d.ts"), "utf8");
    expect(`${types}\n${facade}`).not.toMatch(/ajv|ValidateFunction|ErrorObject/i);
  });

  it("installs the compliance command: --version, and the project's own ./policies named", () => {
    const bin = join(project, "node_modules/.bin/compliance");
    const version = spawnSync(bin, ["--version"], { cwd: project, encoding: "utf8" });
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version);
    mkdirSync(join(project, "policies"), { recursive: true });
    copyFileSync(join(ROOT, "policies/dynamodb.json"), join(project, "policies/dynamodb.json"));
    // With the fixtures its cases name: validate checks that every case's fixture exists.
    for (const fixture of dynamodbFixtures()) {
      mkdirSync(join(project, "policies/fixtures", fixture, ".."), { recursive: true });
      copyFileSync(join(ROOT, "policies/fixtures", fixture), join(project, "policies/fixtures", fixture));
    }
    const validate = spawnSync(bin, ["validate"], { cwd: project, encoding: "utf8" });
    expect(validate.status).toBe(0);
    expect(validate.stderr).toContain("using the catalogue in ./policies");
    expect(validate.stdout).toMatch(/^ok: 1 policy files/m);
    rmSync(join(project, "policies"), { recursive: true });
  });
});
