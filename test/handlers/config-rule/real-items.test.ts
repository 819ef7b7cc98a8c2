// Events built from every real configuration item in test/fixtures/ci (real items
// recorded by AWS Config, from public sample data): as a change notification (the item as recorded, whatever its
// shape), as an oversized notification (the item served in the API shape by
// GetResourceConfigHistory through the real SDK), and to the allowed-services rule. The verdict
// is the engine's, and never depends on the path the item took.

import { describe, expect, it } from "vitest";
import { isAllowedType } from "../../../engine/evaluate.ts";
import { normalise, toIsoTime } from "../../../engine/normalise.ts";
import { platformEntryFor } from "../../../engine/platform-resources.ts";
import { ALLOWED_SERVICES_RULE } from "../../../engine/scope.ts";
import { resourceKey, type StoredEvaluation } from "../../support/config-endpoint.ts";
import { loadFixtures } from "../../support/fixtures.ts";
import { changeEvent, oversizedEvent, summaryOf } from "./support/events.ts";
import { epochSeconds, expectedRecord, sourceCatalogue } from "./support/expected.ts";
import { ruleHarness } from "./support/harness.ts";

type Raw = Record<string, unknown>;

const fixtures = loadFixtures("ci").map((f) => ({ ...f, raw: f.raw as Raw }));

const harness = ruleHarness({ clearEachTest: false });

/** The catalogue service that owns a resource type, as the member template scopes its rules. */
function serviceOf(resourceType: string): string | undefined {
  return sourceCatalogue().catalogue.policies.find((p) => p.resourceTypes.includes(resourceType))?.service;
}

const expectedAnnotation = (annotation: string) => annotation.trim() || expect.any(String);

