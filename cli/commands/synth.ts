// `compliance synth [--out DIR] [--check] [--policies DIR]`: writes the CloudFormation templates.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { minifyTemplate } from "../../deploy/cfn.ts";
import { byteLength, MAX_TEMPLATE_BODY_BYTES } from "../../deploy/management-template.ts";
import { SCP_MAX_CHARACTERS, ScpTooLargeError } from "../../deploy/scp.ts";
import { readScpSettings } from "../../deploy/scp-settings.ts";
import { synthesise } from "../../deploy/synth.ts";
import type { Command } from "../command.ts";
import { EXIT } from "../errors.ts";
import { loadCatalogueDir, reportCatalogueErrors } from "../load-catalogue.ts";

const USAGE = "usage: compliance synth [--out DIR] [--check] [--policies DIR]";

export const synthCommand: Command = {
  name: "synth",
  summary:
    "write the CloudFormation templates (management StackSet + SCPs, member, central) from the catalogue",
  usage: USAGE,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        out: { type: "string", default: "cloudformation" },
        check: { type: "boolean", default: false },
        policies: { type: "string" },
      },
      strict: true,
    });
    const loaded = loadCatalogueDir(values.policies, io.now());
    if (reportCatalogueErrors(loaded, io.stderr)) return EXIT.FINDINGS;
    const settings = readScpSettings(loaded.dir);
    let result: ReturnType<typeof synthesise>;
    try {
      result = synthesise(loaded.catalogue, settings);
    } catch (error) {
      if (!(error instanceof ScpTooLargeError)) throw error;
      io.stderr.write(`compliance synth: ${error.message}\n`);
      return EXIT.FINDINGS;
    }
    const dir = resolve(io.cwd, values.out);
    const stale: string[] = [];
    if (!values.check) mkdirSync(dir, { recursive: true });
    for (const [name, text] of Object.entries(result.files)) {
      const path = join(dir, name);
      const shown = join(values.out, name);
      if (values.check) {
        if (!existsSync(path) || readFileSync(path, "utf8") !== text) stale.push(shown);
        continue;
      }
      writeFileSync(path, text);
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
