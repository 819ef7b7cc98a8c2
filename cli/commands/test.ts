// `compliance test [--policies DIR] [--format text|json|junit]`: runs every control's own cases.

import { runCases } from "../../engine/cases.ts";
import { fixtureReader } from "../../engine/catalogue-files.ts";
import { parseCommandArgs } from "../args.ts";
import type { Command } from "../command.ts";
import { EXIT } from "../errors.ts";
import { loadCatalogueDir, reportCatalogueErrors } from "../load-catalogue.ts";

const USAGE = "usage: compliance test [--policies DIR] [--format text|json|junit]";

export const testCommand: Command = {
  name: "test",
  summary: "run every control's own pass/fail cases",
  usage: USAGE,
  async run(args, io) {
    const { values } = parseCommandArgs(args, {
      policies: { type: "string", value: "DIR" },
      format: { type: "string", value: "FORMAT", choices: ["text", "json", "junit"] },
    });
    const format = values.format ?? "text";
    const loaded = loadCatalogueDir(values.policies, io.now());
    // A broken catalogue has no cases worth running: its controls may be missing or wrong, and
    // "N passed, 0 failed" would read as green.
    if (reportCatalogueErrors(loaded, io.stderr)) {
      io.stderr.write(
        `compliance test: ${loaded.catalogueErrors.length} error(s) in the catalogue: no case was run (details: compliance validate)\n`,
      );
      return EXIT.FINDINGS;
    }
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
    return failed.length === 0 ? EXIT.OK : EXIT.FINDINGS;
  },
};
