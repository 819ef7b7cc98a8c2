// Proactive and detective agree for the mappers of IAM users, CloudTrail trails, REST APIs, HTTP
// APIs and their stages, and ACM certificates. Same oracle as agreement.test.ts: a real
// configuration item AWS Config recorded (policies/fixtures) beside a template describing the same
// resource, and changes written twice (the template property a team would edit, and what AWS
// Config would record on the item, from the AWS API references); the template path's verdict
// must equal the detective path's, control by control, alone and in any combination (fast-check,
// fixed seed, bounded runs).

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bothPaths, type Case, conf, fixture, type Obj, props } from "./support/both-paths.ts";

const iamUser: Case = {
  type: "AWS::IAM::User",
  account: "112233445566",
  region: "us-east-1",
  // The real item: an inline codedeploy:* policy, AdministratorAccess and two customer managed policies attached.
  item: fixture("AWS_IAM_User/rdk-sample-ci.json"),
  template: {
    Resources: {
      User: {
        Type: "AWS::IAM::User",
        Properties: {
          UserName: "johndoe",
          Groups: ["MyTestGroup"],
          ManagedPolicyArns: [
            "arn:aws:iam::264683526309:policy/ELB-policy",
            "arn:aws:iam::aws:policy/AdministratorAccess",
          ],
        },
      },
      Inline: {
        Type: "AWS::IAM::Policy",
        Properties: {
          PolicyName: "policygen-johndoe-201611060951",
          Users: [{ Ref: "User" }],
          PolicyDocument: {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: ["codedeploy:*"], Resource: ["*"] }],
          },
        },
      },
    },
  },
  changes: [
    {
      name: "no inline policy",
      template: (t) => {
        delete t.Resources.Inline;
      },
      item: (i) => {
        conf(i).userPolicyList = [];
      },
      moves: false,
    },
    {
      name: "no managed policy attached",
      template: (t) => {
        delete props(t, "User").ManagedPolicyArns;
      },
      item: (i) => {
        conf(i).attachedManagedPolicies = [];
      },
      moves: false,
    },
  ],
};

const trail: Case = {
  type: "AWS::CloudTrail::Trail",
  account: "123456789012",
  region: "ap-southeast-1",
  // The real item: multi-region with global service events, log file validation on, no KMS key, no CloudWatch Logs.
  item: fixture("AWS_CloudTrail_Trail/rdk-sample-ci.json"),
  template: {
    Resources: {
      Trail: {
        Type: "AWS::CloudTrail::Trail",
        Properties: {
          TrailName: "APJCCloudTrail",
          S3BucketName: "mborch-apjc-cloudtrail-bucket",
          S3KeyPrefix: "CloudTrail",
          IsLogging: true,
          IsMultiRegionTrail: true,
          EnableLogFileValidation: true,
          EventSelectors: [{ ReadWriteType: "All", IncludeManagementEvents: true }],
        },
      },
    },
  },
  changes: [
    {
      name: "single region",
      template: (t) => {
        delete props(t, "Trail").IsMultiRegionTrail;
      },
      item: (i) => {
        conf(i).isMultiRegionTrail = false;
      },
    },
    {
      name: "no global service events",
      template: (t) => {
        props(t, "Trail").IncludeGlobalServiceEvents = false;
      },
      item: (i) => {
        conf(i).includeGlobalServiceEvents = false;
      },
    },
    {
      name: "log file validation off",
      template: (t) => {
        delete props(t, "Trail").EnableLogFileValidation;
      },
      item: (i) => {
        conf(i).logFileValidationEnabled = false;
      },
    },
    {
      name: "encrypted with a KMS key",
      template: (t) => {
        props(t, "Trail").KMSKeyId =
          "arn:aws:kms:ap-southeast-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
      },
      item: (i) => {
        conf(i).kmsKeyId = "arn:aws:kms:ap-southeast-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
      },
    },
    {
      name: "delivered to CloudWatch Logs",
      template: (t) => {
        Object.assign(props(t, "Trail"), {
          CloudWatchLogsLogGroupArn: "arn:aws:logs:ap-southeast-1:123456789012:log-group:trail:*",
          CloudWatchLogsRoleArn: "arn:aws:iam::123456789012:role/trail-to-logs",
        });
      },
      item: (i) => {
        Object.assign(conf(i), {
          cloudWatchLogsLogGroupArn: "arn:aws:logs:ap-southeast-1:123456789012:log-group:trail:*",
          cloudWatchLogsRoleArn: "arn:aws:iam::123456789012:role/trail-to-logs",
        });
      },
    },
  ],
};

