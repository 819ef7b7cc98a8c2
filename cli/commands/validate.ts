// `compliance validate [--policies DIR] [--format text|json|sarif]`: checks every policy file.

import { checkScp } from "../../deploy/scp-check.ts";
import { caseProblems } from "../../engine/cases.ts";
import { formatProblem } from "../../engine/errors.ts";
import { fixtureReader } from "../../loader/policy-files.ts";
import { parseCommandArgs } from "../args.ts";
import type { Command } from "../command.ts";
import { EXIT } from "../errors.ts";
import { readFsbpTable } from "../fsbp-table.ts";
import { catalogueNote, loadCatalogueDir } from "../load-catalogue.ts";
import { patternSafetyProblems } from "../pattern-safety.ts";

const USAGE = "usage: compliance validate [--policies DIR] [--format text|json|sarif]";

export const validateCommand: Command = {
  name: "validate",
  summary:
    "check every policy file: structure, strict JSON Schema compile, unique ids, resource types, safe patterns, case fixtures, waivers, SCP settings",
  usage: USAGE,
  async run(args, io) {
    const { values } = parseCommandArgs(args, {
      policies: { type: "string", value: "DIR" },
      format: { type: "string", value: "FORMAT", choices: ["text", "json", "sarif"] },
    });
    const format = values.format ?? "text";
    const loaded = await loadCatalogueDir(values.policies, io.now(), { check: true });
    const note = catalogueNote(loaded);
    if (note) io.stderr.write(`${note}\n`);
    // Cases whose item cannot be made (a missing fixture) or is of another type than the control's.
    loaded.problems.push(...caseProblems(loaded.catalogue, loaded.files, fixtureReader(loaded.dir)));
    // Regular expressions a backtracking engine could hang on (the engine itself runs RE2).
    loaded.problems.push(...patternSafetyProblems(loaded.files));
    // The FSBP coverage table, when the directory has one: every control it names exists. Judged
    // only against a catalogue without errors (a broken policy file would make its controls "unknown").
    if (loaded.catalogueErrors.length === 0) {
      loaded.problems.push(...readFsbpTable(loaded.dir, loaded.catalogue).problems);
    }
    // The SCP settings, and the SCPs generated from them as `compliance scp` generates them (their
    // fit judged only against a catalogue without errors: a broken file's services are missing).
    const scp = checkScp(loaded.dir, loaded.catalogueErrors.length === 0 ? loaded.catalogue : undefined);
    if (!scp.found) {
      loaded.problems.push({
        file: scp.file,
        pointer: "",
        level: "warning",
        message:
          "not found (the SCP settings file): this catalogue can be evaluated and tested, but `compliance scp` and `synth` refuse to run without it",
      });
    }
    loaded.problems.push(...scp.problems);
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
