// Truth to AWS: every property path a control reads exists in AWS Config's resource property schema
// for its type (test/fixtures/resource-schema/, copied from awslabs/aws-config-resource-schema),
// except the documented embedded documents and schema gaps (schema-exemptions.ts), the canonical
// item fields, and AWS::Logs::LogGroup (no schema: DescribeLogGroups fields instead).

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { setPointer } from "../../engine/cases.ts";
import type { CompiledControl } from "../../engine/catalogue.ts";
import { normalise } from "../../engine/normalise.ts";
import { fixtureReader } from "../../loader/policy-files.ts";
import { ACCOUNT_PARTS } from "../../rules/account-part.ts";
import { repositoryCatalogue } from "../support/catalogue.ts";
import {
  ACCOUNT_FIELDS,
  EMBEDDED_DOCUMENTS,
  ITEM_FIELDS,
  LOG_GROUP_FIELDS,
  SCHEMA_GAPS,
} from "./schema-exemptions.ts";
import { isAbove, isAtOrBelow, readPaths } from "./schema-paths.ts";

const SCHEMA_DIR = fileURLToPath(new URL("../fixtures/resource-schema/", import.meta.url));
const LOG_GROUP = "AWS::Logs::LogGroup";
const ACCOUNT = "AWS::::Account";
const catalogue = repositoryCatalogue();
const readFixture = fixtureReader();

const schemaFile = (type: string) => join(SCHEMA_DIR, `${type.replace(/::/g, "_")}.properties.json`);

function schemaPaths(type: string): Set<string> {
  const paths = Object.keys(JSON.parse(readFileSync(schemaFile(type), "utf8")) as Record<string, string>);
  // A path exists when it, or a path below it, is listed (`configuration.billingModeSummary`).
  const all = new Set<string>();
  for (const path of paths) {
    const segments = path.split(".");
    for (let n = 1; n <= segments.length; n++) all.add(segments.slice(0, n).join("."));
  }
  return all;
}

const controlPaths = (control: CompiledControl): string[] => [
  ...readPaths(control.check),
  ...readPaths(control.appliesTo ?? {}),
];

type Verdict =
  | "schema"
  | "item field"
  | "embedded document"
  | "schema gap"
  | "log group field"
  | "account API member"
  | "UNKNOWN";

function classify(path: string, type: string, known: Set<string>): Verdict {
  const [first, second, ...rest] = path.split(".");
  if (first !== "configuration" && first !== "supplementaryConfiguration") {
    return ITEM_FIELDS.has(first ?? "") ? "item field" : "UNKNOWN";
  }
  if (second === undefined) return "item field";
  if (type === LOG_GROUP) {
    const field = second as (typeof LOG_GROUP_FIELDS)[number];
    return first === "configuration" && rest.length === 0 && LOG_GROUP_FIELDS.includes(field)
      ? "log group field"
      : "UNKNOWN";
  }
  if (type === ACCOUNT) {
    const part = second as keyof typeof ACCOUNT_FIELDS;
    if (first !== "configuration" || !(part in ACCOUNT_PARTS)) return "UNKNOWN";
    return rest.length === 0 || ACCOUNT_FIELDS[part].includes(rest.join("."))
      ? "account API member"
      : "UNKNOWN";
  }
  if (known.has(path)) return "schema";
  const embedded = EMBEDDED_DOCUMENTS.filter((d) => d.resourceType === type);
  if (embedded.some((d) => isAtOrBelow(path, d.path) || isAbove(path, d.path))) return "embedded document";
  const gaps = SCHEMA_GAPS.filter((g) => g.resourceType === type);
  if (gaps.some((g) => isAtOrBelow(path, g.path) || isAbove(path, g.path))) return "schema gap";
  return "UNKNOWN";
}

describe("truth to AWS: property paths", () => {
  const recorded = catalogue.controls.filter(
    (c) => c.resourceType !== LOG_GROUP && c.resourceType !== ACCOUNT,
  );

  it("has AWS Config's property schema for every resource type a control reads", () => {
    const missing = [...new Set(recorded.map((c) => c.resourceType))].filter(
      (t) => !existsSync(schemaFile(t)),
    );
    expect(missing, "copy them from aws-config-data/resource-schema/").toEqual([]);
  });

  it.each(recorded.map((c) => [c.id, c] as const))(
    "%s reads only paths AWS Config records",
    (_id, control) => {
      const known = schemaPaths(control.resourceType);
      const unknown = controlPaths(control).filter(
        (p) => classify(p, control.resourceType, known) === "UNKNOWN",
      );
      expect(unknown, `not in ${control.resourceType}.properties.json`).toEqual([]);
    },
  );

  it("knows the schema spelling (a misspelt path is caught)", () => {
    const known = schemaPaths("AWS::DynamoDB::Table");
    expect(classify("configuration.billingModeSummary.billingMode", "AWS::DynamoDB::Table", known)).toBe(
      "schema",
    );
    expect(classify("configuration.BillingModeSummary.BillingMode", "AWS::DynamoDB::Table", known)).toBe(
      "UNKNOWN",
    );
    expect(classify("configuration.sseDescription.sseType", "AWS::DynamoDB::Table", known)).toBe("UNKNOWN");
  });

  it.each(catalogue.controls.filter((c) => c.resourceType === LOG_GROUP).map((c) => [c.id, c] as const))(
    "%s (log group, no schema) reads only DescribeLogGroups fields",
    (_id, control) => {
      const unknown = controlPaths(control).filter((p) => classify(p, LOG_GROUP, new Set()) === "UNKNOWN");
      expect(unknown).toEqual([]);
    },
  );
});

