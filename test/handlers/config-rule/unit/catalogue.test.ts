// The handlers' catalogue: assembling it from validators compiled ahead of time gives the same
// catalogue as the engine's loadCatalogue (which the bundle's build runs on the same files).

import { describe, expect, it } from "vitest";
import type { Catalogue } from "../../../../engine/catalogue.ts";
import { assembleCatalogue, type PrecompiledValidators } from "../../../../handlers/shared/catalogue.ts";
import { catalogueFrom } from "../../../../handlers/shared/catalogue-load.ts";
import { readPolicySources } from "../../../../loader/policy-files.ts";
import { repositoryCatalogue } from "../../../support/catalogue.ts";

const sources = readPolicySources();
const reference = repositoryCatalogue();
const precompiled: PrecompiledValidators = Object.fromEntries(
  reference.controls.map((c) => [c.id, { check: c.validate, ...(c.applies ? { applies: c.applies } : {}) }]),
);

/** Everything but the functions. */
function shape(c: Catalogue) {
  const strip = ({ validate: _v, applies: _a, ...rest }: Catalogue["controls"][number]) => rest;
  return {
    policies: c.policies,
    controls: c.controls.map(strip),
    byResourceType: [...c.byResourceType].map(([type, list]) => [type, list.map((x) => x.id)]),
    allowedTypes: [...c.allowedTypes].sort(),
    allowedNamespaces: [...c.allowedNamespaces].sort(),
  };
}

describe("assembleCatalogue", () => {
  it("gives the same catalogue as loadCatalogue", () => {
    const assembled = assembleCatalogue(sources, precompiled);
    expect(shape(assembled)).toEqual(shape(reference));
    for (const control of assembled.controls) expect(control.validate).toBe(precompiled[control.id]?.check);
  });

  it("refuses a catalogue whose validators are missing (a stale bundle)", () => {
    const { [reference.controls[0]!.id]: _dropped, ...rest } = precompiled;
    expect(() => assembleCatalogue(sources, rest)).toThrow(
      `no precompiled validator for control ${reference.controls[0]!.id}`,
    );
  });

  it("catalogueFrom compiles at load when there are no precompiled validators, and reads waivers", () => {
    const loaded = catalogueFrom({ policies: sources }, new Date());
    expect(loaded.validators).toBe("runtime");
    expect(shape(loaded.catalogue)).toEqual(shape(reference));
    const withWaiver = catalogueFrom(
      {
        policies: sources,
        validators: precompiled,
        waivers: {
          file: "waivers.json",
          text: JSON.stringify({
            waivers: [
              {
                controlId: reference.controls[0]!.id,
                accounts: ["123456789012"],
                reason: "a reason long enough to be accepted",
                approver: "ciso@bank.example",
                granted: "2024-01-01",
                expires: "2024-06-01",
              },
            ],
          }),
        },
      },
      new Date("2024-03-01T00:00:00Z"),
    );
    expect(withWaiver.validators).toBe("standalone");
    expect(withWaiver.problems).toEqual([]);
    expect(withWaiver.waivers.map((w) => w.controlId)).toEqual([reference.controls[0]!.id]);
  });

  it("takes the waivers the build checked, without compiling the waiver schema; expired ones stop applying", () => {
    const waiver = (expires: string) => ({
      controlId: reference.controls[0]!.id,
      accounts: ["123456789012"],
      reason: "a reason long enough to be accepted",
      approver: "ciso@bank.example",
      granted: "2024-01-01",
      expires,
    });
    const loaded = catalogueFrom(
      {
        policies: sources,
        validators: precompiled,
        checkedWaivers: [waiver("2024-02-01"), waiver("2024-12-01")],
      },
      new Date("2024-03-01T00:00:00Z"),
    );
    expect(loaded.waivers.map((w) => w.expires)).toEqual(["2024-12-01"]);
    expect(loaded.problems).toEqual([]);
  });
});
