// Truth to AWS for policies/platform-resources.json: every property a `where` reads exists in AWS
// Config's resource property schema of its type (test/fixtures/resource-schema/, copied from
// awslabs/aws-config-resource-schema), and real items of the type carry it.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { normalise } from "../../engine/normalise.ts";
import { fixtureReader } from "../../loader/policy-files.ts";
import { repositoryCatalogue } from "../support/catalogue.ts";

const SCHEMA_DIR = new URL("../fixtures/resource-schema/", import.meta.url);
const catalogue = repositoryCatalogue();
const readFixture = fixtureReader();
const conditional = (catalogue.platform?.entries ?? []).filter((e) => e.where);

/** `/configuration/associations/*\/main` -> `configuration.associations.main` (list items flattened). */
const schemaPath = (pointer: string) =>
  pointer
    .split("/")
    .slice(1)
    .filter((s) => s !== "*" && !/^\d+$/.test(s))
    .join(".");

describe("the platform-resources list's conditions", () => {
  it("has conditional entries to check", () => {
    expect(conditional.map((e) => e.resourceType)).toContain("AWS::EC2::VPC");
  });

  it.each(conditional.map((e) => [e.resourceType, e] as const))(
    "%s: each property of `where` is one AWS Config records, and the cases' real items have it",
    (type, entry) => {
      const file = new URL(`${type.replace(/::/g, "_")}.properties.json`, SCHEMA_DIR);
      const properties = JSON.parse(readFileSync(fileURLToPath(file), "utf8")) as Record<string, string>;
      for (const pointer of Object.keys(entry.where ?? {})) {
        expect(Object.keys(properties), pointer).toContain(schemaPath(pointer));
      }
      // The first case is a real item as recorded (no edits) that the entry decides.
      const first = entry.cases?.[0];
      expect(first?.set).toBeUndefined();
      expect(first?.expect).toBe(entry.disposition);
      const item = normalise(structuredClone(readFixture(first!.fixture)));
      expect(item.resourceType).toBe(type);
    },
  );
});
