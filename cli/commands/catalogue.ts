// `compliance catalogue [--format json|markdown] [--policies DIR]`: lists the controls.

import type { Catalogue } from "../../engine/catalogue.ts";
import { formatProblem } from "../../engine/errors.ts";
import { parseCommandArgs } from "../args.ts";
import type { Command } from "../command.ts";
import { EXIT } from "../errors.ts";
import { loadCatalogueDir, reportCatalogueErrors } from "../load-catalogue.ts";

const USAGE = "usage: compliance catalogue [--format json|markdown] [--policies DIR]";

/** The catalogue as `catalogue --format json` documents it. */
export function catalogueJson(catalogue: Catalogue): unknown {
  return {
    services: catalogue.policies.map((p) => ({
      service: p.service,
      title: p.title,
      iamPrefixes: p.iamPrefixes,
      resourceTypes: p.resourceTypes,
    })),
    controls: catalogue.controls.map((c) => ({
      id: c.id,
      service: c.service,
      resourceType: c.resourceType,
      title: c.title,
      severity: c.severity,
      cia: c.cia,
      references: c.references,
      evaluation: c.evaluation ?? "change",
      rationale: c.rationale,
      remediation: c.remediation,
    })),
    // policies/platform-resources.json: what AWS and the platform create in every account (cases left out).
    platformResources: (catalogue.platform?.entries ?? []).map(({ cases: _cases, ...entry }) => entry),
  };
}

export const catalogueCommand: Command = {
  name: "catalogue",
  summary: "list the services and controls of the catalogue",
  usage: USAGE,
  async run(args, io) {
    const { values: parsed } = parseCommandArgs(args, {
      format: { type: "string", value: "FORMAT", choices: ["json", "markdown"] },
      policies: { type: "string", value: "DIR" },
    });
    const values = { ...parsed, format: parsed.format ?? "json" };
    const loaded = await loadCatalogueDir(values.policies, io.now());
    const failed = reportCatalogueErrors(loaded, io.stderr);
    if (values.format === "markdown") {
      const { renderCatalogueMarkdown } = await import("./catalogue-markdown.ts");
      const { readFsbpTable } = await import("../fsbp-table.ts");
      // The FSBP coverage table, judged only against a catalogue without errors.
      const table = failed ? { problems: [] } : readFsbpTable(loaded.dir, loaded.catalogue);
      for (const p of table.problems) io.stderr.write(`error: ${formatProblem(p)}\n`);
      io.stdout.write(renderCatalogueMarkdown(loaded.catalogue, table.coverage));
      if (table.problems.length > 0) return EXIT.FINDINGS;
    } else {
      io.stdout.write(`${JSON.stringify(catalogueJson(loaded.catalogue), null, 2)}\n`);
    }
    return failed ? EXIT.FINDINGS : EXIT.OK;
  },
};
