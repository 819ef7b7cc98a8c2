// The template path on IAM users, CloudTrail trails, REST and HTTP APIs with their stages, and ACM
// certificates: verdicts from the template's properties and AWS's defaults, companions folded in,
// values the template does not tell UNKNOWN, and findings at the property's line.

import { describe, expect, it } from "vitest";
import { parseTemplateText } from "../../cli/template-input.ts";
import { HIGHEST } from "../../engine/cia.ts";
import { evaluateTemplate } from "../../engine/template/index.ts";
import type { CfnTemplate } from "../../engine/template/types.ts";
import { repositoryCatalogue } from "../support/catalogue.ts";

const catalogue = repositoryCatalogue();
const now = new Date("2026-12-01T00:00:00Z");
const options = { rating: HIGHEST, now, account: "111122223333", region: "eu-west-1" };
const judge = (t: CfnTemplate, id: string, extra: Record<string, unknown> = {}) => {
  const record = evaluateTemplate(t, catalogue, { ...options, ...extra }).find((r) => r.resourceId === id)!;
  return Object.fromEntries(record.findings.map((f) => [f.controlId, f.status]));
};

// What `serverless package` writes for an HTTP API with `cors: true` and a REST API endpoint
// (`http` events), trimmed to the resources the catalogue judges.
const SERVERLESS = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  ApiGatewayRestApi:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Name: orders-dev
      EndpointConfiguration:
        Types:
          - EDGE
  HttpApi:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      Name: orders-dev
      ProtocolType: HTTP
      CorsConfiguration:
        AllowHeaders: [Content-Type, Authorization]
        AllowMethods: [OPTIONS, GET, POST]
        AllowOrigins:
          - "*"
  HttpApiStage:
    Type: AWS::ApiGatewayV2::Stage
    Properties:
      ApiId: !Ref HttpApi
      StageName: $default
      AutoDeploy: true
      DefaultRouteSettings:
        DetailedMetricsEnabled: false
