// The notifier reads controls as texts (handlers/shared/controls.ts), compiling nothing: what it
// knows of each control (title, severity, CIA levels, rationale, remediation) is what the compiled
// catalogue holds, also from texts without checks and cases, as its bundle embeds them.

import { describe, expect, it } from "vitest";
import { controlTexts } from "../../../engine/catalogue-model.ts";
import { platformFindings } from "../../../engine/platform-resources.ts";
import { controlLookup } from "../../../handlers/notifier/controls.ts";
import { loadEmbeddedControls } from "../../../handlers/shared/controls.ts";
import { readPolicySources } from "../../../loader/policy-files.ts";
import { repositoryCatalogue } from "../../support/catalogue.ts";

const catalogue = repositoryCatalogue();
const compiled = controlLookup(catalogue);

/** Every id the notifier can be asked about: the controls and the platform-resources findings. */
const ids = [
  ...catalogue.controls.map((c) => c.id),
  ...platformFindings(catalogue.platform).map((f) => f.id),
  "PLATFORM.ALLOWED-SERVICE",
];

describe("the notifier's controls, read as texts", () => {
  it("are the compiled catalogue's, control by control and resource type by resource type", () => {
    const texts = controlLookup(loadEmbeddedControls());
    expect(ids.length).toBeGreaterThan(90);
    for (const id of ids) expect(texts.control(id), id).toEqual(compiled.control(id));
    for (const type of catalogue.byResourceType.keys())
      expect(texts.forResourceType(type), type).toEqual(compiled.forResourceType(type));
    expect(texts.control("NOT.A.CONTROL")).toBeUndefined();
  });

  it("need no check and no cases (the bundle leaves them out)", () => {
    const stripped = readPolicySources().map((source) => {
      const policy = JSON.parse(source.text) as { controls?: Record<string, unknown>[] };
      for (const control of policy.controls ?? []) {
        delete control.check;
        delete control.cases;
        delete control.appliesTo;
      }
      return { file: source.file, text: JSON.stringify(policy) };
    });
    const texts = controlLookup(controlTexts(stripped));
    for (const id of ids) expect(texts.control(id), id).toEqual(compiled.control(id));
  });
});
