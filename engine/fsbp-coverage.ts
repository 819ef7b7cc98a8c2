// The FSBP coverage table (policies/fsbp.json): every Security Hub Foundational Security Best
// Practices control for the services this platform allows, and whether the catalogue covers it.
// Checked against its schema and against the catalogue: every control it names exists, every
// control that cites `FSBP <id>` is listed under that row, and a row marked covered names at least
// one control that cites it (a claim of coverage the controls themselves do not make is an error).

import { Ajv, type ValidateFunction } from "ajv";
import schema from "../policies/fsbp.schema.json" with { type: "json" };
import type { Catalogue } from "./catalogue-model.ts";
import type { PolicyProblem } from "./errors.ts";
import { readLocated } from "./located-file.ts";

export type FsbpStatus = "covered" | "partial" | "missing" | "not-applicable";

export interface FsbpRow {
  id: string;
  title: string;
  status: FsbpStatus;
  /** Catalogue control ids (covered, partial). */
  by?: string[];
  /** Why not applicable or missing; what a partial row lacks. */
  reason?: string;
}

export interface FsbpCoverage {
  description: string;
  source: string;
  controls: FsbpRow[];
}

export interface FsbpFigures {
  covered: number;
  partial: number;
  missing: number;
  notApplicable: number;
  /** covered + partial + missing */
  applicable: number;
  /** covered / applicable, in percent with one decimal. */
  percent: number;
}

let compiled: ValidateFunction | undefined;
const fileValidator = (): ValidateFunction =>
  (compiled ??= new Ajv({ strict: false, allErrors: true }).compile(schema));

/** `FSBP S3.5` references of a control (exact form only: `Related: FSBP ...` is not a claim). */
const citedFsbp = (references: readonly string[]): string[] =>
  references.filter((r) => /^FSBP \S+$/.test(r)).map((r) => r.slice("FSBP ".length));

/** Parses and checks the coverage table against the catalogue it describes. */
export function checkFsbpCoverage(
  file: string,
  text: string,
  catalogue: Pick<Catalogue, "controls">,
): { coverage?: FsbpCoverage; problems: PolicyProblem[] } {
  const problems: PolicyProblem[] = [];
  const { data, parsed, problem } = readLocated(file, text, problems);
  if (!parsed) return { problems };
  const validate = fileValidator();
  if (!validate(data)) {
    for (const e of validate.errors ?? []) {
      // The if/then branches report twice (the branch, then "must match then schema"): keep the first.
      if (e.keyword !== "if") problem(e.instancePath, e.message ?? e.keyword);
    }
    return { problems };
  }
  const coverage = data as FsbpCoverage;
  const known = new Map(catalogue.controls.map((c) => [c.id, c]));
  const rowIndex = new Map<string, number>();
  coverage.controls.forEach((row, i) => {
    if (rowIndex.has(row.id)) problem(`/controls/${i}/id`, `FSBP ${row.id} is listed twice`);
    else rowIndex.set(row.id, i);
    (row.by ?? []).forEach((id, j) => {
      if (!known.has(id)) problem(`/controls/${i}/by/${j}`, `unknown control id "${id}"`);
    });
    if (row.status === "covered") {
      const citing = (row.by ?? []).filter((id) =>
        citedFsbp(known.get(id)?.references ?? []).includes(row.id),
      );
      if (citing.length === 0) {
        problem(
          `/controls/${i}/by`,
          `FSBP ${row.id} is marked covered, but none of ${row.by?.join(", ")} cites "FSBP ${row.id}" in its references`,
        );
      }
    }
  });
  for (const control of catalogue.controls) {
    for (const id of citedFsbp(control.references)) {
      const i = rowIndex.get(id);
      if (i === undefined) {
        problem("/controls", `${control.id} cites "FSBP ${id}", which the table does not list`);
        continue;
      }
      const row = coverage.controls[i]!;
      if (!(row.by ?? []).includes(control.id)) {
        problem(
          `/controls/${i}`,
          `${control.id} cites "FSBP ${id}", but the row (${row.status}) does not list it under "by"`,
        );
      }
    }
  }
  return { coverage, problems };
}

export function fsbpFigures(coverage: FsbpCoverage): FsbpFigures {
  const count = (status: FsbpStatus) => coverage.controls.filter((r) => r.status === status).length;
  const covered = count("covered");
  const partial = count("partial");
  const missing = count("missing");
  const applicable = covered + partial + missing;
  return {
    covered,
    partial,
    missing,
    notApplicable: count("not-applicable"),
    applicable,
    percent: applicable === 0 ? 0 : Math.round((covered * 1000) / applicable) / 10,
  };
}
