// `npm run package` (build/package.mjs): the same bundles give the same zip bytes and sha256,
// whatever the time zone, the files' times or the order they are found in.

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { packageHandlers as pack, zipEntries as zip } from "../../build/package.mjs";
import { bundleText, ensureBundle, HANDLERS } from "../support/bundles.ts";
import { ROOT } from "../support/cli.ts";

const temp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));
const PACKAGE = join(ROOT, "build/package.mjs");

function bundles(content = "export const handler = async () => 'ok';\n"): string {
  const dir = temp("compliance-bundles-");
  writeFileSync(join(dir, "config-rule.mjs"), content);
  writeFileSync(join(dir, "config-rule.mjs.map"), '{"version":3,"sources":[],"mappings":""}');
  writeFileSync(join(dir, "notifier.mjs"), "export const handler = async () => 'notified';\n");
  writeFileSync(join(dir, "README.txt"), "not a bundle");
  return dir;
}

describe("deterministic packages", () => {
  it("packages each bundle with its source map, and nothing else", async () => {
    const packages = await pack(bundles(), temp("compliance-packages-"));
    expect(packages.map((p) => [p.name, p.entries])).toEqual([
      ["config-rule", ["config-rule.mjs", "config-rule.mjs.map"]],
      ["notifier", ["notifier.mjs"]],
    ]);
    for (const p of packages) {
      expect(p.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(Buffer.from(p.codeSha256, "base64").toString("hex")).toBe(p.sha256);
      expect(p.s3Key).toBe(`compliance/${p.name}-${p.sha256.slice(0, 16)}.zip`);
    }
  });

  it("gives the same bytes for the same sources, whatever the files' times", async () => {
    const a = bundles();
    const b = bundles();
    utimesSync(
      join(b, "config-rule.mjs"),
      new Date("2001-02-03T04:05:06Z"),
      new Date("2001-02-03T04:05:06Z"),
    );
    const outA = temp("compliance-packages-");
    const outB = temp("compliance-packages-");
    const [first, second] = [await pack(a, outA), await pack(b, outB)];
    expect(second.map((p) => p.sha256)).toEqual(first.map((p) => p.sha256));
    expect(
      readFileSync(join(outB, "config-rule.zip")).equals(readFileSync(join(outA, "config-rule.zip"))),
    ).toBe(true);
  });

  it("gives different bytes when a source changes", async () => {
    const [before] = await pack(bundles(), temp("compliance-packages-"));
    const [after] = await pack(
      bundles("export const handler = async () => 'changed';\n"),
      temp("compliance-packages-"),
    );
    expect(after!.sha256).not.toBe(before!.sha256);
  });

  it("does not depend on the order entries are added in", async () => {
    const x = { name: "a.mjs", data: Buffer.from("a") };
    const y = { name: "a.mjs.map", data: Buffer.from("{}") };
    expect((await zip([x, y])).equals(await zip([y, x]))).toBe(true);
  });

  it("does not depend on the time zone (run as `npm run package` does)", async () => {
    const dir = bundles();
    // The zip times are local times fixed when the module loads, so a time zone only counts from
    // a process's start: this process's packages against a process started in another zone (one
    // whose offset differs from this one's on the fixed date, 1980-01-01).
    const here = await pack(dir, temp("compliance-packages-"));
    const elsewhere = new Date(1980, 0, 1).getTimezoneOffset() === 0 ? "Pacific/Auckland" : "UTC";
    const out = temp("compliance-packages-");
    const stdout = execFileSync(process.execPath, [PACKAGE, "--in", dir, "--out", out], {
      env: { ...process.env, TZ: elsewhere },
      encoding: "utf8",
    });
    const bytes = readFileSync(join(out, "config-rule.zip"));
    expect(bytes.equals(readFileSync(here.find((p) => p.name === "config-rule")!.file))).toBe(true);
    expect(stdout).toMatch(
      /^config-rule\.zip\t\d+ bytes\tsha256 [0-9a-f]{64}\ts3 key compliance\/config-rule-/m,
    );
  });

  it("says what is missing when there is nothing to package", async () => {
    await expect(pack(join(temp("compliance-empty-"), "nothing"), temp("x-"))).rejects.toThrow(
      /npm run build/,
    );
    await expect(pack(temp("compliance-empty-"), temp("x-"))).rejects.toThrow(/no \*\.mjs bundles/);
  });
});

describe("packages of the real bundles", () => {
  // The bundles `npm run build` wrote, built once for the test run (test/support/bundles.ts).
  const built = HANDLERS;
  beforeAll(() => ensureBundle(), 120_000);

  it("are byte for byte the same when packaged twice", async () => {
    const first = await pack(built, temp("compliance-packages-"));
    const second = await pack(built, temp("compliance-packages-"));
    expect(first.map((p) => p.name)).toEqual(["config-rule", "hook", "notifier", "stackset-reconciler"]);
    expect(second.map((p) => p.sha256)).toEqual(first.map((p) => p.sha256));
    // The handlers the templates name: <file>.handler at the root of the zip, one file each (with
    // its source map): every bundle is self-contained.
    for (const p of first) expect(p.entries).toEqual([`${p.name}.mjs`, `${p.name}.mjs.map`]);
    // The policy simulator is AGPL-licensed: a test tool that must never ship in a bundle.
    for (const p of first) {
      expect(bundleText(join(built, `${p.name}.mjs`))).not.toMatch(/iam-simulate|@cloud-copilot/);
    }
  });
});
