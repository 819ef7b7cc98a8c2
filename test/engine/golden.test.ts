// Byte-identical output on every real item: the evaluate command's JSON report (verdicts,
// messages, annotations, the record's bytes) equals what test/fixtures/golden/ recorded before
// the hot path was reworked. See test/support/golden.ts.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { GOLDEN_DIR, GOLDEN_SETS, goldenOutput } from "../support/golden.ts";

describe("evaluate --format json on every real item equals the recorded output", () => {
  it.each(GOLDEN_SETS.map((s) => [s.name, s] as const))("%s", async (_name, set) => {
    const expected = readFileSync(join(GOLDEN_DIR, set.name), "utf8");
    const { stdout } = await goldenOutput(set.args);
    expect(stdout.length).toBeGreaterThan(1000);
    // Compared record by record first, so a difference names the resource.
    const actualLines = stdout.split("\n");
    const expectedLines = expected.split("\n");
    for (let i = 0; i < Math.max(actualLines.length, expectedLines.length); i++) {
      expect(actualLines[i], `line ${i + 1}`).toBe(expectedLines[i]);
    }
    expect(stdout).toBe(expected);
  });
});
