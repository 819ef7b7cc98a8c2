// The built hook (dist/handlers/hook.mjs), invoked in a Lambda-like worker with requests shaped as
// AWS documents them for Lambda hooks on resource operations (CloudFormation Hooks User Guide,
// "Create Lambda functions to evaluate resources for Lambda Hooks").

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleFiles } from "../../../build/package.mjs";
import { lazyParts } from "../../../build/single-file.mjs";
import { mappedTypes } from "../../../engine/template/index.ts";
import { COMPANION_TYPES, CONFIG_TYPES } from "../../../engine/template/mappers/index.ts";
import { ensureBundle, ROOT } from "../config-rule/support/bundle.ts";
import { sourceCatalogue } from "../config-rule/support/expected.ts";
import { handlerEnv, Lambda } from "../config-rule/support/lambda.ts";
import {
  partsCompiled,
  recordingWrapper,
  sourcesOf,
  validatorServices,
} from "../config-rule/support/parts.ts";

const HOOK = join(ROOT, "dist/handlers/hook.mjs");

interface Response {
  hookStatus: string;
  errorCode?: string;
  message: string;
  clientRequestToken?: string;
  annotations?: {
    annotationName: string;
    status: string;
    severityLevel: string;
    remediationMessage?: string;
  }[];
}

/** A resource-operation request as AWS documents it. */
function request(
  point: "CREATE_PRE_PROVISION" | "UPDATE_PRE_PROVISION" | "DELETE_PRE_PROVISION",
  type: string,
  logicalId: string,
  properties: Record<string, unknown>,
  previous: Record<string, unknown> | null = null,
) {
  return {
    clientRequestToken: `token-${point}-${logicalId}`,
    awsAccountId: "111122223333",
    stackId:
      "arn:aws:cloudformation:eu-west-1:111122223333:stack/orders/1a2345b6-0000-00a0-a123-00abc0abc000",
    changeSetId: null,
    hookTypeName: "Bank::Compliance::Hook",
    hookTypeVersion: "00000001",
    hookModel: { LambdaFunction: "arn:aws:lambda:eu-west-1:111122223333:function:compliance-hook" },
    actionInvocationPoint: point,
    requestData: {
      targetName: type,
      targetType: type,
      targetLogicalId: logicalId,
      targetModel: { resourceProperties: properties, previousResourceProperties: previous },
    },
    requestContext: { invocation: 1, callbackContext: null },
  };
}

// As CloudFormation passes them: intrinsic functions resolved, booleans as strings.
const tableWithoutPitr = {
  TableName: "orders",
  BillingMode: "PAY_PER_REQUEST",
  AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
  KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
  DeletionProtectionEnabled: "true",
  PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: "false" },
};

let strict: Lambda;
let relaxed: Lambda;
const invoke = async (lambda: Lambda, event: unknown) =>
  (await lambda.invoke(event as never)) as unknown as Response;

beforeAll(async () => {
  ensureBundle();
  strict = await Lambda.start(handlerEnv("http://127.0.0.1:9", { CIA_RATING: "C3I3A3" }), HOOK);
  relaxed = await Lambda.start(handlerEnv("http://127.0.0.1:9", { CIA_RATING: "C1I1A1" }), HOOK);
}, 180_000);
afterAll(async () => {
  await strict?.stop();
  await relaxed?.stop();
});

