// The agreement tests' harness: a case is a real recorded item beside the template that would
// create it, and changes written both ways; `bothPaths` judges the template path and the detective
// path with the same catalogue and returns their statuses side by side.

import { readFileSync } from "node:fs";
import { HIGHEST } from "../../../engine/cia.ts";
import { evaluate } from "../../../engine/evaluate.ts";
import { normalise } from "../../../engine/normalise.ts";
import { evaluateTemplate } from "../../../engine/template/index.ts";
import type { CfnTemplate } from "../../../engine/template/types.ts";
import { repositoryCatalogue } from "../../support/catalogue.ts";

export const catalogue = repositoryCatalogue();
export const now = new Date("2026-12-01T00:00:00Z");
export type Obj = Record<string, unknown>;

export const fixture = (path: string) =>
  JSON.parse(readFileSync(new URL(`../../../policies/fixtures/${path}`, import.meta.url), "utf8")) as Obj;

/** A change written twice: on the template (resources by logical id) and on the recorded item. */
export interface Change {
  name: string;
  template(t: CfnTemplate): void;
  item(i: Obj): void;
  /** False for a change that keeps every verdict (it checks the mapping, not a control's move). */
  moves?: boolean;
}

export interface Case {
  /** The type the template path reports (the template's type). */
  type: string;
  template: CfnTemplate;
  item: Obj;
  account: string;
  region: string;
  changes: Change[];
}

export const props = (t: CfnTemplate, id: string) => t.Resources[id]!.Properties as Obj;
export const conf = (i: Obj) => i.configuration as Obj;
export const supp = (i: Obj) => i.supplementaryConfiguration as Obj;

export type Statuses = Record<string, string>;
export const statuses = (findings: { controlId: string; status: string }[]): Statuses =>
  Object.fromEntries(findings.map((f) => [f.controlId, f.status]));

/** The case with the changes applied, judged on both paths at the highest rating. */
export function bothPaths(
  c: Case,
  chosen: Change[],
): { template: Statuses; detective: Statuses; compliance: [string, string] } {
  const template = structuredClone(c.template);
  const item = structuredClone(c.item);
  for (const change of chosen) {
    change.template(template);
    change.item(item);
  }
  const record = evaluateTemplate(template, catalogue, {
    rating: HIGHEST,
    now,
    account: c.account,
    region: c.region,
  }).find((r) => r.resourceType === c.type)!;
  const detective = evaluate(normalise(item), catalogue, { rating: HIGHEST, now });
  return {
    template: statuses(record.findings),
    detective: statuses(detective.findings),
    compliance: [record.compliance, detective.compliance],
  };
}
