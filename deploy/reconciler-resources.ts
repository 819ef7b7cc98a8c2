// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub strings, not JavaScript templates
// The scheduled StackSet reconciler of the management template (handlers/stackset-reconciler.ts):
// its key, log group, role, function and schedule, created only when its code key is given.

import {
  allow,
  eventTargetQueuePolicy,
  getAtt,
  ifThen,
  type Parameter,
  type Resource,
  ref,
  serviceRole,
  sub,
} from "./cfn.ts";
import { engineKey } from "./kms-key.ts";
import { lambdaFunction, runtimeStatements, sendFailures, writeOwnLogs } from "./lambda-function.ts";
import { MEMBER_STACK_SET, PREFIX } from "./names.ts";

export const RECONCILER_FUNCTION = `${PREFIX}stackset-reconciler`;
const RECONCILER_ROLE = `${PREFIX}stackset-reconciler-\${AWS::Region}`;

export const RECONCILER_PARAMETERS: Record<string, Parameter> = {
  ReconcilerCodeKey: {
    Type: "String",
    Description:
      "S3 key of stackset-reconciler.zip (npm run package) in CodeBucket: a scheduled function then redeploys OUTDATED stack instances. Empty: no reconciler.",
    Default: "",
  },
  ReconcileSchedule: {
    Type: "String",
    Description: "When the reconciler looks for OUTDATED stack instances.",
    Default: "rate(1 hour)",
  },
};

export const RECONCILER_CONDITIONS = {
  HasReconciler: { "Fn::Not": [{ "Fn::Equals": [ref("ReconcilerCodeKey"), ""] }] },
};

const conditional = (resource: Resource): Resource => ({ ...resource, Condition: "HasReconciler" });

export function reconcilerResources(): Record<string, Resource> {
  const keyArn = getAtt("ReconcilerKey", "Arn");
  const { logGroup, fn } = lambdaFunction({
    functionName: RECONCILER_FUNCTION,
    description: "Compliance engine: redeploys OUTDATED instances of the member StackSet",
    handler: "stackset-reconciler.handler",
    roleLogicalId: "ReconcilerRole",
    codeBucket: ifThen("RegionalCodeBucket", sub("${CodeBucket}-${AWS::Region}"), ref("CodeBucket")),
    codeKey: ref("ReconcilerCodeKey"),
    memorySize: 256,
    timeout: 120,
    environment: { STACK_SET_NAME: MEMBER_STACK_SET, CALL_AS: ref("CallAs") },
    logGroupLogicalId: "ReconcilerLogGroup",
    kmsKeyArn: keyArn,
    retainLogs: false,
    deadLetterTargetArn: getAtt("ReconcilerDeadLetterQueue", "Arn"),
  });
  const stackSet = sub(
    `arn:\${AWS::Partition}:cloudformation:\${AWS::Region}:\${AWS::AccountId}:stackset/${MEMBER_STACK_SET}:*`,
  );
  const targets = sub(
    `arn:\${AWS::Partition}:cloudformation:\${AWS::Region}:\${AWS::AccountId}:stackset-target/${MEMBER_STACK_SET}:*`,
  );
  const role = serviceRole({
    roleName: RECONCILER_ROLE,
    description: "Compliance engine reconciler: lists and redeploys the member StackSet's instances",
    service: "lambda.amazonaws.com",
    policyName: "stackset-reconciler",
    sourceAccount: true,
    statements: [
      allow("ReadStackInstances", ["cloudformation:ListStackInstances"], stackSet),
      allow("RedeployStackInstances", ["cloudformation:UpdateStackInstances"], [stackSet, targets]),
      ...runtimeStatements(keyArn),
      sendFailures("ReconcilerDeadLetterQueue"),
      allow("EncryptFailedInvocations", ["kms:GenerateDataKey"], keyArn),
      writeOwnLogs("ReconcilerLogGroup"),
    ],
  });
  return {
    ReconcilerKey: conditional(
      engineKey("Compliance engine: encrypts the reconciler's environment and logs", {
        eventBridgeQueues: true,
        retain: false,
      }),
    ),
    ReconcilerLogGroup: conditional(logGroup),
    ReconcilerRole: conditional(role),
    ReconcilerFunction: conditional(fn),
    ReconcileRule: conditional({
      Type: "AWS::Events::Rule",
      Properties: {
        Name: `${PREFIX}reconcile-stack-instances`,
        Description: "Compliance engine: redeploy OUTDATED member stack instances",
        State: "ENABLED",
        ScheduleExpression: ref("ReconcileSchedule"),
        Targets: [
          {
            Id: "reconciler",
            Arn: getAtt("ReconcilerFunction", "Arn"),
            DeadLetterConfig: { Arn: getAtt("ReconcilerDeadLetterQueue", "Arn") },
          },
        ],
      },
    }),
    // A schedule that cannot invoke the reconciler leaves its event here (the next run retries anyway).
    ReconcilerDeadLetterQueue: conditional({
      Type: "AWS::SQS::Queue",
      Properties: {
        QueueName: `${PREFIX}reconciler-dlq`,
        KmsMasterKeyId: keyArn,
        KmsDataKeyReusePeriodSeconds: 300,
        MessageRetentionPeriod: 14 * 86400,
      },
    }),
    ReconcilerDeadLetterQueuePolicy: conditional({
      Type: "AWS::SQS::QueuePolicy",
      Properties: {
        Queues: [ref("ReconcilerDeadLetterQueue")],
        PolicyDocument: eventTargetQueuePolicy(getAtt("ReconcilerDeadLetterQueue", "Arn"), [
          getAtt("ReconcileRule", "Arn"),
        ]),
      },
    }),
    ReconcilePermission: conditional({
      Type: "AWS::Lambda::Permission",
      Properties: {
        FunctionName: getAtt("ReconcilerFunction", "Arn"),
        Action: "lambda:InvokeFunction",
        Principal: "events.amazonaws.com",
        SourceArn: getAtt("ReconcileRule", "Arn"),
      },
    }),
  };
}