describe("events built from every real configuration item", () => {
  it("has every item of the shared data", () => {
    expect(fixtures).toHaveLength(107);
  });

  it("change and oversized notifications give the engine's verdict for all 107 items, in any shape", async () => {
    const viaChange: StoredEvaluation[] = [];
    const viaOversized: StoredEvaluation[] = [];
    const failures: string[] = [];
    for (const f of fixtures) {
      const item = normalise(f.raw);
      const service = serviceOf(item.resourceType);
      const params = service ? { service } : {};
      const expected = expectedRecord(f.raw, params);
      const captured = toIsoTime(f.raw.configurationItemCaptureTime);

      harness.endpoint.reset();
      const change = await harness.lambda.invoke(
        changeEvent(f.raw, {
          rule: `compliance-${service ?? "all"}`,
          ruleParameters: params,
          resultToken: f.name,
        }),
      );
      const [a] = harness.endpoint.accepted;
      if (change.status !== "evaluated" || !a) failures.push(`${f.name}: change ${JSON.stringify(change)}`);
      else viaChange.push(a);
      expect(a, f.name).toMatchObject({
        resourceType: item.resourceType,
        resourceId: item.resourceId,
        complianceType: expected.compliance,
        annotation: expectedAnnotation(expected.annotation),
        ...(captured ? { orderingTimestamp: epochSeconds(captured) } : {}),
      });

      harness.endpoint.reset();
      harness.endpoint.putResource(f.raw);
      const summary = summaryOf(f.raw);
      const oversized = await harness.lambda.invoke(
        oversizedEvent(summary, {
          rule: `compliance-${service ?? "all"}`,
          ruleParameters: params,
          resultToken: f.name,
        }),
      );
      const [b] = harness.endpoint.accepted;
      if (oversized.status !== "evaluated" || !b)
        failures.push(`${f.name}: oversized ${JSON.stringify(oversized)}`);
      else viaOversized.push(b);
      const gone = ["ResourceDeleted", "ResourceDeletedNotRecorded", "ResourceNotRecorded"].includes(
        item.configurationItemStatus,
      );
      // A deleted item is not fetched: the summary says all there is to say.
      expect(harness.endpoint.callsOf("GetResourceConfigHistory"), f.name).toHaveLength(gone ? 0 : 1);
      expect(b, f.name).toMatchObject({
        resourceType: item.resourceType,
        resourceId: item.resourceId,
        complianceType: expected.compliance,
        annotation: expectedAnnotation(expected.annotation),
      });
    }
    expect(failures).toEqual([]);
    expect(viaChange).toHaveLength(107);
    expect(viaOversized).toHaveLength(107);
    // Same resource, same verdict, whichever shape it came in.
    const verdicts = (list: StoredEvaluation[]) =>
      list.map((e) => `${resourceKey(e.resourceType, e.resourceId)} ${e.complianceType} ${e.annotation}`);
    expect(verdicts(viaOversized)).toEqual(verdicts(viaChange));
  });

  it("the allowed-services rule judges every item by its service, or its place in the platform-resources list", async () => {
    harness.endpoint.reset();
    const rule = "compliance-allowed-services";
    const token = harness.endpoint.tokenFor(rule);
    for (const f of fixtures) {
      await harness.lambda.invoke(
        changeEvent(f.raw, { rule, resultToken: token, ruleParameters: { service: ALLOWED_SERVICES_RULE } }),
      );
    }
    const { catalogue } = sourceCatalogue();
    const byKey = new Map(
      harness.endpoint.accepted.map((e) => [resourceKey(e.resourceType, e.resourceId), e.complianceType]),
    );
    for (const f of fixtures) {
      const item = normalise(f.raw);
      const gone = ["ResourceDeleted", "ResourceDeletedNotRecorded", "ResourceNotRecorded"].includes(
        item.configurationItemStatus,
      );
      // A platform-managed type (a GuardDuty detector) is allowed too; no EC2 type is.
      const platform = platformEntryFor(catalogue.platform, item);
      const expected = gone
        ? "NOT_APPLICABLE"
        : isAllowedType(catalogue, item.resourceType) || platform?.disposition === "platform-managed"
          ? "COMPLIANT"
          : "NON_COMPLIANT";
      expect(byKey.get(resourceKey(item.resourceType, item.resourceId)), f.name).toBe(
        expectedRecord(f.raw, { service: ALLOWED_SERVICES_RULE }).compliance,
      );
      expect(expectedRecord(f.raw, { service: ALLOWED_SERVICES_RULE }).compliance, f.name).toBe(expected);
    }
    expect(harness.endpoint.accepted).toHaveLength(107);
    // EC2 and VPC are outside the platform: never compliant under the allow-list. The real item is
    // a default VPC: its own medium finding (deleted by the break-glass role), not the critical one.
    const vpc = normalise(fixtures.find((f) => f.resourceType === "AWS::EC2::VPC")!.raw);
    expect(vpc.configuration?.isDefault).toBe(true);
    const written = harness.endpoint.accepted.find(
      (e) => e.resourceType === "AWS::EC2::VPC" && e.resourceId === vpc.resourceId,
    );
    expect(written).toMatchObject({ complianceType: "NON_COMPLIANT" });
    expect(written?.annotation).toMatch(/^\[MEDIUM\] PLATFORM\.DEFAULT-VPC: /);
    // The default VPC's main route table and default network ACL are low findings of their own.
    for (const [type, id] of [
      ["AWS::EC2::RouteTable", "PLATFORM.MAIN-ROUTE-TABLE"],
      ["AWS::EC2::NetworkAcl", "PLATFORM.DEFAULT-NETWORK-ACL"],
    ] as const) {
      const part = normalise(fixtures.find((f) => f.resourceType === type)!.raw);
      const entry = harness.endpoint.accepted.find(
        (e) => e.resourceType === type && e.resourceId === part.resourceId,
      );
      expect(entry, type).toMatchObject({ complianceType: "NON_COMPLIANT" });
      expect(entry?.annotation).toMatch(new RegExp(`^\\[LOW\\] ${id.replace(".", "\\.")}: `));
    }
    // Instances stay the critical allowed-service finding.
    const instance = harness.endpoint.accepted.find(
      (e) => e.resourceType === "AWS::EC2::Instance" && e.complianceType === "NON_COMPLIANT",
    );
    expect(instance?.annotation).toMatch(/^\[CRITICAL\] PLATFORM\.ALLOWED-SERVICE: /);
  });
});
