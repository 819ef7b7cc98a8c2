// README's "The catalogue" states the catalogue's figures in a sentence: computed here from the
// catalogue itself, so the sentence cannot go stale as controls and services are added.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fsbpIds } from "../../cli/commands/catalogue-markdown.ts";
import { repositoryCatalogue } from "../support/catalogue.ts";
import { ROOT } from "../support/cli.ts";

/** `a`, `a` and `b`, `a`, `b` and `c` (each in backticks). */
function list(names: string[]): string {
  const quoted = names.map((n) => `\`${n}\``);
  return quoted.length <= 1 ? quoted.join("") : `${quoted.slice(0, -1).join(", ")} and ${quoted.at(-1)}`;
}

/** The README's sentence for a catalogue's figures. */
function catalogueSentence(catalogue: ReturnType<typeof repositoryCatalogue>): string {
  const { policies, controls } = catalogue;
  const withControls = new Set(controls.map((c) => c.service));
  const without = policies
    .map((p) => p.service)
    .filter((s) => !withControls.has(s))
    .sort();
  const mapped = controls.filter((c) => fsbpIds(c).length > 0).length;
  return (
    `${controls.length} controls in ${policies.length} services today (${withControls.size} services with ` +
    `controls; the platform services ${list(without)} are allowed without resource controls), ` +
    `${mapped} of them mapped to Security Hub FSBP controls.`
  );
}

describe('README "The catalogue"', () => {
  it("states the catalogue's real figures: controls, services, services without controls, FSBP-mapped controls", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8").replace(/\s+/g, " ");
    expect(readme).toContain(catalogueSentence(repositoryCatalogue()));
  });

  it("computes the figures as the catalogue command counts them", () => {
    const catalogue = repositoryCatalogue();
    const sentence = catalogueSentence(catalogue);
    // The same count docs/CONTROLS.md's header gives ("N controls in M services; K map to ...").
    const controlsDoc = readFileSync(join(ROOT, "docs", "CONTROLS.md"), "utf8");
    const [, controls, services, mapped] =
      /(\d+) controls in (\d+) services; (\d+) map to a Security Hub/.exec(controlsDoc) ?? [];
    expect(sentence).toMatch(
      new RegExp(`^${controls} controls in ${services} services today .* ${mapped} of them`),
    );
  });
});