describe("dist/handlers/hook.mjs", () => {
  it("CREATE: a table without point-in-time recovery at C3I3A3 is FAILED, NonCompliant, naming the control and its fix", async () => {
    const response = await invoke(
      strict,
      request("CREATE_PRE_PROVISION", "AWS::DynamoDB::Table", "Orders", tableWithoutPitr),
    );
    expect(response).toMatchObject({
      hookStatus: "FAILED",
      errorCode: "NonCompliant",
      clientRequestToken: "token-CREATE_PRE_PROVISION-Orders",
    });
    expect(response.message).toMatch(/DDB\.PITR/);
    expect(response.message).toMatch(/PointInTimeRecoverySpecification\.PointInTimeRecoveryEnabled: true/);
    expect(response.message.length).toBeLessThanOrEqual(4096);
    const pitr = response.annotations?.find((a) => a.annotationName === "DDB.PITR");
    expect(pitr).toMatchObject({ status: "FAILED", severityLevel: "HIGH" });
    expect(pitr?.remediationMessage).toMatch(/PointInTimeRecoveryEnabled/);
    expect(response.annotations?.find((a) => a.annotationName === "DDB.ON-DEMAND")?.status).toBe("PASSED");
  });

  it("CREATE: the same table at C1I1A1 succeeds (no control it fails is required there)", async () => {
    const response = await invoke(
      relaxed,
      request("CREATE_PRE_PROVISION", "AWS::DynamoDB::Table", "Orders", tableWithoutPitr),
    );
    expect(response).toMatchObject({
      hookStatus: "SUCCESS",
      clientRequestToken: "token-CREATE_PRE_PROVISION-Orders",
    });
    expect(response.errorCode).toBeUndefined();
    expect(response.annotations?.find((a) => a.annotationName === "DDB.PITR")?.status).toBe("SKIPPED");
  });

  it("UPDATE: judges the new properties (turning PITR on makes it pass)", async () => {
    const fixed = {
      ...tableWithoutPitr,
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: "true" },
      SSESpecification: {
        SSEEnabled: "true",
        KMSMasterKeyId: "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
      },
    };
    const response = await invoke(
      strict,
      request("UPDATE_PRE_PROVISION", "AWS::DynamoDB::Table", "Orders", fixed, tableWithoutPitr),
    );
    expect(response.hookStatus).toBe("SUCCESS");
    expect(response.annotations?.every((a) => a.status === "PASSED")).toBe(true);
  });

  it("DELETE always succeeds, even for a non-compliant resource", async () => {
    const response = await invoke(
      strict,
      request("DELETE_PRE_PROVISION", "AWS::DynamoDB::Table", "Orders", tableWithoutPitr),
    );
    expect(response).toMatchObject({
      hookStatus: "SUCCESS",
      clientRequestToken: "token-DELETE_PRE_PROVISION-Orders",
    });
  });

  it("a type CloudFormation and AWS Config name apart is judged by the recorded type's controls", async () => {
    const certificate = await invoke(
      strict,
      request("CREATE_PRE_PROVISION", "AWS::CertificateManager::Certificate", "Cert", {
        DomainName: "orders.example.com",
        KeyAlgorithm: "RSA_1024",
      }),
    );
    expect(certificate).toMatchObject({ hookStatus: "FAILED", errorCode: "NonCompliant" });
    expect(certificate.annotations?.find((a) => a.annotationName === "ACM.KEY-LENGTH")?.status).toBe(
      "FAILED",
    );
    const admin = await invoke(
      strict,
      request("CREATE_PRE_PROVISION", "AWS::IAM::ManagedPolicy", "Admin", {
        PolicyDocument: {
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
        },
      }),
    );
    expect(admin).toMatchObject({ hookStatus: "FAILED", errorCode: "NonCompliant" });
    expect(admin.message).toMatch(/IAM\.NO-ADMIN-POLICY/);
  });

  it("a resource type without controls succeeds", async () => {
    const response = await invoke(
      strict,
      request("CREATE_PRE_PROVISION", "AWS::Lambda::Version", "V", { FunctionName: "f" }),
    );
    expect(response.hookStatus).toBe("SUCCESS");
  });

  it("a resource of a service outside the catalogue's allow-list is FAILED, NonCompliant, by the built-in allowed-service control", async () => {
    // Recorded by AWS Config (AWS::EC2::VPC) or not (AWS::Route53::RecordSet): the SCP denies both.
    for (const [type, properties] of [
      ["AWS::EC2::VPC", { CidrBlock: "10.0.0.0/16" }],
      ["AWS::Route53::RecordSet", { Name: "orders.example.com", Type: "A", HostedZoneId: "Z1" }],
    ] as const) {
      const response = await invoke(strict, request("CREATE_PRE_PROVISION", type, "Net", properties));
      expect(response).toMatchObject({ hookStatus: "FAILED", errorCode: "NonCompliant" });
      expect(response.message).toBe(
        `${type} Net is NON_COMPLIANT at C3I3A3: 1 required control(s) fail. [CRITICAL] PLATFORM.ALLOWED-SERVICE: Resource belongs to a service the platform allows. Fix: Remove the resource from the stack.`,
      );
      expect(response.annotations).toEqual([
        expect.objectContaining({
          annotationName: "PLATFORM.ALLOWED-SERVICE",
          status: "FAILED",
          severityLevel: "CRITICAL",
          remediationMessage: "Remove the resource from the stack.",
        }),
      ]);
    }
    // A type of an allowed service that no control reads still proceeds, at any rating.
    const schedule = await invoke(
      strict,
      request("CREATE_PRE_PROVISION", "AWS::Scheduler::Schedule", "Nightly", {
        ScheduleExpression: "rate(1 day)",
      }),
    );
    expect(schedule.hookStatus).toBe("SUCCESS");
  });

  it("an action invocation point AWS does not send is a malformed request, not judged as a create", async () => {
    const response = await invoke(strict, {
      ...request("CREATE_PRE_PROVISION", "AWS::DynamoDB::Table", "Orders", tableWithoutPitr),
      actionInvocationPoint: "BOGUS",
    });
    expect(response).toMatchObject({ hookStatus: "FAILED", errorCode: "InternalFailure" });
    expect(response.message).toBe(
      'malformed hook request: actionInvocationPoint: Invalid option: expected one of "CREATE_PRE_PROVISION"|"UPDATE_PRE_PROVISION"|"DELETE_PRE_PROVISION"',
    );
  });

  it("UNKNOWN never blocks: a bucket's policy comes from another resource, so the TLS-only control is unknown, not failed", async () => {
    const bucket = {
      BucketName: "orders-archive",
      VersioningConfiguration: { Status: "Enabled" },
      LoggingConfiguration: { DestinationBucketName: "orders-logs" },
      LifecycleConfiguration: { Rules: [{ Id: "expire", Status: "Enabled", ExpirationInDays: "365" }] },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          {
            ServerSideEncryptionByDefault: {
              SSEAlgorithm: "aws:kms",
              KMSMasterKeyID: "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            },
          },
        ],
      },
    };
    const response = await invoke(
      strict,
      request("CREATE_PRE_PROVISION", "AWS::S3::Bucket", "Archive", bucket),
    );
    expect(response.hookStatus).toBe("SUCCESS");
    expect(response.annotations?.find((a) => a.annotationName === "S3.SSL-ONLY")?.status).toBe("SKIPPED");
    expect(response.message).toMatch(/Not decided from the template alone: .*S3\.SSL-ONLY/);
  });

  it("a malformed request is FAILED with InternalFailure, the token still echoed", async () => {
    const response = await invoke(strict, {
      clientRequestToken: "t-1",
      actionInvocationPoint: "CREATE_PRE_PROVISION",
    });
    expect(response).toMatchObject({
      hookStatus: "FAILED",
      errorCode: "InternalFailure",
      clientRequestToken: "t-1",
    });
    expect(response.message).toMatch(/requestData/);
    // A one-line reason naming the field, in zod's English words.
    expect(response.message).toBe(
      "malformed hook request: requestData: Invalid input: expected object, received undefined",
    );
  });
});

