// The example GitHub workflow and the policy-workflow doc must call commands and options that
// exist, so they cannot drift from the CLI: every `npx compliance <command> --option` and every
// `npm run <script>` in them is checked against the CLI's commands and package.json.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { COMMANDS } from "../../cli/commands/index.ts";
import { ROOT } from "../support/cli.ts";

interface Step {
  run?: string;
  uses?: string;
  with?: Record<string, unknown>;
  id?: string;
}
interface Job {
  if?: string;
  permissions?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: { pull_request: { paths: string[] }; push: { branches: string[] } };
  jobs: Record<string, Job>;
}

const workflowText = readFileSync(join(ROOT, "examples/github/policies.yml"), "utf8");
const workflow = parse(workflowText) as Workflow;
const doc = readFileSync(join(ROOT, "docs/POLICY-WORKFLOW.md"), "utf8");
const scripts = Object.keys(
  (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> })
    .scripts,
);

/** Every `compliance <command> ...` invocation in a text, up to the end of its shell command. */
function invocations(text: string): { command: string; options: string[] }[] {
  return [...text.matchAll(/npx compliance ([a-z]+)([^\n;&|)`]*)/g)].map((m) => ({
    command: m[1]!,
    options: [...(m[2] ?? "").matchAll(/(?:^|\s)(--[a-z-]+)/g)].map((o) => o[1]!),
  }));
}

describe("examples/github/policies.yml and docs/POLICY-WORKFLOW.md", () => {
  it("call only commands and options the CLI has", () => {
    const calls = [...invocations(workflowText), ...invocations(doc)];
    expect(calls.length).toBeGreaterThan(8);
    for (const call of calls) {
      const command = COMMANDS.find((c) => c.name === call.command);
      expect(command, `compliance ${call.command}`).toBeDefined();
      for (const option of call.options)
        expect(command!.usage, `compliance ${call.command} ${option}`).toContain(option);
    }
    for (const m of `${workflowText}\n${doc}`.matchAll(/npm run ([a-z:-]+)/g))
      expect(scripts).toContain(m[1]);
  });

  it("runs validate (SARIF upload), test (JUnit), diff (comment) and synth on pull requests touching policies/", () => {
    expect(workflow.on.pull_request.paths).toContain("policies/**");
    const { validate, test, diff, synth, deploy } = workflow.jobs;
    const runs = (job: Job | undefined) => (job?.steps ?? []).map((s) => s.run ?? "").join("\n");
    expect(runs(validate)).toContain("npx compliance validate --format sarif > validate.sarif");
    const upload = validate!.steps.find((s) => s.uses?.startsWith("github/codeql-action/upload-sarif"));
    expect(upload?.with?.sarif_file).toBe("validate.sarif");
    expect(validate!.permissions?.["security-events"]).toBe("write");
    expect(runs(test)).toContain("npx compliance test --format junit");
    expect(runs(diff)).toMatch(/npx compliance diff --base "origin\/\$\{\{ github.base_ref \}\}"/);
    expect(diff!.permissions?.["pull-requests"]).toBe("write");
    expect(JSON.stringify(diff!.steps)).toContain("<!-- compliance-diff -->");
    expect(runs(synth)).toContain("npx compliance synth");
    expect(runs(synth)).toContain("git diff --exit-code -- cloudformation/");
    // Deploy only from main, after build and package.
    expect(deploy!.if).toContain("refs/heads/main");
    expect(runs(deploy)).toContain("npm run build && npm run package");
    expect(runs(deploy)).toContain("cloudformation/management.json");
  });
});