const restApi: Case = {
  type: "AWS::ApiGateway::RestApi",
  account: "123456789012",
  region: "us-east-2",
  // The real item: a regional REST API.
  item: fixture("AWS_ApiGateway_RestApi/rdk-sample-ci.json"),
  template: {
    Resources: {
      Api: {
        Type: "AWS::ApiGateway::RestApi",
        Properties: { Name: "test", EndpointConfiguration: { Types: ["REGIONAL"] } },
      },
    },
  },
  changes: [
    {
      name: "edge-optimised by default",
      template: (t) => {
        delete props(t, "Api").EndpointConfiguration;
      },
      item: (i) => {
        conf(i).endpointConfiguration = { types: ["EDGE"] };
      },
    },
  ],
};

const httpApi: Case = {
  type: "AWS::ApiGatewayV2::Api",
  account: "123456789012",
  region: "us-east-2",
  // The real item: an HTTP API without CORS (the CORS control does not apply).
  item: fixture("AWS_ApiGatewayV2_Api/rdk-sample-ci.json"),
  template: {
    Resources: {
      Api: { Type: "AWS::ApiGatewayV2::Api", Properties: { Name: "test", ProtocolType: "HTTP" } },
    },
  },
  changes: [
    {
      name: "CORS allows every origin",
      template: (t) => {
        props(t, "Api").CorsConfiguration = { AllowOrigins: ["*"], AllowMethods: ["GET"] };
      },
      item: (i) => {
        conf(i).corsConfiguration = { allowOrigins: ["*"], allowMethods: ["GET"] };
      },
    },
    {
      name: "CORS for the application's origin",
      template: (t) => {
        props(t, "Api").CorsConfiguration = { AllowOrigins: ["https://app.example.com"] };
      },
      item: (i) => {
        conf(i).corsConfiguration = { allowOrigins: ["https://app.example.com"] };
      },
    },
  ],
};

const httpStage: Case = {
  type: "AWS::ApiGatewayV2::Stage",
  account: "123456789012",
  region: "us-east-2",
  // The real item: the $default stage, auto-deployed, no access logs, no throttling of its own.
  item: fixture("AWS_ApiGatewayV2_Stage/rdk-sample-ci.json"),
  template: {
    Resources: {
      Stage: {
        Type: "AWS::ApiGatewayV2::Stage",
        Properties: { ApiId: "test", StageName: "$default", AutoDeploy: true },
      },
    },
  },
  changes: [
    {
      name: "access logs",
      template: (t) => {
        props(t, "Stage").AccessLogSettings = {
          DestinationArn: "arn:aws:logs:us-east-2:123456789012:log-group:api-access",
          Format: "$context.requestId",
        };
      },
      item: (i) => {
        conf(i).accessLogSettings = {
          destinationArn: "arn:aws:logs:us-east-2:123456789012:log-group:api-access",
          format: "$context.requestId",
        };
      },
    },
    {
      name: "throttling",
      template: (t) => {
        props(t, "Stage").DefaultRouteSettings = {
          ...(props(t, "Stage").DefaultRouteSettings as Obj | undefined),
          ThrottlingBurstLimit: "200",
          ThrottlingRateLimit: 100,
        };
      },
      item: (i) => {
        Object.assign(conf(i).defaultRouteSettings as Obj, {
          throttlingBurstLimit: 200,
          throttlingRateLimit: 100,
        });
      },
    },
  ],
};

