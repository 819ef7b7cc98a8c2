// The project passes its own rules: every resource the templates create, turned into the
// configuration item AWS Config would record (engine/template/: the product's template path,
// with sample values for the parameters that have no default), is evaluated by the engine with
// the catalogue as it is now, at the most critical rating; no control may fail.

import { describe, expect, it } from "vitest";
import type { Template } from "../../deploy/cfn.ts";
import { readScpSettings } from "../../deploy/scp-settings.ts";
import { synthesise } from "../../deploy/synth.ts";
import { isRecordedType } from "../../engine/catalogue.ts";
import { HIGHEST } from "../../engine/cia.ts";
import { evaluate, isAllowedType } from "../../engine/evaluate.ts";
import { normalise } from "../../engine/normalise.ts";
import { ruleScope } from "../../engine/scope.ts";
import { mappedTypes, resourceItem, TemplateResolver } from "../../engine/template/index.ts";
import { repositoryCatalogue } from "../support/catalogue.ts";
import { SAMPLE_OPTIONS } from "./sample-parameters.ts";

const MAPPED_TYPES = mappedTypes();
const configurationItem = (resolver: TemplateResolver, id: string) => resourceItem(resolver, id, true).raw!;

const catalogue = repositoryCatalogue();
const { templates } = synthesise(catalogue, readScpSettings());
const now = new Date("2026-01-01T00:00:00Z");

/** The catalogue service whose controls cover a resource type. */
const serviceOf = (type: string) => catalogue.policies.find((p) => p.resourceTypes.includes(type))?.service;

const checked = (Object.entries(templates) as [string, Template][]).flatMap(([name, template]) =>
  Object.entries(template.Resources)
    .filter(([, r]) => (catalogue.byResourceType.get(r.Type) ?? []).length > 0)
    .map(([id, r]) => [`${name}/${id} (${r.Type})`, template, id] as const),
);

describe("the templates' resources against the catalogue, at C3I3A3", () => {
  it("has a configuration item mapping for every type the catalogue has controls for", () => {
    const unmapped = checked
      .map(([, t, id]) => t.Resources[id]!.Type)
      .filter((type) => !MAPPED_TYPES.has(type));
    expect([...new Set(unmapped)]).toEqual([]);
  });

  it("checks something: the templates create resources the catalogue has controls for", () => {
    expect(checked.length).toBeGreaterThan(5);
  });

  it.each(checked)("%s passes every control", (_label, template, id) => {
    const raw = configurationItem(new TemplateResolver(template, SAMPLE_OPTIONS), id);
    if (!raw) return; // reported by the mapping test above
    const item = normalise(raw);
    const type = item.resourceType;
    const record = evaluate(item, catalogue, { rating: HIGHEST, now, scope: ruleScope(serviceOf(type)) });
    const failures = record.findings
      .filter((f) => f.status === "FAIL")
      .map((f) => `${f.controlId}: ${f.message}`);
    expect(failures).toEqual([]);
    expect(record.compliance).not.toBe("NON_COMPLIANT");
    // Every control of the type was run on it (none skipped for lack of data it should carry).
    expect(record.findings.filter((f) => f.status === "PASS").length).toBeGreaterThan(0);
  });

  it("would catch a non-compliant template: the mapping is not vacuous", () => {
    const template = structuredClone(templates.central);
    const ledger = Object.entries(template.Resources).find(([, r]) => r.Type === "AWS::DynamoDB::Table")!;
    ledger[1].Properties.PointInTimeRecoverySpecification = { PointInTimeRecoveryEnabled: false };
    ledger[1].Properties.BillingMode = "PROVISIONED";
    const fn = Object.entries(template.Resources).find(([, r]) => r.Type === "AWS::Lambda::Function")!;
    fn[1].Properties.Runtime = "nodejs18.x";
    fn[1].Properties.VpcConfig = { SubnetIds: ["subnet-1"], SecurityGroupIds: ["sg-1"] };
    const resolver = new TemplateResolver(template, SAMPLE_OPTIONS);
    const failing = (id: string) =>
      evaluate(normalise(configurationItem(resolver, id)), catalogue, {
        rating: HIGHEST,
        now,
        scope: ruleScope(serviceOf(template.Resources[id]!.Type)),
      })
        .findings.filter((f) => f.status === "FAIL")
        .map((f) => f.controlId);
    expect(failing(ledger[0])).toEqual(expect.arrayContaining(["DDB.PITR", "DDB.ON-DEMAND"]));
    expect(failing(fn[0])).toEqual(expect.arrayContaining(["LAMBDA.RUNTIME", "LAMBDA.NO-VPC"]));
  });
});

describe("the allowed-services rule on the engine's own resources", () => {
  it("allows every recorded resource type the templates create", () => {
    const types = new Set(
      Object.values(templates).flatMap((t) => Object.values(t.Resources).map((r) => r.Type)),
    );
    const disallowed = [...types]
      .filter((type) => isRecordedType(type) && !isAllowedType(catalogue, type))
      .sort();
    expect(disallowed).toEqual([]);
  });
});
