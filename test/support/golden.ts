// The evaluate command's JSON output on every real item, run in process with a pinned clock.
// test/engine/golden.test.ts compares it byte for byte with what test/fixtures/golden/ recorded,
// so a faster hot path can never change a verdict, a message, an annotation or the record's bytes.
// Re-record on purpose only (a catalogue change): `node bin/run-ts.mjs test/support/golden-record.ts`.

import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { evaluateCommand } from "../../cli/commands/evaluate.ts";

export const GOLDEN_DIR = fileURLToPath(new URL("../fixtures/golden/", import.meta.url));
const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Each input set: its golden file name and the evaluate arguments (relative to the repository). */
export const GOLDEN_SETS: ReadonlyArray<{ name: string; args: string[] }> = [
  { name: "sample-organisation.json", args: [] },
  { name: "ci.json", args: ["test/fixtures/ci"] },
  { name: "ci-partial.json", args: ["test/fixtures/ci-partial"] },
  { name: "events.json", args: ["test/fixtures/events"] },
  { name: "policy-fixtures.json", args: ["policies/fixtures"] },
];

/** A pinned clock: waiver expiry must not change the recorded output as days pass. */
export const GOLDEN_NOW = new Date("2026-11-28T00:00:00Z");

class Collect extends Writable {
  text = "";
  override _write(chunk: Buffer | string, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

export async function goldenOutput(args: string[]): Promise<{ code: number; stdout: string }> {
  const stdout = new Collect();
  const stderr = new Collect();
  const previous = process.cwd();
  process.chdir(ROOT);
  try {
    const code = await evaluateCommand.run([...args, "--format", "json", "--exit-zero"], {
      stdout,
      stderr,
      now: () => GOLDEN_NOW,
      cwd: ROOT,
    });
    return { code, stdout: stdout.text };
  } finally {
    process.chdir(previous);
  }
}
