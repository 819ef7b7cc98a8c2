// `compliance test [--policies DIR] [--format text|json|junit]`: runs every control's own cases.

import { parseArgs } from "node:util";
import { runCases } from "../../engine/cases.ts";
import { fixtureReader } from "../../loader/policy-files.ts";
import type { Command } from "../command.ts";
import { EXIT, UsageError } from "../errors.ts";
import { loadCatalogueDir, reportCatalogueErrors } from "../load-catalogue.ts";

const USAGE = "usage: compliance test [--policies DIR] [--format text|json|junit]";

export const testCommand: Command = {
  name: "test",
  summary: "run every control's own pass/fail cases",
  usage: USAGE,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: { policies: { type: "string" }, format: { type: "string", default: "text" } },
      strict: true,
    });
    const format = values.format;
    if (!["text", "json", "junit"].includes(format)) throw new UsageError(`unknown format "${format}"`);
    const loaded = loadCatalogueDir(values.policies, io.now());
    const catalogueFailed = reportCatalogueErrors(loaded, io.stderr);
    const results = runCases(loaded.catalogue, fixtureReader(loaded.dir));
    const failed = results.filter((r) => !r.ok);
    if (format === "json") {
      io.stdout.write(`${JSON.stringify({ results }, null, 2)}\n`);
    } else if (format === "junit") {
      const { renderJunit } = await import("../../engine/report/junit.ts");
      io.stdout.write(renderJunit(results));
    } else {
      for (const r of failed) {
        io.stdout.write(
          `FAIL ${r.controlId} case ${r.caseIndex} "${r.name}" (${r.file}): expected ${r.expected}, got ${r.actual}: ${r.message}\n`,
        );
      }
      const controls = new Set(results.map((r) => r.controlId)).size;
      io.stdout.write(
        `${results.length - failed.length} passed, ${failed.length} failed (${controls} controls)\n`,
      );
    }
    return failed.length === 0 && !catalogueFailed ? EXIT.OK : EXIT.FINDINGS;
  },
};
