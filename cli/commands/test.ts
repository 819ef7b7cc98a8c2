// `compliance test [--policies DIR] [--format text|json|junit]`: runs every control's own cases.

import { runCases } from "../../engine/cases.ts";
import { escapeControl as t } from "../../engine/terminal-text.ts";
import { fixtureReader } from "../../loader/policy-files.ts";
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
    const loaded = await loadCatalogueDir(values.policies, io.now());
    // The cases of what could be loaded still run, but a broken catalogue is never summed up as
    // "N passed, 0 failed": its errors come first, in the summary line too.
    const catalogueErrors = reportCatalogueErrors(loaded, io.stderr) ? loaded.catalogueErrors.length : 0;
    const results = runCases(loaded.catalogue, fixtureReader(loaded.dir));
    const failed = results.filter((r) => !r.ok);
    if (format === "json") {
      io.stdout.write(`${JSON.stringify({ catalogueErrors: loaded.catalogueErrors, results }, null, 2)}\n`);
    } else if (format === "junit") {
      const { renderJunit } = await import("../../engine/report/junit.ts");
      io.stdout.write(renderJunit(results));
    } else {
      for (const r of failed) {
        io.stdout.write(
          // Case names, files and messages come from the policies: escaped before the terminal.
          `FAIL ${t(r.controlId)} case ${r.caseIndex} "${t(r.name)}" (${t(r.file)}): expected ${r.expected}, got ${r.actual}: ${t(r.message)}\n`,
        );
      }
      const controls = new Set(results.map((r) => r.controlId)).size;
      const broken = catalogueErrors > 0 ? `${catalogueErrors} error(s) in the catalogue (above); ` : "";
      io.stdout.write(
        `${broken}${results.length - failed.length} passed, ${failed.length} failed (${controls} controls)\n`,
      );
    }
    if (catalogueErrors > 0 && format !== "text") {
      io.stderr.write(`compliance test: ${catalogueErrors} error(s) in the catalogue (above)\n`);
    }
    return failed.length === 0 && catalogueErrors === 0 ? EXIT.OK : EXIT.FINDINGS;
  },
};
