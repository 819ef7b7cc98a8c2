// `compliance validate [--policies DIR] [--format text|json|sarif]`: checks every policy file.

import { parseArgs } from "node:util";
import { formatProblem } from "../../engine/errors.ts";
import type { Command } from "../command.ts";
import { EXIT, UsageError } from "../errors.ts";
import { catalogueNote, loadCatalogueDir } from "../load-catalogue.ts";
import { patternSafetyProblems } from "../pattern-safety.ts";

const USAGE = "usage: compliance validate [--policies DIR] [--format text|json|sarif]";

export const validateCommand: Command = {
  name: "validate",
  summary:
    "check every policy file: structure, strict JSON Schema compile, unique ids, resource types, safe patterns, waivers",
  usage: USAGE,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: { policies: { type: "string" }, format: { type: "string", default: "text" } },
      strict: true,
    });
    const format = values.format;
    if (!["text", "json", "sarif"].includes(format)) throw new UsageError(`unknown format "${format}"`);
    const loaded = loadCatalogueDir(values.policies, io.now(), { check: true });
    const note = catalogueNote(loaded);
    if (note) io.stderr.write(`${note}\n`);
    // Regular expressions a backtracking engine could hang on (the engine itself runs RE2).
    loaded.problems.push(...patternSafetyProblems(loaded.files));
    const errors = loaded.problems.filter((p) => p.level === "error");
    if (format === "json") {
      io.stdout.write(`${JSON.stringify({ problems: loaded.problems }, null, 2)}\n`);
    } else if (format === "sarif") {
      const { renderValidationSarif } = await import("../../engine/report/sarif.ts");
      io.stdout.write(`${JSON.stringify(renderValidationSarif(loaded.problems, loaded.files), null, 2)}\n`);
    } else {
      for (const p of loaded.problems) io.stdout.write(`${p.level}: ${formatProblem(p)}\n`);
      const { policies, controls } = loaded.catalogue;
      io.stdout.write(
        errors.length === 0
          ? `ok: ${policies.length} policy files, ${controls.length} controls, ${loaded.waivers.length} waivers in force\n`
          : `${errors.length} error(s) in the catalogue\n`,
      );
    }
    return errors.length === 0 ? EXIT.OK : EXIT.FINDINGS;
  },
};
