// The mappers, one per resource type the catalogue has controls for, and the companion resource
// types that AWS Config records as part of another resource (folded in by that resource's mapper).

import { apiGatewayStage } from "./apigateway-stage.ts";
import { dynamodbTable } from "./dynamodb-table.ts";
import { eventBus, eventRule } from "./events.ts";
import type { Mapper } from "./helpers.ts";
import { iamManagedPolicy } from "./iam-managed-policy.ts";
import { iamRole } from "./iam-role.ts";
import { kmsKey } from "./kms-key.ts";
import { lambdaFunction } from "./lambda-function.ts";
import { logGroup } from "./logs-log-group.ts";
import { s3Bucket } from "./s3-bucket.ts";
import { secret } from "./secretsmanager-secret.ts";
import { snsTopic } from "./sns-topic.ts";
import { sqsQueue } from "./sqs-queue.ts";
import { stateMachine } from "./stepfunctions-state-machine.ts";

export const MAPPERS: Readonly<Record<string, Mapper>> = {
  "AWS::ApiGateway::Stage": apiGatewayStage,
  "AWS::DynamoDB::Table": dynamodbTable,
  "AWS::Events::EventBus": eventBus,
  "AWS::Events::Rule": eventRule,
  "AWS::IAM::ManagedPolicy": iamManagedPolicy,
  "AWS::IAM::Role": iamRole,
  "AWS::KMS::Key": kmsKey,
  "AWS::Lambda::Function": lambdaFunction,
  "AWS::Logs::LogGroup": logGroup,
  "AWS::S3::Bucket": s3Bucket,
  "AWS::SecretsManager::Secret": secret,
  "AWS::SNS::Topic": snsTopic,
  "AWS::SQS::Queue": sqsQueue,
  "AWS::StepFunctions::StateMachine": stateMachine,
};

/** Types that are part of another resource's configuration item, not items of their own. */
export const COMPANION_TYPES: ReadonlySet<string> = new Set([
  "AWS::SQS::QueuePolicy",
  "AWS::SNS::TopicPolicy",
  "AWS::S3::BucketPolicy",
  "AWS::Lambda::Permission",
  // CloudFormation's AWS::IAM::Policy is an inline policy: Config records it in each role's rolePolicyList.
  "AWS::IAM::Policy",
  "AWS::SecretsManager::RotationSchedule",
  "AWS::WAFv2::WebACLAssociation",
]);

export type { Mapped, Mapper, Origin } from "./helpers.ts";
