// Proactive and detective agree. Independent oracle: real configuration items AWS Config recorded
// (policies/fixtures, copied from public AWS Config data), each beside a template describing the
// same resource, and a table of changes written twice: as the template property a team would edit,
// and as the change AWS Config would record on the item (from the AWS API references). The template
// path's verdict on the edited template must equal the detective path's verdict on the edited real
// item, control by control; fast-check (fixed seed, bounded runs) draws the combinations.

import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readTemplateFile } from "../../cli/template-input.ts";
import { readScpSettings } from "../../deploy/scp-settings.ts";
import { synthesise } from "../../deploy/synth.ts";
import { HIGHEST } from "../../engine/cia.ts";
import { evaluate } from "../../engine/evaluate.ts";
import { normalise } from "../../engine/normalise.ts";
import {
  evaluateTemplate,
  mappedTypes,
  resourceItem,
  TemplateResolver,
} from "../../engine/template/index.ts";
import type { CfnTemplate } from "../../engine/template/types.ts";
import { SAMPLE_OPTIONS } from "../deploy/sample-parameters.ts";
import { ROOT } from "../support/cli.ts";
import {
  bothPaths,
  type Case,
  catalogue,
  conf,
  fixture,
  now,
  type Obj,
  props,
  type Statuses,
  statuses,
  supp,
} from "./support/both-paths.ts";

