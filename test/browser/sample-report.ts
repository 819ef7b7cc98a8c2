// The HTML report of the embedded sample organisation, rendered the way `compliance evaluate
// --format html` renders it, at a pinned time so that screenshots do not change from run to run.

import { Writable } from "node:stream";
import { evaluateCommand } from "../../cli/commands/evaluate.ts";

/** Report time of the committed screenshots: shortly after the sample's data-as-of time. */
export const SAMPLE_REPORT_TIME = new Date("2026-11-27T09:30:00Z");

export async function renderSampleReport(out: string): Promise<void> {
  const sink = () =>
    new Writable({
      write(_chunk, _enc, done) {
        done();
      },
    });
  const code = await evaluateCommand.run(["--format", "html", "--out", out, "--exit-zero"], {
    stdout: sink(),
    stderr: sink(),
    now: () => SAMPLE_REPORT_TIME,
    cwd: process.cwd(),
  });
  if (code !== 0) throw new Error(`evaluate exited ${code}`);
}
