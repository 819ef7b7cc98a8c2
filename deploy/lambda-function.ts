// A Lambda function as both templates deploy it: arm64, the supported Node.js runtime, outside any
// VPC, code from S3, JSON logs into its own log group with a retention of at least a year.

import {
  allow,
  denyInsecureTransport,
  getAtt,
  type Json,
  type JsonObject,
  policyDocument,
  type Resource,
  ref,
} from "./cfn.ts";
import { LAMBDA_ARCHITECTURE, LAMBDA_RUNTIME, logGroupOf } from "./names.ts";

/** The log retention choices that satisfy the platform's "at least a year" rule (CloudWatch.16). */
export const LOG_RETENTION_DAYS = [365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

export interface FunctionOptions {
  functionName: string;
  description: string;
  handler: string;
  roleLogicalId: string;
  codeBucket: Json;
  codeKey: Json;
  memorySize: number;
  timeout: number;
  environment: Record<string, Json>;
  /** The log group's logical id, created beside the function. */
  logGroupLogicalId: string;
  /** The customer-managed key of the function's environment variables and its log group. */
  kmsKeyArn: Json;
  reservedConcurrency?: Json;
  /**
   * Where Lambda puts an asynchronous event that failed every retry (DeadLetterConfig). AWS Config
   * records this, not the function's on-failure destination, so the catalogue's LAMBDA.ASYNC-DLQ
   * control can only see the dead-letter queue.
   */
  deadLetterTargetArn?: Json;
  /**
   * Keep the log group when the stack goes. The member stacks do not: a stack set removes them when
   * an account leaves, and a retained group of the same name would block the account's return.
   */
  retainLogs: boolean;
}

/** The log group (created first, so Lambda never creates one without retention) and the function. */
export function lambdaFunction(options: FunctionOptions): { logGroup: Resource; fn: Resource } {
  const logGroupProperties: JsonObject = {
    LogGroupName: logGroupOf(options.functionName),
    RetentionInDays: ref("LogRetentionDays"),
    KmsKeyId: options.kmsKeyArn,
  };
  const logGroup: Resource = {
    Type: "AWS::Logs::LogGroup",
    DeletionPolicy: options.retainLogs ? "Retain" : "Delete",
    UpdateReplacePolicy: options.retainLogs ? "Retain" : "Delete",
    Properties: logGroupProperties,
  };
  const properties: JsonObject = {
    FunctionName: options.functionName,
    Description: options.description,
    Runtime: LAMBDA_RUNTIME,
    Architectures: [LAMBDA_ARCHITECTURE],
    Handler: options.handler,
    Code: { S3Bucket: options.codeBucket, S3Key: options.codeKey },
    Role: getAtt(options.roleLogicalId, "Arn"),
    MemorySize: options.memorySize,
    Timeout: options.timeout,
    Environment: { Variables: { NODE_OPTIONS: "--enable-source-maps", ...options.environment } },
    LoggingConfig: { LogGroup: ref(options.logGroupLogicalId), LogFormat: "JSON" },
    KmsKeyArn: options.kmsKeyArn,
    // Active tracing: the catalogue's tracing control at availability level 3.
    TracingConfig: { Mode: "Active" },
  };
  if (options.reservedConcurrency !== undefined)
    properties.ReservedConcurrentExecutions = options.reservedConcurrency;
  if (options.deadLetterTargetArn !== undefined)
    properties.DeadLetterConfig = { TargetArn: options.deadLetterTargetArn };
  return {
    logGroup,
    fn: { Type: "AWS::Lambda::Function", DependsOn: options.logGroupLogicalId, Properties: properties },
  };
}

/**
 * Where an asynchronous invocation goes when it failed every retry (Config and EventBridge invoke
 * the functions asynchronously; without a destination Lambda drops the event after two retries):
 * an encrypted queue kept 14 days, alarmed on its depth.
 */
export function failureDestination(
  functionLogicalId: string,
  queueLogicalId: string,
  queueName: string,
  kmsKeyArn: Json,
): Record<string, Resource> {
  return {
    [queueLogicalId]: {
      Type: "AWS::SQS::Queue",
      Properties: {
        QueueName: queueName,
        KmsMasterKeyId: kmsKeyArn,
        KmsDataKeyReusePeriodSeconds: 300,
        MessageRetentionPeriod: 14 * 86400,
      },
    },
    [`${queueLogicalId}Policy`]: {
      Type: "AWS::SQS::QueuePolicy",
      Properties: {
        Queues: [ref(queueLogicalId)],
        PolicyDocument: policyDocument([denyInsecureTransport(["sqs:*"], getAtt(queueLogicalId, "Arn"))]),
      },
    },
    [`${functionLogicalId}InvokeConfig`]: {
      Type: "AWS::Lambda::EventInvokeConfig",
      Properties: {
        FunctionName: ref(functionLogicalId),
        Qualifier: "$LATEST",
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: getAtt(queueLogicalId, "Arn") } },
      },
    },
  };
}

/** The role statement that lets a function's failed invocations reach its on-failure queue. */
export function sendFailures(queueLogicalId: string): JsonObject {
  return allow("SendFailedInvocations", ["sqs:SendMessage"], getAtt(queueLogicalId, "Arn"));
}

/** What every engine function needs besides its own work: its traces and its environment's key. */
export function runtimeStatements(kmsKeyArn: Json): JsonObject[] {
  return [
    // X-Ray's trace actions support no resource-level permissions.
    allow("WriteTraces", ["xray:PutTelemetryRecords", "xray:PutTraceSegments"], "*"),
    allow("DecryptOwnEnvironment", ["kms:Decrypt"], kmsKeyArn),
  ];
}

/** The statement that lets a function write its own logs, and nothing else of Logs. */
export function writeOwnLogs(logGroupLogicalId: string): JsonObject {
  return {
    Sid: "WriteOwnLogs",
    Effect: "Allow",
    Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
    // The log group's Arn attribute ends in ":*": every stream of this group only.
    Resource: getAtt(logGroupLogicalId, "Arn"),
  };
}