describe("truth to AWS: account items", () => {
  const accountControls = catalogue.controls.filter((c) => c.resourceType === ACCOUNT);

  it.each(accountControls.map((c) => [c.id, c] as const))(
    "%s (account item, no schema) reads only account-level API members",
    (_id, control) => {
      const unknown = controlPaths(control).filter((p) => classify(p, ACCOUNT, new Set()) === "UNKNOWN");
      expect(unknown).toEqual([]);
    },
  );

  it("knows the API spelling (a misspelt member or an unknown part is caught)", () => {
    expect(classify("configuration.trails.IsMultiRegionTrail", ACCOUNT, new Set())).toBe(
      "account API member",
    );
    expect(classify("configuration.trails.isMultiRegionTrail", ACCOUNT, new Set())).toBe("UNKNOWN");
    expect(classify("configuration.rootUser", ACCOUNT, new Set())).toBe("UNKNOWN");
  });

  it("lists only members some control reads", () => {
    const read = new Set(accountControls.flatMap(controlPaths));
    const unused = Object.entries(ACCOUNT_FIELDS).flatMap(([part, fields]) =>
      fields.map((f) => `configuration.${part}.${f}`).filter((p) => !read.has(p)),
    );
    expect(unused).toEqual([]);
  });
});

describe("truth to AWS: the exemptions are real", () => {
  it.each(EMBEDDED_DOCUMENTS.map((d) => [`${d.resourceType} ${d.path}`, d] as const))(
    "%s is decoded by the normaliser and read by a control",
    (_name, document) => {
      const raw: Record<string, unknown> = {
        configurationItemVersion: "1.3",
        awsAccountId: "123456789012",
        resourceType: document.resourceType,
        resourceId: "probe",
        configurationItemStatus: "OK",
        configuration: {},
        supplementaryConfiguration: {},
      };
      const policy = {
        Version: "2012-10-17",
        Statement: { Effect: "Allow", Principal: "*", Action: "S3:GetObject" },
      };
      setPointer(raw, document.probe, JSON.stringify(policy));
      const item = normalise(raw) as unknown as Record<string, unknown>;
      const decoded = document.probe
        .split("/")
        .slice(1)
        .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], item);
      expect(decoded).toEqual({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { AWS: ["*"] }, Action: ["s3:getobject"] }],
      });
      const readers = catalogue.controls.filter(
        (c) =>
          c.resourceType === document.resourceType &&
          controlPaths(c).some((p) => isAtOrBelow(p, document.path)),
      );
      expect(readers.length, "an exemption no control uses").toBeGreaterThan(0);
      expect(schemaPaths(document.resourceType).has(document.path), "listed in the schema after all").toBe(
        false,
      );
    },
  );

  it.each(SCHEMA_GAPS.map((g) => [`${g.resourceType} ${g.path}`, g] as const))(
    "%s is missing from the schema, read by a control, and explained",
    (_name, gap) => {
      expect(schemaPaths(gap.resourceType).has(gap.path.replace(/\.\*$/, ""))).toBe(false);
      expect(gap.evidence.length).toBeGreaterThan(40);
      const readers = catalogue.controls.filter(
        (c) => c.resourceType === gap.resourceType && controlPaths(c).some((p) => isAtOrBelow(p, gap.path)),
      );
      expect(readers.length, "an exemption no control uses").toBeGreaterThan(0);
      if (gap.fixture) {
        const item = normalise(readFixture(gap.fixture), { resourceType: gap.resourceType });
        // `configuration.x` or `supplementaryConfiguration.x`: the fixture has the property there.
        const [root, property] = gap.path.split(".");
        const part = (item as unknown as Record<string, Record<string, unknown> | undefined>)[root ?? ""];
        expect(part?.[property ?? ""], `${gap.fixture} records it`).toBeTypeOf("object");
      }
    },
  );
});
