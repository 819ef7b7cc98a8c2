// UNKNOWN findings: a control that reads a value the template does not tell is UNKNOWN, unless the
// rest of the item decides it; UNKNOWN is never a pass or a failure, and counts in the summary.

import { describe, expect, it } from "vitest";
import { HIGHEST } from "../../engine/cia.ts";
import { addToSummary, emptySummary } from "../../engine/report/types.ts";
import { evaluateTemplate } from "../../engine/template/index.ts";
import { iamPrefixesOf, isOutsideAllowList } from "../../engine/template/service-of-type.ts";
import type { CfnTemplate } from "../../engine/template/types.ts";
import { repositoryCatalogue } from "../support/catalogue.ts";

const catalogue = repositoryCatalogue();
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

describe("an UNKNOWN finding names the values its control reads, not every unknown of the resource", () => {
  it("a key from SSM beside a condition the control never reads: only the key is named", () => {
    const t: CfnTemplate = {
      Parameters: {
        Env: { Type: "String" },
        Key: { Type: "AWS::SSM::Parameter::Value<String>", Default: "/k" },
      },
      Conditions: { IsProd: { "Fn::Equals": [{ Ref: "Env" }, "prod"] } },
      Resources: {
        Table: {
          Type: "AWS::DynamoDB::Table",
          Properties: {
            BillingMode: "PAY_PER_REQUEST",
            DeletionProtectionEnabled: { "Fn::If": ["IsProd", true, false] },
            SSESpecification: { SSEEnabled: true, SSEType: "KMS", KMSMasterKeyId: { Ref: "Key" } },
          },
        },
      },
    };
    const [record] = evaluateTemplate(t, catalogue, { rating: HIGHEST, now });
    const message = (id: string) => record!.findings.find((f) => f.controlId === id)?.message;
    expect(message("DDB.CMK")).toBe(
      "depends on a value the template does not tell: parameter Key is read from SSM Parameter Store at deploy time",
    );
    expect(message("DDB.DELETION-PROTECTION")).toMatch(
      /^depends on a value the template does not tell: Fn::If on condition IsProd/,
    );
    expect(message("DDB.DELETION-PROTECTION")).not.toMatch(/SSM/);
  });
});

