// The README's run of the built Config rule on one item (test/handlers/config-rule/local-invoke.ts)
// is marked illustrative, since the examples test runs only the CLI in-process: this test runs that
// command as the reader would, in a new process, and compares its output with the block (volatile
// parts masked, as in examples.test.ts).

import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { ensureBundle } from "../support/bundles.ts";
import { ROOT } from "../support/cli.ts";
import { fencedBlocks, mask, matches, steps } from "./console-blocks.ts";

const COMMAND = "node bin/run-ts.mjs test/handlers/config-rule/local-invoke.ts";

describe("the README's local run of the Config rule", () => {
  it("prints what the README shows", async () => {
    const blocks = fencedBlocks(join(ROOT, "README.md")).filter((b) =>
      b.lines.some((l) => l.startsWith(`$ ${COMMAND} `)),
    );
    expect(blocks).toHaveLength(1);
    // The block without its first line (the illustrative mark).
    const [step, ...others] = steps({ ...blocks[0]!, lines: blocks[0]!.lines.slice(1) });
    expect(others).toEqual([]);
    ensureBundle();
    const [program, ...args] = step!.command.split(/\s+/);
    expect(program).toBe("node");
    const { stdout, stderr } = await promisify(execFile)(process.execPath, args, {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" },
      timeout: 60_000,
    });
    const output = `${stdout}${stderr}`.replace(/\n$/, "").split("\n");
    if (!matches(step!.expected, output)) {
      expect(output.map(mask).join("\n")).toBe(step!.expected.map(mask).join("\n"));
    }
  }, 90_000);
});
