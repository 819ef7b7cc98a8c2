// The FSBP coverage table of the catalogue's policies directory (`fsbp.json`), checked against the
// catalogue: `validate` reports its problems, `catalogue --format markdown` renders it.

import type { Catalogue } from "../engine/catalogue.ts";
import type { PolicyProblem } from "../engine/errors.ts";
import { checkFsbpCoverage, type FsbpCoverage } from "../engine/fsbp-coverage.ts";
import { readFsbpSource } from "../loader/policy-files.ts";

/** The table of `dir`, if it has one; `coverage` is absent when the table has errors. */
export function readFsbpTable(
  dir: string,
  catalogue: Pick<Catalogue, "controls">,
): { coverage?: FsbpCoverage; problems: PolicyProblem[] } {
  const source = readFsbpSource(dir);
  if (!source) return { problems: [] };
  const checked = checkFsbpCoverage(source.file, source.text, catalogue);
  return checked.problems.length === 0 ? checked : { problems: checked.problems };
}
