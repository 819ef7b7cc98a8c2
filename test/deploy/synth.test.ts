// `compliance synth` and `compliance scp` as a user runs them, and the committed templates:
// a test fails when cloudformation/ is out of date, so a pull request shows the templates' diff.

import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import type { Command } from "../../cli/command.ts";
import { scpCommand } from "../../cli/commands/scp.ts";
import { synthCommand } from "../../cli/commands/synth.ts";
import { readScpSettings } from "../../deploy/scp-settings.ts";
import { synthesise } from "../../deploy/synth.ts";
import { InputError } from "../../engine/errors.ts";
import { DEFAULT_POLICIES_DIR } from "../../loader/policy-files.ts";
import { repositoryCatalogue } from "../support/catalogue.ts";
import { cli, ROOT } from "../support/cli.ts";

const catalogue = repositoryCatalogue();
const settings = readScpSettings();

describe("the committed templates", () => {
  it("are what `compliance synth` generates from the catalogue now (run `npx compliance synth` when this fails)", () => {
    const { files } = synthesise(catalogue, settings);
    const stale = Object.entries(files)
      .filter(([name, text]) => {
        try {
          return readFileSync(join(ROOT, "cloudformation", name), "utf8") !== text;
        } catch {
          return true;
        }
      })
      .map(([name]) => `cloudformation/${name}`);
    expect(stale).toEqual([]);
  });

  it("are generated deterministically", () => {
    expect(synthesise(catalogue, settings).files).toEqual(synthesise(catalogue, settings).files);
  });
});

/** A copy of the policies directory, to change without touching the repository's. */
function policiesCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), "compliance-policies-"));
  for (const f of readdirSync(DEFAULT_POLICIES_DIR)) {
    if (f.endsWith(".json")) copyFileSync(join(DEFAULT_POLICIES_DIR, f), join(dir, f));
  }
  return dir;
}

/** Runs a command in-process, capturing its output. */
async function run(
  command: Command,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const stream = (append: (text: string) => void) =>
    new Writable({
      write(chunk, _encoding, done) {
        append(String(chunk));
        done();
      },
    });
  const code = await command.run(args, {
    stdout: stream((t) => {
      stdout += t;
    }),
    stderr: stream((t) => {
      stderr += t;
    }),
    now: () => new Date("2026-01-01T00:00:00Z"),
    cwd: ROOT,
  });
  return { code, stdout, stderr };
}

describe("compliance synth", () => {
  it("writes the three templates and the SCPs, and --check finds them up to date or stale", async () => {
    const out = mkdtempSync(join(tmpdir(), "compliance-synth-"));
    const written = await run(synthCommand, ["--out", out]);
    expect(written.stderr).toBe("");
    expect(written.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual([
      "central.json",
      "management.json",
      "member.json",
      "service-control-policies.json",
    ]);
    expect(written.stdout).toMatch(/member template: \d+ Config rules, \d+ of 51200 bytes/);
    expect(written.stdout).toMatch(/SCP compliance-[a-z-]+: \d+ of 5120 characters/);
    expect((await run(synthCommand, ["--out", out, "--check"])).code).toBe(0);
    writeFileSync(join(out, "member.json"), "{}\n");
    const stale = await run(synthCommand, ["--out", out, "--check"]);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain("out of date:");
    expect(stale.stderr).toContain("member.json");
  });
});

describe("compliance scp", () => {
  it("prints the minified policy and its size (as a user runs it)", () => {
    const result = cli(["scp"]);
    expect(result.code).toBe(0);
    for (const line of result.stdout.trim().split("\n")) {
      expect(line).toBe(JSON.stringify(JSON.parse(line)));
      expect(line.length).toBeLessThanOrEqual(5120);
    }
    expect(result.stderr).toMatch(/compliance-[a-z-]+: \d+ of 5120 characters/);
  });

  it("writes --out FILE", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "compliance-scp-")), "scp.json");
    expect((await run(scpCommand, ["--out", file])).code).toBe(0);
    // Several policies: scp-1.json, scp-2.json...; the allow-list leads the first.
    const first = file.replace(/\.json$/, "-1.json");
    expect(JSON.parse(readFileSync(first, "utf8")).Statement[0].Sid).toBe("DenyServicesOutsideCatalogue");
  });

  it("exits 1 with the numbers when the allow-list does not fit in one SCP", async () => {
    const dir = policiesCopy();
    const prefixes = Array.from({ length: 330 }, (_, i) => `extra-service-${String(i).padStart(3, "0")}`);
    writeFileSync(
      join(dir, "zz-too-many.json"),
      JSON.stringify({
        service: "zz-too-many",
        title: "Too many",
        iamPrefixes: prefixes,
        resourceTypes: [],
        controls: [],
      }),
    );
    const result = await run(scpCommand, ["--policies", dir]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    const message = result.stderr.trim();
    expect(message.split("\n")).toHaveLength(1);
    expect(message).toMatch(
      /allow-list SCP is \d+ characters minified, over the 5120-character limit by \d+ \(\d+ service prefixes\)/,
    );
    const out = mkdtempSync(join(tmpdir(), "compliance-synth-"));
    expect((await run(synthCommand, ["--policies", dir, "--out", out])).code).toBe(1);
  });

  it("names the settings file and the field when it is wrong", async () => {
    const dir = policiesCopy();
    const settingsFile = join(dir, "scp.json");
    const data = JSON.parse(readFileSync(settingsFile, "utf8"));
    data.allowedRegions = ["nowhere"];
    writeFileSync(settingsFile, JSON.stringify(data));
    const error = await run(scpCommand, ["--policies", dir]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).source).toMatch(/scp\.json$/);
    expect((error as InputError).message).toContain("/allowedRegions/0");
  });
});
