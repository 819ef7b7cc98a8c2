// The catalogue's verdicts are the recorded ones: every case and every real item of the
// repository gets the same compliance, the same status per control and the same message.
// The recording was made with the catalogue as written before the policy vocabulary (see
// verdicts.ts); a difference is either a regression or a deliberate change to re-record.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadCatalogue } from "../../engine/catalogue.ts";
import { readPolicySources } from "../../loader/policy-files.ts";
import { RECORDING, type Verdict, verdicts } from "./verdicts.ts";

const recorded = JSON.parse(readFileSync(RECORDING, "utf8")) as Record<string, Verdict | string>;

/** The controls the recording knows: controls added since are judged by their own cases. */
const recordedIds = new Set(
  Object.entries(recorded).flatMap(([key, verdict]) =>
    key.startsWith("case ")
      ? [key.split(" ")[1]!]
      : typeof verdict === "string"
        ? []
        : Object.keys(verdict.findings),
  ),
);
const catalogue = loadCatalogue(readPolicySources());
catalogue.controls = catalogue.controls.filter((c) => recordedIds.has(c.id));
for (const [type, controls] of catalogue.byResourceType) {
  catalogue.byResourceType.set(
    type,
    controls.filter((c) => recordedIds.has(c.id)),
  );
}
const current = verdicts(catalogue);

describe("the catalogue's verdicts", () => {
  it("cover every case and real item, as many as were recorded", () => {
    expect(Object.keys(recorded).length).toBeGreaterThan(300);
    expect(Object.keys(current).sort()).toEqual(Object.keys(recorded).sort());
  });

  it.each(Object.keys(recorded))("%s is as recorded", (key) => {
    expect(current[key]).toEqual(recorded[key]);
  });
});
