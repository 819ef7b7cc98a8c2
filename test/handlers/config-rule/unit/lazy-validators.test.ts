// The Config rule's validators, one module per service, loaded when a run needs that service
// (handlers/shared/lazy-validators.ts): stand-ins that throw until then, the generated functions on
// the catalogue's own controls after, a failed import tried again. The bundle built this way is
// run end to end by the other config-rule tests (real-items.test.ts judges every real item).

import { describe, expect, it } from "vitest";
import { assembleCatalogue } from "../../../../handlers/shared/catalogue.ts";
import {
  lazyValidators,
  type ValidatorIndexEntry,
  type ValidatorModule,
} from "../../../../handlers/shared/lazy-validators.ts";
import { readPolicySources } from "../../../../loader/policy-files.ts";
import { repositoryCatalogue } from "../../../support/catalogue.ts";

const sources = readPolicySources();
const reference = repositoryCatalogue();

/** The index and per-service modules the build would generate, from the compiled catalogue. */
function generated() {
  const index: Record<string, ValidatorIndexEntry> = {};
  const modules: Record<string, ValidatorModule> = {};
  reference.controls.forEach((c, i) => {
    index[c.id] = { service: c.service, check: `c${i}`, ...(c.applies ? { applies: `a${i}` } : {}) };
    modules[c.service] ??= {};
    const module = modules[c.service]!;
    module[`c${i}`] = c.validate;
    if (c.applies) module[`a${i}`] = c.applies;
  });
  return { index, modules };
}

function setUp(fail: (service: string) => boolean = () => false) {
  const { index, modules } = generated();
  const imports: string[] = [];
  const importers = Object.fromEntries(
    Object.keys(modules).map((service) => [
      service,
      async () => {
        imports.push(service);
        if (fail(service)) throw new Error(`chunk of ${service} missing`);
        return modules[service]!;
      },
    ]),
  );
  const lazy = lazyValidators(index, importers);
  const catalogue = assembleCatalogue(sources, lazy.validators);
  return { lazy, catalogue, imports };
}

const table = { resourceType: "AWS::DynamoDB::Table", configuration: {} };

describe("lazy validators", () => {
  it("are stand-ins that say which service was not loaded, until it is", () => {
    const { catalogue } = setUp();
    const control = catalogue.controls.find((c) => c.service === "dynamodb")!;
    expect(() => control.validate(table)).toThrow(
      `the validators of service dynamodb (control ${control.id}) were not loaded before evaluating`,
    );
  });

  it("load one service's module into the catalogue's controls, and no other", async () => {
    const { lazy, catalogue, imports } = setUp();
    await lazy.load(catalogue, ["dynamodb"]);
    expect(imports).toEqual(["dynamodb"]);
    for (const control of catalogue.controls) {
      const compiled = reference.controls.find((c) => c.id === control.id)!;
      if (control.service === "dynamodb") {
        expect(control.validate).toBe(compiled.validate);
        expect(control.applies).toBe(compiled.applies);
      } else {
        expect(() => control.validate(table)).toThrow(/were not loaded/);
      }
    }
    // Loaded once: a second run imports nothing.
    await lazy.load(catalogue, ["dynamodb"]);
    expect(imports).toEqual(["dynamodb"]);
  });

  it("load every service when none is named", async () => {
    const { lazy, catalogue, imports } = setUp();
    await lazy.load(catalogue);
    expect(new Set(imports)).toEqual(new Set(reference.controls.map((c) => c.service)));
    for (const control of catalogue.controls) {
      expect(control.validate).toBe(reference.controls.find((c) => c.id === control.id)!.validate);
    }
  });

  it("try a failed import again at the next load", async () => {
    let failing = true;
    const { lazy, catalogue, imports } = setUp((service) => service === "s3" && failing);
    await expect(lazy.load(catalogue, ["s3"])).rejects.toThrow("chunk of s3 missing");
    failing = false;
    await lazy.load(catalogue, ["s3"]);
    expect(imports).toEqual(["s3", "s3"]);
    const control = catalogue.controls.find((c) => c.service === "s3")!;
    expect(control.validate).toBe(reference.controls.find((c) => c.id === control.id)!.validate);
  });

  it("refuse a module without the export the index names (a stale build)", async () => {
    const { index } = generated();
    const lazy = lazyValidators(index, { dynamodb: async () => ({}) });
    const catalogue = assembleCatalogue(sources, lazy.validators);
    await expect(lazy.load(catalogue, ["dynamodb"])).rejects.toThrow(
      /validators of service dynamodb: no export c\d+: rebuild/,
    );
  });
});
