// `compliance diff --base GIT_REF [--snapshot FILES...]`: what a policy change does, as Markdown
// for a pull-request comment. Exit 0 when nothing breaks; 1 when a resource becomes
// non-compliant, the changed catalogue has errors or its SCP cannot be generated; 2 bad usage, or a
// snapshot that cannot be read or holds no item (then no Markdown at all: never a green comment).

import { existsSync } from "node:fs";
import {
  parseScpSettings,
  readScpSettings,
  type ScpSettings,
  scpSettingsPath,
} from "../../deploy/scp-settings.ts";
import { contextLookup } from "../../engine/accounts.ts";
import { checkCatalogue } from "../../engine/catalogue.ts";
import { describeError, InputError, type PolicyProblem } from "../../engine/errors.ts";
import { normalise } from "../../engine/normalise.ts";
import { escapeControl } from "../../engine/terminal-text.ts";
import type { ConfigurationItem } from "../../engine/types.ts";
import { checkWaivers, isExpired, type Waiver } from "../../engine/waivers.ts";
import { accountsOf } from "../accounts-file.ts";
import { parseCommandArgs } from "../args.ts";
import type { Command } from "../command.ts";
import { scpDelta, scpSide } from "../diff/allow-list.ts";
import { diffCatalogues } from "../diff/controls.ts";
import { findFlips } from "../diff/flips.ts";
import { policyFilesAt } from "../diff/git.ts";
import { breaks, renderDiffMarkdown } from "../diff/markdown.ts";
import { diffWaivers } from "../diff/waivers.ts";
import { EXIT, UsageError } from "../errors.ts";
import { nothingRead, readPlanned } from "../inputs.ts";
import { loadCatalogueDir } from "../load-catalogue.ts";
import { checkOutputPath, fileSink } from "../output.ts";
import { planInputs } from "../reader/files.ts";
import { SAMPLE_DIR } from "../sample.ts";

const USAGE = [
  "usage: compliance diff --base GIT_REF [--snapshot FILES...] [--accounts FILE] [--policies DIR] [--out FILE]",
  "                     [--allow-empty]",
  "  --base GIT_REF   compare the working tree's policies with those at this ref (e.g. origin/main)",
  "  --snapshot FILE  configuration items to evaluate both ways (repeatable; default: the sample organisation)",
  "  --accounts FILE  account ratings for the snapshot (default: the sample's, or the accounts.json of a",
  "                   snapshot directory)",
  "  --out FILE       write the Markdown to FILE instead of stdout (never an input)",
  "  --allow-empty    a snapshot that holds no configuration item is not an error (else exit 2)",
  "  a snapshot that cannot be read, or holds no item, writes no Markdown (exit 2)",
].join("\n");

function headSettings(dir: string): { settings?: ScpSettings; error?: string } {
  if (!existsSync(scpSettingsPath(dir))) return {};
  try {
    return { settings: readScpSettings(dir) };
  } catch (error) {
    const source = error instanceof InputError && error.source ? `${error.source}: ` : "";
    return { error: `${source}${describeError(error)}` };
  }
}

