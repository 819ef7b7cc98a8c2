// What a command loads when it starts: each command is loaded only when it runs, and a command that
// uses the package's own catalogue takes its validators as generated at build time, so it loads
// no schema compiler (Ajv's compiler and formats), no YAML parser (templates only) and no pattern
// checker (`validate` only). Each run is a new process (bin/compliance.mjs, as a user starts it)
// with a hook that lists, at exit, every package module the process loaded.

import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { COMMAND_LOADERS } from "../../cli/commands/registry.ts";
import { ROOT } from "../support/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "compliance-start-up-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HOOK = join(dir, "hook.mjs");
writeFileSync(
  HOOK,
  `import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
process.on("exit", () => writeFileSync(process.env.MODULES_FILE, Object.keys(require.cache).join("\\n")));
`,
);
const BIN = join(ROOT, "bin/compliance.mjs");
const ITEM = join(ROOT, "test/fixtures/ci/AWS_DynamoDB_Table/rdk-sample-ci.json");

/** The package modules (under node_modules) a new `compliance ARGS` process loaded, as `package/path`. */
function loadedModules(args: string[], name: string): string[] {
  const modulesFile = join(dir, `${name}.txt`);
  const run = spawnSync(process.execPath, ["--import", pathToFileURL(HOOK).href, BIN, ...args], {
    // A directory without ./policies: the package's own catalogue.
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, MODULES_FILE: modulesFile, NO_COLOR: "1" },
  });
  expect(run.status, run.stderr).toBe(0);
  return readFileSync(modulesFile, "utf8")
    .split("\n")
    .flatMap((path) => {
      const at = path.lastIndexOf("node_modules/");
      return at === -1 ? [] : [path.slice(at + "node_modules/".length)];
    });
}

const SCHEMA_COMPILER = /^ajv\/dist\/(ajv|core|compile\/)|^ajv-formats\//;

describe("start-up", () => {
  it("knows every command by its own name", async () => {
    for (const entry of COMMAND_LOADERS) expect((await entry.load()).name).toBe(entry.name);
  });

  it("evaluates with the package's catalogue without a schema compiler, a YAML parser or the pattern checker", () => {
    const loaded = loadedModules(["evaluate", ITEM, "--format", "json", "--exit-zero"], "evaluate");
    // It did load packages (the hook sees them): the generated validators' runtime helper among them.
    expect(loaded.some((m) => m.startsWith("ajv/dist/runtime/"))).toBe(true);
    expect(loaded.filter((m) => SCHEMA_COMPILER.test(m))).toEqual([]);
    expect(loaded.filter((m) => /^(yaml|recheck)\//.test(m))).toEqual([]);
  });

  it("loads the schema compiler when the catalogue must be compiled: another policies directory", () => {
    // One service's policy is enough to be compiled: the compiler loads for any catalogue but the
    // package's own.
    const policies = join(dir, "policies-copy");
    mkdirSync(policies);
    copyFileSync(join(ROOT, "policies/sqs.json"), join(policies, "sqs.json"));
    const loaded = loadedModules(
      ["evaluate", ITEM, "--policies", policies, "--format", "json", "--exit-zero"],
      "compiled",
    );
    expect(loaded.filter((m) => SCHEMA_COMPILER.test(m)).length).toBeGreaterThan(0);
  });
});