`;

describe("APIs as serverless.com writes them", () => {
  const input = parseTemplateText(SERVERLESS, "serverless.yml")!;
  const records = evaluateTemplate(input.template, catalogue, {
    ...options,
    file: "serverless.yml",
    locate: input.locate,
  });
  const finding = (id: string, control: string) =>
    records.find((r) => r.resourceId === id)!.findings.find((f) => f.controlId === control)!;

  it("an edge-optimised REST API fails the endpoint type control, at its Types line", () => {
    expect(finding("ApiGatewayRestApi", "APIGW.REST-ENDPOINT-TYPE")).toMatchObject({
      status: "FAIL",
      location: { file: "serverless.yml", line: 7 },
    });
  });

  it("an HTTP API allowing every origin fails the CORS control, at its CorsConfiguration", () => {
    expect(finding("HttpApi", "APIGW.V2-CORS-NO-WILDCARD")).toMatchObject({
      status: "FAIL",
      location: { file: "serverless.yml" },
    });
    expect(finding("HttpApi", "APIGW.V2-CORS-NO-WILDCARD").location!.line).toBeGreaterThanOrEqual(15);
  });

  it("the HTTP API's stage: no access logs and no throttling (execution logging is WebSocket-only)", () => {
    expect(judge(input.template, "HttpApiStage")).toEqual({
      "APIGW.V2-ACCESS-LOGGING": "FAIL",
      "APIGW.V2-EXECUTION-LOGGING": "SKIP",
      "APIGW.V2-THROTTLING": "FAIL",
    });
  });

  it("no control of these types is left UNKNOWN for want of a mapper", () => {
    for (const record of records) {
      for (const f of record.findings) expect(f.message ?? "").not.toMatch(/does not map/);
    }
  });
});

describe("defaults AWS applies when the template is silent", () => {
  it("a REST API without EndpointConfiguration is edge-optimised; REGIONAL by the import parameter passes", () => {
    const api = (properties: Record<string, unknown>): CfnTemplate => ({
      Resources: { Api: { Type: "AWS::ApiGateway::RestApi", Properties: { Name: "a", ...properties } } },
    });
    expect(judge(api({}), "Api")["APIGW.REST-ENDPOINT-TYPE"]).toBe("FAIL");
    expect(
      judge(
        api({ Body: { openapi: "3.0.1" }, Parameters: { endpointConfigurationTypes: "REGIONAL" } }),
        "Api",
      )["APIGW.REST-ENDPOINT-TYPE"],
    ).toBe("PASS");
  });

  it("a trail: single region and no log file validation unless set; global service events on", () => {
    const t: CfnTemplate = {
      Resources: {
        Trail: { Type: "AWS::CloudTrail::Trail", Properties: { S3BucketName: "b", IsLogging: true } },
      },
    };
    expect(judge(t, "Trail")).toEqual({
      "CLOUDTRAIL.MULTI-REGION": "FAIL",
      "CLOUDTRAIL.ENCRYPTED": "FAIL",
      "CLOUDTRAIL.LOG-VALIDATION": "FAIL",
      "CLOUDTRAIL.CLOUDWATCH-LOGS": "FAIL",
    });
    const good: CfnTemplate = {
      Resources: {
        Key: { Type: "AWS::KMS::Key", Properties: { KeyPolicy: {} } },
        Logs: { Type: "AWS::Logs::LogGroup", Properties: { LogGroupName: "trail" } },
        Trail: {
          Type: "AWS::CloudTrail::Trail",
          Properties: {
            S3BucketName: "b",
            IsLogging: true,
            IsMultiRegionTrail: true,
            EnableLogFileValidation: "true",
            KMSKeyId: { "Fn::GetAtt": ["Key", "Arn"] },
            CloudWatchLogsLogGroupArn: { "Fn::GetAtt": ["Logs", "Arn"] },
            CloudWatchLogsRoleArn: "arn:aws:iam::111122223333:role/trail",
          },
        },
      },
    };
    expect(judge(good, "Trail")).toEqual({
      "CLOUDTRAIL.MULTI-REGION": "PASS",
      "CLOUDTRAIL.ENCRYPTED": "PASS",
      "CLOUDTRAIL.LOG-VALIDATION": "PASS",
      "CLOUDTRAIL.CLOUDWATCH-LOGS": "PASS",
    });
  });

  it("a certificate: RSA 2048 by default passes the key length control; an imported algorithm is UNKNOWN", () => {
    const cert = (properties: Record<string, unknown>): CfnTemplate => ({
      Parameters: { Algorithm: { Type: "String" } },
      Resources: {
        Cert: {
          Type: "AWS::CertificateManager::Certificate",
          Properties: { DomainName: "a.example.com", ...properties },
        },
      },
    });
    const records = evaluateTemplate(cert({}), catalogue, options);
    expect(records.map((r) => [r.resourceType, r.compliance])).toEqual([
      ["AWS::CertificateManager::Certificate", "COMPLIANT"],
    ]);
    // ACM.NOT-EXPIRING passes: a certificate not issued yet has no notAfter to judge.
    expect(judge(cert({}), "Cert")).toEqual({ "ACM.KEY-LENGTH": "PASS", "ACM.NOT-EXPIRING": "PASS" });
    expect(judge(cert({ KeyAlgorithm: { Ref: "Algorithm" } }), "Cert")).toEqual({
      "ACM.KEY-LENGTH": "UNKNOWN",
      "ACM.NOT-EXPIRING": "PASS",
    });
    expect(
      judge(cert({ KeyAlgorithm: { Ref: "Algorithm" } }), "Cert", { parameters: { Algorithm: "RSA_1024" } }),
    ).toEqual({
      "ACM.KEY-LENGTH": "FAIL",
      "ACM.NOT-EXPIRING": "PASS",
    });
  });

  it("an HTTP API defined in S3 (BodyS3Location) may configure CORS there: UNKNOWN, not a pass", () => {
    const t: CfnTemplate = {
      Resources: {
        Api: {
          Type: "AWS::ApiGatewayV2::Api",
          Properties: { BodyS3Location: { Bucket: "defs", Key: "api.yaml" } },
        },
      },
    };
    const [record] = evaluateTemplate(t, catalogue, options);
    const cors = record!.findings.find((f) => f.controlId === "APIGW.V2-CORS-NO-WILDCARD")!;
    expect(cors.status).toBe("UNKNOWN");
    expect(cors.message).toMatch(/OpenAPI definition in S3/);
    // CORS written in an inline OpenAPI body is read from its x-amazon-apigateway-cors extension.
    const inline: CfnTemplate = {
      Resources: {
        Api: {
          Type: "AWS::ApiGatewayV2::Api",
          Properties: { Body: { openapi: "3.0.1", "x-amazon-apigateway-cors": { allowOrigins: ["*"] } } },
        },
      },
    };
    expect(judge(inline, "Api")).toEqual({ "APIGW.V2-CORS-NO-WILDCARD": "FAIL" });
  });
});

describe("IAM users with their companions", () => {
  const doc = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }],
  };
  const user = (
    extra: CfnTemplate["Resources"] = {},
    properties: Record<string, unknown> = {},
  ): CfnTemplate => ({
    Resources: {
      User: { Type: "AWS::IAM::User", Properties: { UserName: "alice", Groups: ["readers"], ...properties } },
      ...extra,
    },
  });

  it("a user in a group with no policy of its own passes", () => {
    expect(judge(user(), "User")).toEqual({ "IAM.USER-NO-POLICIES": "PASS" });
  });

  it.each([
    ["its own Policies", user({}, { Policies: [{ PolicyName: "p", PolicyDocument: doc }] })],
    [
      "an AWS::IAM::Policy naming it",
      user({
        P: {
          Type: "AWS::IAM::Policy",
          Properties: { PolicyName: "p", Users: [{ Ref: "User" }], PolicyDocument: doc },
        },
      }),
    ],
    [
      "an AWS::IAM::ManagedPolicy attached to it",
      user({
        M: { Type: "AWS::IAM::ManagedPolicy", Properties: { Users: [{ Ref: "User" }], PolicyDocument: doc } },
      }),
    ],
  ])("a policy through %s fails", (_how, t) => {
    expect(judge(t, "User")).toEqual({ "IAM.USER-NO-POLICIES": "FAIL" });
  });

  it("a policy attached to another user does not count", () => {
    const t = user({
      Bob: { Type: "AWS::IAM::User", Properties: { UserName: "bob" } },
      P: { Type: "AWS::IAM::Policy", Properties: { PolicyName: "p", Users: ["bob"], PolicyDocument: doc } },
    });
    expect(judge(t, "User")).toEqual({ "IAM.USER-NO-POLICIES": "PASS" });
    expect(judge(t, "Bob")).toEqual({ "IAM.USER-NO-POLICIES": "FAIL" });
  });
});