export const diffCommand: Command = {
  name: "diff",
  summary:
    "what a policy change does: controls changed, SCP allow-list delta, resources that flip (Markdown)",
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        base: { type: "string", value: "GIT_REF" },
        snapshot: { type: "string", value: "FILE", multiple: true },
        accounts: { type: "string", value: "FILE" },
        policies: { type: "string", value: "DIR" },
        out: { type: "string", value: "FILE" },
        "allow-empty": { type: "boolean" },
      },
      "FILES",
    );
    if (!values.base) throw new UsageError("--base GIT_REF is required");
    const now = io.now();
    const snapshotPaths = [...(values.snapshot ?? []), ...positionals];
    const useSample = snapshotPaths.length === 0;
    // Every file is known before anything is read or written: --out never names an input.
    const plan = planInputs(useSample ? [SAMPLE_DIR] : snapshotPaths);
    const say = (source: string, message: string) =>
      io.stderr.write(`compliance diff: ${escapeControl(source)}: ${escapeControl(message)}\n`);
    for (const skipped of plan.skipped) say(skipped.source, skipped.message);
    // The same accounts as evaluate: --accounts, the sample's, or a snapshot directory's accounts.json.
    const { file: accountsFile, accounts } = accountsOf(values.accounts, useSample, plan.accountsFiles, say);
    if (values.out !== undefined) checkOutputPath("--out", values.out, plan, accountsFile);

    const head = await loadCatalogueDir(values.policies, now);
    const headErrors = head.problems.filter((p) => p.level === "error");
    const baseFiles = policyFilesAt(values.base, head.dir);
    const base = checkCatalogue(baseFiles.policies);
    const baseErrors: PolicyProblem[] = base.problems.filter((p) => p.level === "error");
    const allWaivers = (source: { file: string; text: string } | undefined, ids: Set<string>): Waiver[] =>
      source ? checkWaivers(source.file, source.text, now, ids).waivers : [];
    const baseAllWaivers = allWaivers(baseFiles.waivers, new Set(base.catalogue.controls.map((c) => c.id)));
    // An expired waiver is an error today, but it was valid when merged: not the change's fault.
    const baseWaivers = baseAllWaivers.filter((w) => !isExpired(w, now));
    const headAllWaivers = allWaivers(
      head.files.find((f) => f.file.endsWith("waivers.json")),
      new Set(head.catalogue.controls.map((c) => c.id)),
    );

    let baseSettings: ScpSettings | undefined;
    if (baseFiles.scpSettings) {
      try {
        baseSettings = parseScpSettings(baseFiles.scpSettings.file, baseFiles.scpSettings.text);
      } catch {
        baseSettings = undefined;
      }
    }
    const headScp = headSettings(head.dir);
    const headSide = scpSide(head.catalogue, headScp.settings);
    if (headScp.error) headSide.error = headScp.error;
    const scp = scpDelta(scpSide(base.catalogue, baseSettings), headSide);

    const contextOf = contextLookup(accounts);
    const items: ConfigurationItem[] = [];
    let problems = 0;
    let read = 0;
    const problem = (source: string, message: string) => {
      problems++;
      say(source, message);
    };
    for await (const event of readPlanned(plan.files)) {
      if (event.kind === "problem") {
        problem(event.source, event.message);
        continue;
      }
      read++;
      try {
        items.push(normalise(event.item.raw));
      } catch (error) {
        problem(event.item.source, describeError(error));
      }
    }
    if (read === 0 && problems === 0 && !values["allow-empty"]) {
      const { source, message } = nothingRead(snapshotPaths);
      problem(source, message);
    }
    // No Markdown from a snapshot that could not be read whole: what flips in part of it is no
    // verdict, and the comment it made would say that nothing breaks.
    if (problems > 0) return EXIT.USAGE;
    const flips = findFlips(
      items,
      contextOf,
      { catalogue: base.catalogue, waivers: baseWaivers },
      { catalogue: head.catalogue, waivers: head.waivers },
      now,
    );
    const report = {
      base: { ref: values.base, commit: baseFiles.commit },
      catalogue: diffCatalogues(base.catalogue, head.catalogue),
      waivers: diffWaivers(baseAllWaivers, headAllWaivers),
      scp,
      flips,
      snapshot: useSample ? "the sample organisation (samples/organisation)" : snapshotPaths.join(", "),
      accounts,
      headErrors,
      baseErrors,
    };
    const markdown = renderDiffMarkdown(report);
    if (values.out !== undefined) {
      // In place at the end, never half a comment.
      const sink = fileSink(values.out);
      try {
        sink.write(markdown);
        sink.end();
      } catch (error) {
        sink.abort();
        throw error;
      }
      io.stderr.write(`wrote ${values.out}\n`);
    } else {
      io.stdout.write(markdown);
    }
    return breaks(report) ? EXIT.FINDINGS : EXIT.OK;
  },
};