describe("a type AWS Config does not record is judged by its service, as the SCP will", () => {
  const t: CfnTemplate = {
    Resources: {
      Record: { Type: "AWS::Route53::RecordSet", Properties: { Name: "orders.example.com", Type: "A" } },
      Attach: { Type: "AWS::EC2::VPCGatewayAttachment", Properties: { VpcId: "vpc-1" } },
      Pool: { Type: "AWS::Cognito::UserPool", Properties: {} },
      Nightly: { Type: "AWS::Scheduler::Schedule", Properties: { ScheduleExpression: "rate(1 day)" } },
      Trigger: { Type: "AWS::Lambda::EventSourceMapping", Properties: { FunctionName: "f" } },
      Version: { Type: "AWS::Lambda::Version", Properties: { FunctionName: "f" } },
      Cdk: { Type: "AWS::CDK::Metadata", Properties: { Analytics: "v2:deflate64:x" } },
      Wait: { Type: "AWS::CloudFormation::WaitConditionHandle", Properties: {} },
      Seed: {
        Type: "Custom::SeedTable",
        Properties: { ServiceToken: "arn:aws:lambda:eu-west-1:1:function:f" },
      },
      Monitor: { Type: "Datadog::Monitors::Monitor", Properties: {} },
    },
  };

  it("outside the allow-list (neither a namespace nor an IAM prefix of the catalogue): NON_COMPLIANT", () => {
    const records = evaluateTemplate(t, catalogue, { rating: HIGHEST, now });
    expect(records.map((r) => [r.resourceId, r.compliance])).toEqual([
      ["Record", "NON_COMPLIANT"],
      ["Attach", "NON_COMPLIANT"],
      ["Pool", "NON_COMPLIANT"],
    ]);
    expect(records[0]!.findings).toEqual([
      expect.objectContaining({
        controlId: "PLATFORM.ALLOWED-SERVICE",
        status: "FAIL",
        message:
          "AWS::Route53::RecordSet belongs to a service the platform does not allow (not in the catalogue)",
      }),
    ]);
  });

  it("an allowed service's type (the scheduler prefix, Lambda's namespace), CloudFormation's own constructs, custom and third-party types: nothing to judge", () => {
    const allowed = evaluateTemplate(t, catalogue, { rating: HIGHEST, now }).map((r) => r.resourceId);
    for (const id of ["Nightly", "Trigger", "Version", "Cdk", "Wait", "Seed", "Monitor"]) {
      expect(allowed).not.toContain(id);
    }
  });

  it("a type's IAM prefix: its namespace lower-cased, or as CloudFormation spells it otherwise", () => {
    expect(iamPrefixesOf("AWS::Scheduler::Schedule")).toEqual(["scheduler"]);
    expect(iamPrefixesOf("AWS::StepFunctions::StateMachine")).toEqual(["states"]);
    expect(iamPrefixesOf("AWS::CertificateManager::Certificate")).toEqual(["acm"]);
    expect(iamPrefixesOf("AWS::ApiGatewayV2::Route")).toEqual(["apigateway"]);
    expect(iamPrefixesOf("AWS::Route53::RecordSet")).toEqual(["route53"]);
    // A catalogue that allows the prefix allows the type, whatever its namespace.
    const [first, ...rest] = catalogue.policies;
    const withRoute53 = {
      ...catalogue,
      policies: [{ ...first!, iamPrefixes: [...first!.iamPrefixes, "route53"] }, ...rest],
    };
    expect(isOutsideAllowList(withRoute53, "AWS::Route53::RecordSet")).toBe(false);
    expect(isOutsideAllowList(catalogue, "AWS::Route53::RecordSet")).toBe(true);
  });
});

