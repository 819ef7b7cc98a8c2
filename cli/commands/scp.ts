// `compliance scp [--out FILE] [--policies DIR]`: the generated service control policy (or policies).

import { writeFileSync } from "node:fs";
import { platformScpConflicts } from "../../deploy/platform-scp.ts";
import { SCP_MAX_CHARACTERS } from "../../deploy/scp.ts";
import { checkScp, requireScpSettings } from "../../deploy/scp-check.ts";
import { formatProblem } from "../../engine/errors.ts";
import { parseCommandArgs } from "../args.ts";
import type { Command } from "../command.ts";
import { EXIT } from "../errors.ts";
import { loadCatalogueDir, reportCatalogueErrors } from "../load-catalogue.ts";
import { prepareOutput } from "../output-path.ts";

const USAGE = "usage: compliance scp [--out FILE] [--policies DIR]";

/** With several policies, FILE `x.json` becomes `x-1.json`, `x-2.json`... */
function numbered(file: string, index: number, count: number): string {
  if (count === 1) return file;
  const dot = file.lastIndexOf(".");
  return dot > file.lastIndexOf("/")
    ? `${file.slice(0, dot)}-${index + 1}${file.slice(dot)}`
    : `${file}-${index + 1}`;
}

export const scpCommand: Command = {
  name: "scp",
  summary: "print the service control policy generated from the catalogue (allow-list, protection, regions)",
  usage: USAGE,
  async run(args, io) {
    const { values } = parseCommandArgs(args, {
      out: { type: "string", value: "FILE" },
      policies: { type: "string", value: "DIR" },
    });
    const loaded = await loadCatalogueDir(values.policies, io.now());
    if (reportCatalogueErrors(loaded, io.stderr)) return EXIT.FINDINGS;
    // The policies' fit is checked as `validate` checks it: a catalogue error at the field to change.
    const checked = checkScp(loaded.dir, loaded.catalogue);
    const settings = requireScpSettings(checked);
    const { result } = checked;
    if (!result) {
      for (const p of checked.problems) io.stderr.write(`error: ${formatProblem(p)}\n`);
      return EXIT.FINDINGS;
    }
    const { policies, allowedPrefixes } = result;
    // The platform-resources list and the settings must agree (a warning: the policies are still right).
    for (const conflict of platformScpConflicts(loaded.catalogue, settings))
      io.stderr.write(`warning: ${conflict}\n`);
    policies.forEach((policy, i) => {
      if (values.out) {
        const file = numbered(values.out, i, policies.length);
        writeFileSync(prepareOutput(file, io.cwd, "file", "the SCP"), `${policy.content}\n`);
        io.stderr.write(`wrote ${file}\n`);
      } else {
        io.stdout.write(`${policy.content}\n`);
      }
      io.stderr.write(`${policy.name}: ${policy.size} of ${SCP_MAX_CHARACTERS} characters\n`);
    });
    io.stderr.write(
      `${allowedPrefixes.length} service prefixes allowed; ${policies.length} SCP(s) to attach beside FullAWSAccess, ` +
        `${settings.availablePolicySlots} slot(s) free per target (availablePolicySlots)\n`,
    );
    return EXIT.OK;
  },
};
