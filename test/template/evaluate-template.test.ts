// UNKNOWN findings: a control that reads a value the template does not tell is UNKNOWN, unless the
// rest of the item decides it; UNKNOWN is never a pass or a failure, and counts in the summary.

import { describe, expect, it } from "vitest";
import { loadCatalogue } from "../../engine/catalogue.ts";
import { HIGHEST } from "../../engine/cia.ts";
import { addToSummary, emptySummary } from "../../engine/report/types.ts";
import { evaluateTemplate } from "../../engine/template/index.ts";
import type { CfnTemplate } from "../../engine/template/types.ts";
import { readPolicySources } from "../../loader/policy-files.ts";

const catalogue = loadCatalogue(readPolicySources());
const now = new Date("2026-12-01T00:00:00Z");
const table = (properties: Record<string, unknown>): CfnTemplate => ({
  Parameters: { Pitr: { Type: "String", AllowedValues: ["true", "false"] } },
  Resources: {
    Table: {
      Type: "AWS::DynamoDB::Table",
      Properties: {
        TableName: "orders",
        BillingMode: "PAY_PER_REQUEST",
        DeletionProtectionEnabled: true,
        SSESpecification: { SSEEnabled: true, KMSMasterKeyId: "arn:aws:kms:eu-west-1:111122223333:key/abc" },
        ...properties,
      },
    },
  },
});
const status = (t: CfnTemplate, control: string, parameters?: Record<string, unknown>) => {
  const [record] = evaluateTemplate(t, catalogue, {
    rating: HIGHEST,
    now,
    ...(parameters ? { parameters } : {}),
  });
  return { record: record!, finding: record!.findings.find((f) => f.controlId === control)! };
};

describe("UNKNOWN findings", () => {
  const pitrFromParameter = table({
    PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: { Ref: "Pitr" } },
  });

  it("is UNKNOWN when the check reads a parameter without a value, and the result is not NON_COMPLIANT", () => {
    const { record, finding } = status(pitrFromParameter, "DDB.PITR");
    expect(finding.status).toBe("UNKNOWN");
    expect(finding.message).toMatch(/parameter Pitr has no default and no value was given/);
    expect(record.compliance).toBe("COMPLIANT");
    expect(record.findings.filter((f) => f.status === "FAIL")).toEqual([]);
    const summary = emptySummary();
    addToSummary(summary, record);
    expect(summary.unknown).toBe(1);
    expect(summary.bySeverity.high).toBe(0);
  });

  it("decides the control once the value is given", () => {
    expect(status(pitrFromParameter, "DDB.PITR", { Pitr: "false" }).finding.status).toBe("FAIL");
    expect(status(pitrFromParameter, "DDB.PITR", { Pitr: "true" }).finding.status).toBe("PASS");
  });

  it("leaves controls that do not read the unknown value decided", () => {
    const { finding } = status(pitrFromParameter, "DDB.ON-DEMAND");
    expect(finding.status).toBe("PASS");
  });

  it("keeps a control decided when the rest of the item decides it: a subnet list of imports is still a VPC", () => {
    const t: CfnTemplate = {
      Resources: {
        Fn: {
          Type: "AWS::Lambda::Function",
          Properties: {
            Runtime: "nodejs22.x",
            Role: { "Fn::ImportValue": "role" },
            VpcConfig: { SubnetIds: [{ "Fn::ImportValue": "subnet" }], SecurityGroupIds: [] },
          },
        },
      },
    };
    expect(status(t, "LAMBDA.NO-VPC").finding.status).toBe("FAIL");
  });

  it("an imported key: encrypted (any key is a key) is decided, which key (customer managed?) is UNKNOWN", () => {
    const t: CfnTemplate = {
      Resources: {
        Q: { Type: "AWS::SQS::Queue", Properties: { KmsMasterKeyId: { "Fn::ImportValue": "key" } } },
      },
    };
    expect(status(t, "SQS.ENCRYPTED").finding.status).toBe("PASS");
    expect(status(t, "SQS.CMK").finding.status).toBe("UNKNOWN");
  });

  it("a property that may be absent (Fn::If on an unknown condition with AWS::NoValue) is UNKNOWN", () => {
    const t: CfnTemplate = {
      Parameters: { Env: { Type: "String" } },
      Conditions: { Prod: { "Fn::Equals": [{ Ref: "Env" }, "prod"] } },
      Resources: {
        Q: {
          Type: "AWS::SQS::Queue",
          Properties: { KmsMasterKeyId: { "Fn::If": ["Prod", "alias/orders", { Ref: "AWS::NoValue" }] } },
        },
      },
    };
    expect(status(t, "SQS.CMK").finding.status).toBe("UNKNOWN");
    expect(status(t, "SQS.CMK", { Env: "prod" }).finding.status).toBe("PASS");
    expect(status(t, "SQS.CMK", { Env: "dev" }).finding.status).toBe("FAIL");
  });

  it("judges a recorded type of a service the catalogue does not allow, and skips types Config does not record", () => {
    const t: CfnTemplate = {
      Resources: {
        Vpc: { Type: "AWS::EC2::VPC", Properties: { CidrBlock: "10.0.0.0/16" } },
        Wait: { Type: "AWS::CloudFormation::WaitConditionHandle", Properties: {} },
      },
    };
    const records = evaluateTemplate(t, catalogue, { rating: HIGHEST, now });
    expect(records.map((r) => [r.resourceId, r.compliance, r.source])).toEqual([
      ["Vpc", "NON_COMPLIANT", "template"],
    ]);
  });
});