describe("the hook's bundle holds what runs only sometimes as text", () => {
  let dir: string;
  const services = new Set(sourceCatalogue().catalogue.controls.map((c) => c.service));

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "hook-parts-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("is one file: each service's validators are deflated text in it; zod's tree-shakable form only", () => {
    expect(bundleFiles(dirname(HOOK), "hook.mjs")).toEqual(["hook.mjs", "hook.mjs.map"]);
    const parts = lazyParts(readFileSync(HOOK, "utf8"));
    expect(parts.find((p) => /(^|\/)dynamodb-[A-Z0-9]+\.mjs$/.test(p.id))?.text).toContain(
      '"pointInTimeRecoveryStatus"',
    );
    const sources = sourcesOf(HOOK);
    expect(sources.some((s) => s.includes("node_modules/zod/v4/mini/"))).toBe(true);
    expect(sources.filter((s) => s.includes("node_modules/zod/v4/classic/"))).toEqual([]);
  });

  it("a request compiles the validators of its resource type's service, no other's, once", async () => {
    const lambda = await Lambda.start(
      handlerEnv("http://127.0.0.1:9", { CIA_RATING: "C3I3A3" }),
      recordingWrapper(dir, HOOK),
    );
    try {
      // The cold start compiles no part.
      expect(partsCompiled(lambda)).toEqual([]);
      const table = await lambda.invoke(
        request("CREATE_PRE_PROVISION", "AWS::DynamoDB::Table", "Orders", tableWithoutPitr) as never,
      );
      expect(table).toMatchObject({ hookStatus: "FAILED", errorCode: "NonCompliant" });
      expect(validatorServices(partsCompiled(lambda), services)).toEqual(["dynamodb"]);
      await lambda.invoke(
        request("CREATE_PRE_PROVISION", "AWS::DynamoDB::Table", "Ledger", tableWithoutPitr) as never,
      );
      expect(validatorServices(partsCompiled(lambda), services)).toEqual(["dynamodb"]);
      await lambda.invoke(
        request("CREATE_PRE_PROVISION", "AWS::SQS::Queue", "Jobs", { QueueName: "jobs" }) as never,
      );
      expect(validatorServices(partsCompiled(lambda), services)).toEqual(["dynamodb", "sqs"]);
    } finally {
      await lambda.stop();
    }
  });

  it("every resource type the hook judges, each the first request of a cold start, has its validators loaded", async () => {
    // The types the template path maps, those CloudFormation names apart from AWS Config, and the
    // companions (a bucket policy...): none may meet a control whose service was not loaded.
    const types = [...new Set([...mappedTypes(), ...Object.keys(CONFIG_TYPES), ...COMPANION_TYPES])];
    expect(types.length).toBeGreaterThan(20);
    const judged: string[] = [];
    for (const type of types) {
      const lambda = await Lambda.start(handlerEnv("http://127.0.0.1:9", { CIA_RATING: "C3I3A3" }), HOOK);
      try {
        const response = (await lambda.invoke(
          request("CREATE_PRE_PROVISION", type, "Resource", {}) as never,
        )) as unknown as Response;
        expect(response.errorCode, `${type}: ${response.message}`).not.toBe("InternalFailure");
        expect(response.message, type).not.toMatch(/not loaded|failed to evaluate/);
        if (response.annotations?.length) judged.push(type);
      } finally {
        await lambda.stop();
      }
    }
    // Most are judged by controls (the companions have none of their own).
    expect(judged.length).toBeGreaterThan(15);
  }, 120_000);
});