const KEY = (region: string, account: string) =>
  `arn:aws:kms:${region}:${account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

const dynamodb: Case = {
  type: "AWS::DynamoDB::Table",
  account: "123456789012",
  region: "us-east-2",
  // The real item: on-demand, PITR off, recorded before deletion protection existed, AWS owned key.
  item: fixture("AWS_DynamoDB_Table/rdk-sample-ci.json"),
  template: {
    Resources: {
      Table: {
        Type: "AWS::DynamoDB::Table",
        Properties: {
          TableName: "test",
          BillingMode: "PAY_PER_REQUEST",
          AttributeDefinitions: [{ AttributeName: "primary", AttributeType: "S" }],
          KeySchema: [{ AttributeName: "LockID", KeyType: "HASH" }],
        },
      },
    },
  },
  changes: [
    {
      name: "PITR on",
      template: (t) => {
        props(t, "Table").PointInTimeRecoverySpecification = { PointInTimeRecoveryEnabled: true };
      },
      item: (i) => {
        (supp(i).ContinuousBackupsDescription as Obj).pointInTimeRecoveryDescription = {
          pointInTimeRecoveryStatus: "ENABLED",
        };
      },
    },
    {
      name: "provisioned capacity",
      template: (t) => {
        Object.assign(props(t, "Table"), {
          BillingMode: "PROVISIONED",
          ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
        });
      },
      item: (i) => {
        conf(i).billingModeSummary = { billingMode: "PROVISIONED" };
      },
    },
    {
      name: "deletion protection",
      template: (t) => {
        props(t, "Table").DeletionProtectionEnabled = true;
      },
      item: (i) => {
        conf(i).deletionProtectionEnabled = true;
      },
    },
    {
      name: "customer managed key",
      template: (t) => {
        props(t, "Table").SSESpecification = {
          SSEEnabled: true,
          SSEType: "KMS",
          KMSMasterKeyId: KEY("us-east-2", "123456789012"),
        };
      },
      item: (i) => {
        conf(i).ssedescription = {
          status: "ENABLED",
          ssetype: "KMS",
          kmsmasterKeyArn: KEY("us-east-2", "123456789012"),
        };
      },
    },
  ],
};

const tlsOnlyQueuePolicy = (queueArn: unknown) => ({
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Deny",
      Principal: "*",
      Action: "sqs:*",
      Resource: queueArn,
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
  ],
});

const sqs: Case = {
  type: "AWS::SQS::Queue",
  account: "644160558196",
  region: "us-east-1",
  // The real item: encrypted with the AWS managed key alias/aws/sqs, no queue policy.
  item: { resourceType: "AWS::SQS::Queue", ...fixture("AWS_SQS_Queue/c7n-select-kms-key-related-0.json") },
  template: {
    Resources: {
      Queue: {
        Type: "AWS::SQS::Queue",
        Properties: { QueueName: "test-kms-alias", KmsMasterKeyId: "alias/aws/sqs" },
      },
    },
  },
  changes: [
    {
      name: "customer managed key",
      template: (t) => {
        props(t, "Queue").KmsMasterKeyId = KEY("us-east-1", "644160558196");
      },
      item: (i) => {
        conf(i).KmsMasterKeyId = KEY("us-east-1", "644160558196");
      },
    },
    {
      name: "no key and SSE-SQS turned off",
      template: (t) => {
        delete props(t, "Queue").KmsMasterKeyId;
        props(t, "Queue").SqsManagedSseEnabled = false;
      },
      item: (i) => {
        delete conf(i).KmsMasterKeyId;
        delete conf(i).KmsDataKeyReusePeriodSeconds;
        conf(i).SqsManagedSseEnabled = "false";
      },
    },
    {
      name: "TLS-only queue policy",
      template: (t) => {
        t.Resources.QueuePolicy = {
          Type: "AWS::SQS::QueuePolicy",
          Properties: {
            Queues: [{ Ref: "Queue" }],
            PolicyDocument: tlsOnlyQueuePolicy({ "Fn::GetAtt": ["Queue", "Arn"] }),
          },
        };
      },
      item: (i) => {
        conf(i).Policy = JSON.stringify(
          tlsOnlyQueuePolicy("arn:aws:sqs:us-east-1:644160558196:test-kms-alias"),
        );
      },
    },
    {
      name: "redrive policy to a dead-letter queue",
      template: (t) => {
        props(t, "Queue").RedrivePolicy = {
          deadLetterTargetArn: "arn:aws:sqs:us-east-1:644160558196:test-kms-alias-dlq",
          maxReceiveCount: 5,
        };
      },
      item: (i) => {
        conf(i).RedrivePolicy =
          '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:644160558196:test-kms-alias-dlq","maxReceiveCount":5}';
      },
    },
    {
      name: "itself a dead-letter queue for named sources",
      template: (t) => {
        props(t, "Queue").RedriveAllowPolicy = JSON.stringify({
          redrivePermission: "byQueue",
          sourceQueueArns: ["arn:aws:sqs:us-east-1:644160558196:orders"],
        });
      },
      item: (i) => {
        conf(i).RedriveAllowPolicy =
          '{"redrivePermission":"byQueue","sourceQueueArns":["arn:aws:sqs:us-east-1:644160558196:orders"]}';
      },
    },
  ],
};

const FUNCTION_ARN = "arn:aws:lambda:us-east-2:644160558196:function:omnissm-handle-registrations";
const lambda: Case = {
  type: "AWS::Lambda::Function",
  account: "644160558196",
  region: "us-east-2",
  // The real item: go1.x (retired), tracing on, outside a VPC, API Gateway may invoke it (by source ARN).
  item: {
    resourceType: "AWS::Lambda::Function",
    ...fixture("AWS_Lambda_Function/c7n-select-aws-lambda-config-source.json"),
  },
  template: {
    Resources: {
      Fn: {
        Type: "AWS::Lambda::Function",
        Properties: {
          FunctionName: "omnissm-handle-registrations",
          Runtime: "go1.x",
          Handler: "main",
          Role: "arn:aws:iam::644160558196:role/SSM-Register-API",
          Timeout: 60,
          TracingConfig: { Mode: "Active" },
          Code: { S3Bucket: "code", S3Key: "omnissm.zip" },
        },
      },
      ApiPermission: {
        Type: "AWS::Lambda::Permission",
        Properties: {
          FunctionName: { Ref: "Fn" },
          Action: "lambda:invokeFunction",
          Principal: "apigateway.amazonaws.com",
          SourceArn: "arn:aws:execute-api:us-east-2:644160558196:ia2ajo0b3m/*/PATCH/register",
        },
      },
    },
  },
  changes: [
    {
      name: "supported runtime",
      template: (t) => {
        props(t, "Fn").Runtime = "nodejs22.x";
      },
      item: (i) => {
        conf(i).runtime = "nodejs22.x";
      },
    },
    {
      name: "attached to a VPC",
      template: (t) => {
        props(t, "Fn").VpcConfig = { SubnetIds: ["subnet-0a1b2c3d"], SecurityGroupIds: ["sg-0a1b2c3d"] };
      },
      item: (i) => {
        conf(i).vpcConfig = {
          subnetIds: ["subnet-0a1b2c3d"],
          securityGroupIds: ["sg-0a1b2c3d"],
          vpcId: "vpc-0a1b2c3d",
        };
      },
    },
    {
      name: "customer managed key for its environment",
      template: (t) => {
        props(t, "Fn").KmsKeyArn = KEY("us-east-2", "644160558196");
      },
      item: (i) => {
        conf(i).kmskeyArn = KEY("us-east-2", "644160558196");
      },
    },
    {
      name: "tracing off",
      template: (t) => {
        delete props(t, "Fn").TracingConfig;
      },
      item: (i) => {
        conf(i).tracingConfig = { mode: "PassThrough" };
      },
    },
    {
      name: "anyone may invoke it",
      template: (t) => {
        const p = props(t, "ApiPermission");
        p.Principal = "*";
        delete p.SourceArn;
      },
      item: (i) => {
        supp(i).Policy = JSON.stringify({
          Version: "2012-10-17",
          Id: "default",
          Statement: [
            {
              Sid: "ApiPermission",
              Effect: "Allow",
              Principal: "*",
              Action: "lambda:invokeFunction",
              Resource: FUNCTION_ARN,
            },
          ],
        });
      },
    },
  ],
};

// The same function invoked asynchronously by an EventBridge rule (LAMBDA.ASYNC-DLQ applies), or
// reachable through a function URL (LAMBDA.URL-IAM-AUTH).
const RULE_ARN = "arn:aws:events:us-east-2:644160558196:rule/omnissm-registrations";
const asyncLambda: Case = {
  ...lambda,
  item: (() => {
    const item = structuredClone(lambda.item);
    supp(item).Policy = JSON.stringify({
      Version: "2012-10-17",
      Id: "default",
      Statement: [
        {
          Sid: "RulePermission",
          Effect: "Allow",
          Principal: { Service: "events.amazonaws.com" },
          Action: "lambda:InvokeFunction",
          Resource: FUNCTION_ARN,
          Condition: { ArnLike: { "AWS:SourceArn": RULE_ARN } },
        },
      ],
    });
    return item;
  })(),
  template: {
    Resources: {
      Fn: lambda.template.Resources.Fn!,
      RulePermission: {
        Type: "AWS::Lambda::Permission",
        Properties: {
          FunctionName: { Ref: "Fn" },
          Action: "lambda:InvokeFunction",
          Principal: "events.amazonaws.com",
          SourceArn: RULE_ARN,
        },
      },
    },
  },
  changes: [
    {
      name: "a dead-letter queue for failed asynchronous events",
      template: (t) => {
        props(t, "Fn").DeadLetterConfig = { TargetArn: "arn:aws:sqs:us-east-2:644160558196:omnissm-dlq" };
      },
      item: (i) => {
        conf(i).deadLetterConfig = { targetArn: "arn:aws:sqs:us-east-2:644160558196:omnissm-dlq" };
      },
    },
    {
      name: "a public function URL (auth type NONE)",
      template: (t) => {
        t.Resources.UrlPermission = {
          Type: "AWS::Lambda::Permission",
          Properties: {
            FunctionName: { Ref: "Fn" },
            Action: "lambda:InvokeFunctionUrl",
            Principal: "*",
            FunctionUrlAuthType: "NONE",
          },
        };
      },
      item: (i) => {
        const policy = JSON.parse(String(supp(i).Policy)) as { Statement: unknown[] };
        policy.Statement.push({
          Sid: "UrlPermission",
          Effect: "Allow",
          Principal: "*",
          Action: "lambda:InvokeFunctionUrl",
          Resource: FUNCTION_ARN,
          Condition: { StringEquals: { "lambda:FunctionUrlAuthType": "NONE" } },
        });
        supp(i).Policy = JSON.stringify(policy);
      },
    },
  ],
};

// The real bucket was recorded in 2019; a bucket created today also gets the defaults AWS applies
// since 2023 (Block Public Access on, SSE-S3), which Config records in supplementaryConfiguration.
const bucketItem = fixture("AWS_S3_Bucket/rdk-sample-ci.json");
Object.assign(supp(bucketItem), {
  PublicAccessBlockConfiguration: {
    blockPublicAcls: true,
    ignorePublicAcls: true,
    blockPublicPolicy: true,
    restrictPublicBuckets: true,
  },
  ServerSideEncryptionConfiguration: {
    rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: false }],
  },
});
const s3: Case = {
  type: "AWS::S3::Bucket",
  account: "934654633380",
  region: "us-east-1",
  item: bucketItem,
  template: {
    Resources: {
      Bucket: {
        Type: "AWS::S3::Bucket",
        Properties: {
          BucketName: "mborch-test-bucket-config-item",
          VersioningConfiguration: { Status: "Enabled" },
        },
      },
      BucketPolicy: {
        Type: "AWS::S3::BucketPolicy",
        Properties: {
          Bucket: { Ref: "Bucket" },
          PolicyDocument: {
            Version: "2012-10-17",
            Id: "Policy1478390053757",
            Statement: [
              {
                Sid: "Stmt1478389920384",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: "arn:aws:s3:::mborch-test-bucket-config-item",
                Condition: { Bool: { "aws:SecureTransport": "false" } },
              },
            ],
          },
        },
      },
    },
  },
  changes: [
    {
      name: "public access block turned off",
      template: (t) => {
        props(t, "Bucket").PublicAccessBlockConfiguration = {
          BlockPublicAcls: false,
          IgnorePublicAcls: false,
          BlockPublicPolicy: false,
          RestrictPublicBuckets: false,
        };
      },
      item: (i) => {
        supp(i).PublicAccessBlockConfiguration = {
          blockPublicAcls: false,
          ignorePublicAcls: false,
          blockPublicPolicy: false,
          restrictPublicBuckets: false,
        };
      },
    },
    {
      name: "SSE-KMS with a customer managed key",
      template: (t) => {
        props(t, "Bucket").BucketEncryption = {
          ServerSideEncryptionConfiguration: [
            {
              ServerSideEncryptionByDefault: {
                SSEAlgorithm: "aws:kms",
                KMSMasterKeyID: KEY("us-east-1", "934654633380"),
              },
            },
          ],
        };
      },
      item: (i) => {
        supp(i).ServerSideEncryptionConfiguration = {
          rules: [
            {
              applyServerSideEncryptionByDefault: {
                sseAlgorithm: "aws:kms",
                kmsMasterKeyID: KEY("us-east-1", "934654633380"),
              },
              bucketKeyEnabled: false,
            },
          ],
        };
      },
    },
    {
      name: "versioning suspended",
      template: (t) => {
        props(t, "Bucket").VersioningConfiguration = { Status: "Suspended" };
      },
      item: (i) => {
        supp(i).BucketVersioningConfiguration = { status: "Suspended", isMfaDeleteEnabled: null };
      },
    },
    {
      name: "access logging",
      template: (t) => {
        props(t, "Bucket").LoggingConfiguration = {
          DestinationBucketName: "access-logs",
          LogFilePrefix: "b/",
        };
      },
      item: (i) => {
        supp(i).BucketLoggingConfiguration = { destinationBucketName: "access-logs", logFilePrefix: "b/" };
      },
    },
    {
      name: "no bucket policy",
      template: (t) => {
        delete t.Resources.BucketPolicy;
      },
      item: (i) => {
        delete supp(i).BucketPolicy;
      },
    },
  ],
};

const CASES = [dynamodb, sqs, lambda, asyncLambda, s3];

describe("the template path agrees with the detective path on real items", () => {
  it.each(CASES.map((c) => [c.type, c] as const))("%s as recorded", (_type, c) => {
    const { template, detective, compliance } = bothPaths(c, []);
    expect(template).toEqual(detective);
    expect(compliance[0]).toBe(compliance[1]);
  });

  it.each(CASES.flatMap((c) => c.changes.map((change) => [`${c.type}: ${change.name}`, c, change] as const)))(
    "%s",
    (_name, c, change) => {
      const before = bothPaths(c, []);
      const after = bothPaths(c, [change]);
      expect(after.template).toEqual(after.detective);
      // Each change moves some control: the table is not vacuous.
      expect(after.detective).not.toEqual(before.detective);
    },
  );

  it.each(CASES.map((c) => [c.type, c] as const))(
    "%s: any combination of changes (property test)",
    (_type, c) => {
      fc.assert(
        fc.property(fc.subarray(c.changes), (chosen) => {
          const { template, detective, compliance } = bothPaths(c, chosen);
          expect(template).toEqual(detective);
          expect(compliance[0]).toBe(compliance[1]);
        }),
        { seed: 20261202, numRuns: 40 },
      );
    },
  );
});

describe("the project's own templates and the examples: template path = detective path on the item AWS would record", () => {
  const { templates } = synthesise(catalogue, readScpSettings());
  const examples = [
    "examples/templates/orders-service.yml",
    "examples/templates/orders-service-compliant.yml",
    "examples/templates/.serverless/cloudformation-template-update-stack.json",
    "examples/templates/cdk.out/OrdersStack.template.json",
  ].map((file) => [file, readTemplateFile(join(ROOT, file))!.template] as const);
  const sources = [
    ...Object.entries(templates).map(
      ([name, t]) => [`cloudformation/${name}.json`, t as unknown as CfnTemplate, SAMPLE_OPTIONS] as const,
    ),
    ...examples.map(
      ([file, t]) =>
        [file, t, { account: "111122223333", region: "eu-west-1", stackName: "orders" }] as const,
    ),
  ];

  const mapped = mappedTypes();
  // The management template creates only a StackSet and SCPs: no type the catalogue has controls for.
  const judged = sources.filter(([, t]) => Object.values(t.Resources).some((r) => mapped.has(r.Type)));

  it("covers the central and member templates and every example", () => {
    expect(judged.map(([name]) => name)).toEqual(
      expect.arrayContaining([
        "cloudformation/central.json",
        "cloudformation/member.json",
        ...examples.map(([f]) => f),
      ]),
    );
  });

  it.each(judged)("%s", (_name, template, options) => {
    const records = evaluateTemplate(template, catalogue, { rating: HIGHEST, now, ...options });
    const resolver = new TemplateResolver(template, options);
    let compared = 0;
    for (const record of records) {
      const raw = resourceItem(resolver, record.resourceId, true).raw;
      if (!raw) continue;
      const detective = evaluate(normalise(raw), catalogue, { rating: HIGHEST, now });
      const known = record.findings.filter((f) => f.status !== "UNKNOWN").map((f) => f.controlId);
      const pick = (s: Statuses) => Object.fromEntries(known.map((id) => [id, s[id]]));
      expect(pick(statuses(record.findings)), record.resourceId).toEqual(pick(statuses(detective.findings)));
      if (known.length === record.findings.length) expect(record.compliance).toBe(detective.compliance);
      compared++;
    }
    expect(compared).toBeGreaterThan(0);
  });
});
