// The verdicts a catalogue gives: every control case, and every real configuration item of the
// repository (test/fixtures/ci, test/fixtures/ci-partial, policies/fixtures and the sample
// organisation) evaluated at the highest rating against every control of its type. Recorded once
// for the catalogue as it was written before the policy vocabulary, and compared with today's
// catalogue by verdicts.test.ts, so a rewrite in the vocabulary cannot change a verdict unseen.
//
// `node bin/run-ts.mjs test/catalogue/verdicts.ts` rewrites the recording
// (test/fixtures/catalogue-verdicts.json); do so only when a verdict changes on purpose.

import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { runCases } from "../../engine/cases.ts";
import type { Catalogue } from "../../engine/catalogue.ts";
import { describeError } from "../../engine/errors.ts";
import { evaluate } from "../../engine/evaluate.ts";
import { normalise } from "../../engine/normalise.ts";
import { fixtureReader } from "../../loader/policy-files.ts";
import { repositoryCatalogue } from "../support/catalogue.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const RECORDING = join(ROOT, "test/fixtures/catalogue-verdicts.json");
const ITEM_DIRS = [
  "test/fixtures/ci",
  "test/fixtures/ci-partial",
  "policies/fixtures",
  "samples/organisation/items",
];
const RUN_AT = new Date("2026-01-01T00:00:00Z");

/** One verdict: the item's compliance and, per control, `STATUS message`. */
export interface Verdict {
  compliance: string;
  findings: Record<string, string>;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? filesUnder(path) : name.endsWith(".json") ? [path] : [];
    });
}

/** The raw items of one file: a snapshot's items, an array's elements, or the file itself. */
function rawItems(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === "object" && value !== null && "configurationItems" in value) {
    return (value as { configurationItems: unknown[] }).configurationItems;
  }
  return [value];
}

/** Verdicts of every case (`case <control> #<n>`) and every real item (`<file>#<n>`). */
export function verdicts(catalogue: Catalogue): Record<string, Verdict | string> {
  const out: Record<string, Verdict | string> = {};
  for (const result of runCases(catalogue, fixtureReader())) {
    out[`case ${result.controlId} #${result.caseIndex}`] = `${result.actual} ${result.message}`;
  }
  for (const dir of ITEM_DIRS) {
    for (const file of filesUnder(join(ROOT, dir))) {
      const name = relative(ROOT, file);
      rawItems(JSON.parse(readFileSync(file, "utf8"))).forEach((raw, index) => {
        try {
          const record = evaluate(normalise(raw), catalogue, { rating: { c: 3, i: 3, a: 3 }, now: RUN_AT });
          const findings: Record<string, string> = {};
          for (const f of record.findings) findings[f.controlId] = `${f.status} ${f.message}`;
          out[`${name}#${index}`] = { compliance: record.compliance, findings };
        } catch (error) {
          out[`${name}#${index}`] = `ERROR ${describeError(error)}`;
        }
      });
    }
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const recorded = verdicts(repositoryCatalogue());
  writeFileSync(RECORDING, `${JSON.stringify(recorded, null, 1)}\n`);
  process.stdout.write(`${Object.keys(recorded).length} verdicts written to ${relative(ROOT, RECORDING)}\n`);
}