// A WebSocket stage (execution logging applies: its route settings carry a logging level).
const webSocketStage: Case = {
  ...httpStage,
  item: (() => {
    const item = structuredClone(httpStage.item);
    Object.assign(conf(item), { stageName: "production" });
    Object.assign(conf(item).defaultRouteSettings as Obj, { dataTraceEnabled: false, loggingLevel: "OFF" });
    return item;
  })(),
  template: {
    Resources: {
      Stage: {
        Type: "AWS::ApiGatewayV2::Stage",
        Properties: {
          ApiId: "test",
          StageName: "production",
          AutoDeploy: true,
          DefaultRouteSettings: { DataTraceEnabled: false, LoggingLevel: "OFF" },
        },
      },
    },
  },
  changes: [
    ...httpStage.changes,
    {
      name: "execution logging for every route",
      template: (t) => {
        (props(t, "Stage").DefaultRouteSettings as Obj).LoggingLevel = "ERROR";
      },
      item: (i) => {
        (conf(i).defaultRouteSettings as Obj).loggingLevel = "ERROR";
      },
    },
  ],
};

const certificate: Case = {
  type: "AWS::CertificateManager::Certificate",
  account: "1236456789012",
  region: "us-east-2",
  // The real item: RSA-2048, DNS validation.
  item: fixture("AWS_ACM_Certificate/rdk-sample-ci.json"),
  template: {
    Resources: {
      Cert: {
        Type: "AWS::CertificateManager::Certificate",
        Properties: { DomainName: "www.example.com", ValidationMethod: "DNS" },
      },
    },
  },
  changes: [
    {
      name: "an elliptic curve key",
      template: (t) => {
        props(t, "Cert").KeyAlgorithm = "EC_prime256v1";
      },
      item: (i) => {
        conf(i).keyAlgorithm = "EC-prime256v1";
      },
      moves: false,
    },
    {
      // RequestCertificate refuses RSA_1024 (imports only): the mapping still writes what DescribeCertificate would.
      name: "a 1,024-bit RSA key",
      template: (t) => {
        props(t, "Cert").KeyAlgorithm = "RSA_1024";
      },
      item: (i) => {
        conf(i).keyAlgorithm = "RSA-1024";
      },
    },
  ],
};

const CASES = [iamUser, trail, restApi, httpApi, httpStage, webSocketStage, certificate];

describe("the new mappers agree with the detective path on real items", () => {
  it.each(CASES.map((c) => [c.type, c] as const))("%s as recorded", (_type, c) => {
    const { template, detective, compliance } = bothPaths(c, []);
    // Every control of the type is judged, none left UNKNOWN for want of a mapper.
    expect(Object.keys(template).length).toBeGreaterThan(0);
    expect(Object.values(template)).not.toContain("UNKNOWN");
    expect(template).toEqual(detective);
    expect(compliance[0]).toBe(compliance[1]);
  });

  it.each(CASES.flatMap((c) => c.changes.map((change) => [`${c.type}: ${change.name}`, c, change] as const)))(
    "%s",
    (_name, c, change) => {
      const before = bothPaths(c, []);
      const after = bothPaths(c, [change]);
      expect(after.template).toEqual(after.detective);
      if (change.moves !== false) expect(after.detective).not.toEqual(before.detective);
    },
  );

  it("IAM user: both changes together pass the control on both paths", () => {
    const { template, detective } = bothPaths(iamUser, iamUser.changes);
    expect(template["IAM.USER-NO-POLICIES"]).toBe("PASS");
    expect(detective["IAM.USER-NO-POLICIES"]).toBe("PASS");
  });

  it.each(CASES.map((c) => [c.type, c] as const))(
    "%s: any combination of changes (property test)",
    (_type, c) => {
      fc.assert(
        fc.property(fc.subarray(c.changes), (chosen) => {
          const { template, detective, compliance } = bothPaths(c, chosen);
          expect(template).toEqual(detective);
          expect(compliance[0]).toBe(compliance[1]);
        }),
        { seed: 20261202, numRuns: 20 },
      );
    },
  );
});