describe("more mappers: state machines, secrets with their rotation schedule, API Gateway stages", () => {
  const judge = (t: CfnTemplate, type: string) => {
    const record = evaluateTemplate(t, catalogue, {
      rating: HIGHEST,
      now,
      account: "111122223333",
      region: "eu-west-1",
    }).find((r) => r.resourceType === type)!;
    return Object.fromEntries(record.findings.map((f) => [f.controlId, f.status]));
  };

  it("a state machine: logging and tracing as the template sets them (off by default)", () => {
    const t = (properties: Record<string, unknown>): CfnTemplate => ({
      Resources: {
        Flow: {
          Type: "AWS::StepFunctions::StateMachine",
          Properties: { RoleArn: "arn:aws:iam::111122223333:role/r", ...properties },
        },
      },
    });
    expect(judge(t({}), "AWS::StepFunctions::StateMachine")).toMatchObject({
      "STATES.LOGGING": "FAIL",
      "STATES.TRACING": "FAIL",
    });
    expect(
      judge(
        t({
          LoggingConfiguration: { Level: "ERROR", IncludeExecutionData: false },
          TracingConfiguration: { Enabled: true },
        }),
        "AWS::StepFunctions::StateMachine",
      ),
    ).toEqual({
      "STATES.LOGGING": "PASS",
      "STATES.NO-EXECUTION-DATA-IN-LOGS": "PASS",
      "STATES.TRACING": "PASS",
    });
  });

  it("a secret: rotation from its RotationSchedule; whether rotation succeeds is only known once it runs", () => {
    const t = (days: number): CfnTemplate => ({
      Resources: {
        Secret: {
          Type: "AWS::SecretsManager::Secret",
          Properties: { Name: "db", KmsKeyId: "arn:aws:kms:eu-west-1:111122223333:key/k" },
        },
        Rotation: {
          Type: "AWS::SecretsManager::RotationSchedule",
          Properties: {
            SecretId: { Ref: "Secret" },
            RotationLambdaARN: "arn:aws:lambda:eu-west-1:111122223333:function:rotate",
            RotationRules: { AutomaticallyAfterDays: days },
          },
        },
      },
    });
    expect(judge(t(30), "AWS::SecretsManager::Secret")).toEqual({
      "SECRETS.ROTATION": "PASS",
      "SECRETS.ROTATION-PERIOD": "PASS",
      "SECRETS.ROTATION-SUCCEEDS": "UNKNOWN",
      "SECRETS.CMK": "PASS",
    });
    expect(judge(t(365), "AWS::SecretsManager::Secret")["SECRETS.ROTATION-PERIOD"]).toBe("FAIL");
    const alone: CfnTemplate = {
      Resources: { Secret: { Type: "AWS::SecretsManager::Secret", Properties: {} } },
    };
    expect(judge(alone, "AWS::SecretsManager::Secret")).toMatchObject({
      "SECRETS.ROTATION": "FAIL",
      "SECRETS.CMK": "FAIL",
    });
  });

  it("an API Gateway stage: method settings keyed as GetStage writes them, the web ACL from its association", () => {
    const stage: CfnTemplate = {
      Resources: {
        Stage: {
          Type: "AWS::ApiGateway::Stage",
          Properties: {
            RestApiId: "a1b2c3d4e5",
            StageName: "prod",
            TracingEnabled: true,
            AccessLogSetting: {
              DestinationArn: "arn:aws:logs:eu-west-1:111122223333:log-group:api-access",
              Format: "$context.requestId",
            },
            MethodSettings: [
              {
                ResourcePath: "/*",
                HttpMethod: "*",
                LoggingLevel: "ERROR",
                ThrottlingBurstLimit: 100,
                ThrottlingRateLimit: 50,
              },
            ],
          },
        },
        Waf: {
          Type: "AWS::WAFv2::WebACLAssociation",
          Properties: {
            ResourceArn: "arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/stages/prod",
            WebACLArn: "arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/api/1234",
          },
        },
      },
    };
    expect(judge(stage, "AWS::ApiGateway::Stage")).toMatchObject({
      "APIGW.EXECUTION-LOGGING": "PASS",
      "APIGW.ACCESS-LOGGING": "PASS",
      "APIGW.XRAY": "PASS",
      "APIGW.WAF": "PASS",
      "APIGW.CACHE-ENCRYPTED": "PASS",
      "APIGW.THROTTLING": "PASS",
    });
  });
});

describe("IAM in templates", () => {
  const admin = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
  const trust = {
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
    ],
  };

  it("an AWS::IAM::ManagedPolicy is judged as the AWS::IAM::Policy Config records, reported under its template type", () => {
    const t: CfnTemplate = {
      Resources: { Admin: { Type: "AWS::IAM::ManagedPolicy", Properties: { PolicyDocument: admin } } },
    };
    const [record] = evaluateTemplate(t, catalogue, { rating: HIGHEST, now });
    expect(record?.resourceType).toBe("AWS::IAM::ManagedPolicy");
    expect(record?.compliance).toBe("NON_COMPLIANT");
    expect(record?.findings.find((f) => f.controlId === "IAM.NO-ADMIN-POLICY")?.status).toBe("FAIL");
  });

  it("an AWS::IAM::Policy (inline) is folded into the roles it names, as Config records it", () => {
    const t: CfnTemplate = {
      Resources: {
        Role: { Type: "AWS::IAM::Role", Properties: { RoleName: "worker", AssumeRolePolicyDocument: trust } },
        Inline: {
          Type: "AWS::IAM::Policy",
          Properties: { PolicyName: "everything", Roles: [{ Ref: "Role" }], PolicyDocument: admin },
        },
      },
    };
    const records = evaluateTemplate(t, catalogue, { rating: HIGHEST, now });
    expect(records.map((r) => r.resourceId)).toEqual(["Role"]);
    expect(records[0]?.findings.find((f) => f.controlId === "IAM.ROLE-NO-ADMIN-INLINE")?.status).toBe("FAIL");
  });
});
