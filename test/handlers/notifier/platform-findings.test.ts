// The notifier and the HTML report know the findings of policies/platform-resources.json by id, as
// they know the catalogue's controls: severity and CIA levels to route, remediation to explain.

import { describe, expect, test } from "vitest";
import { accountContext } from "../../../engine/accounts.ts";
import { evaluate } from "../../../engine/evaluate.ts";
import { normalise } from "../../../engine/normalise.ts";
import { helpIndex } from "../../../engine/report/html/details.ts";
import { assess } from "../../../handlers/notifier/assess.ts";
import { controlLookup } from "../../../handlers/notifier/controls.ts";
import { fixtureReader } from "../../../loader/policy-files.ts";
import { catalogue } from "./harness.ts";

const defaultVpc = normalise(fixtureReader()("AWS_EC2_VPC/rdk-sample-ci.json"));

describe("a platform finding in the notifier and the HTML report", () => {
  test("is looked up by id with its severity, CIA levels and the remediation naming the break-glass role", () => {
    const info = controlLookup(catalogue).control("PLATFORM.DEFAULT-VPC");
    expect(info).toMatchObject({ severity: "medium", cia: { c: 1 }, resourceType: "AWS::EC2::VPC" });
    expect(info?.remediation.console).toContain("break-glass");
    expect(helpIndex(catalogue).get("PLATFORM.DEFAULT-VPC")?.remediation.console).toContain("break-glass");
  });

  test("the default VPC's annotation is routed as medium and required at every rating", () => {
    const record = evaluate(defaultVpc, catalogue, { rating: { c: 3, i: 3, a: 3 }, now: new Date() });
    const development = accountContext(
      defaultVpc.accountId,
      { environment: "development", "cia-rating": "C1I1A1", owner: "team@bank.example" },
      "sandbox",
    );
    const assessment = assess(
      {
        accountId: defaultVpc.accountId,
        region: defaultVpc.awsRegion,
        ruleName: "compliance-allowed-services",
        resourceType: defaultVpc.resourceType,
        resourceId: defaultVpc.resourceId,
        compliance: "NON_COMPLIANT",
        orderingTimestamp: "2025-01-01T00:00:00.000Z",
        resultRecordedTime: "2025-01-01T00:00:00.000Z",
        annotation: record.annotation,
      },
      development,
      controlLookup(catalogue),
    );
    expect(assessment).toMatchObject({
      required: true,
      severity: "medium",
      controlIds: ["PLATFORM.DEFAULT-VPC"],
    });
  });
});
