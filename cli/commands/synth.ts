// `compliance synth [--out DIR] [--check] [--policies DIR]`: writes the CloudFormation templates.

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { minifyTemplate } from "../../deploy/cfn.ts";
import { byteLength, MAX_TEMPLATE_BODY_BYTES } from "../../deploy/management-template.ts";
import { SCP_MAX_CHARACTERS } from "../../deploy/scp.ts";
import { checkScp, requireScpSettings } from "../../deploy/scp-check.ts";
import { synthesise } from "../../deploy/synth.ts";
import { formatProblem, InputError } from "../../engine/errors.ts";
import { parseCommandArgs } from "../args.ts";
import type { Command } from "../command.ts";
import { describeFsError, EXIT } from "../errors.ts";
import { loadCatalogueDir, reportCatalogueErrors } from "../load-catalogue.ts";
import { prepareOutput } from "../output-path.ts";

const USAGE = "usage: compliance synth [--out DIR] [--check] [--policies DIR]";

export const synthCommand: Command = {
  name: "synth",
  summary:
    "write the CloudFormation templates (management StackSet + SCPs, member, central) from the catalogue",
  usage: USAGE,
  async run(args, io) {
    const { values: parsed } = parseCommandArgs(args, {
      out: { type: "string", value: "DIR" },
      check: { type: "boolean" },
      policies: { type: "string", value: "DIR" },
    });
    const values = { ...parsed, out: parsed.out ?? "cloudformation", check: parsed.check === true };
    const loaded = await loadCatalogueDir(values.policies, io.now());
    if (reportCatalogueErrors(loaded, io.stderr)) return EXIT.FINDINGS;
    // The SCPs' fit, checked as `scp` and `validate` check it.
    const checked = checkScp(loaded.dir, loaded.catalogue);
    const settings = requireScpSettings(checked);
    if (!checked.result) {
      for (const p of checked.problems) io.stderr.write(`error: ${formatProblem(p)}\n`);
      return EXIT.FINDINGS;
    }
    const result = synthesise(loaded.catalogue, settings);
    const dir = resolve(io.cwd, values.out);
    const stale: string[] = [];
    if (!values.check) prepareOutput(values.out, io.cwd, "dir", "the templates");
    for (const [name, text] of Object.entries(result.files)) {
      const path = join(dir, name);
      const shown = join(values.out, name);
      if (values.check) {
        if (!existsSync(path) || readFileSync(path, "utf8") !== text) stale.push(shown);
        continue;
      }
      try {
        writeFileSync(path, text);
      } catch (error) {
        throw new InputError(`cannot write the template: ${describeFsError(error)}`, shown);
      }
      io.stdout.write(`wrote ${shown} (${byteLength(text)} bytes)\n`);
    }
    const body = byteLength(minifyTemplate(result.templates.member));
    const rules = Object.values(result.templates.member.Resources).filter(
      (r) => r.Type === "AWS::Config::ConfigRule",
    ).length;
    io.stdout.write(
      `member template: ${rules} Config rules, ${body} of ${MAX_TEMPLATE_BODY_BYTES} bytes as the StackSet's TemplateBody\n`,
    );
    for (const p of result.scp.policies) {
      io.stdout.write(`SCP ${p.name}: ${p.size} of ${SCP_MAX_CHARACTERS} characters\n`);
    }
    if (values.check) {
      for (const file of stale) io.stderr.write(`out of date: ${file} (run: npx compliance synth)\n`);
      return stale.length === 0 ? EXIT.OK : EXIT.FINDINGS;
    }
    return EXIT.OK;
  },
};
