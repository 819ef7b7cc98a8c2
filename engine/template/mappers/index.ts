// The mappers, one per resource type the catalogue has controls for, and the companion resource
// types that AWS Config records as part of another resource (folded in by that resource's mapper).

import { acmCertificate } from "./acm-certificate.ts";
import { apiGatewayRestApi } from "./apigateway-restapi.ts";
import { apiGatewayStage } from "./apigateway-stage.ts";
import { apiGatewayV2Api } from "./apigatewayv2-api.ts";
import { apiGatewayV2Stage } from "./apigatewayv2-stage.ts";
import { cloudTrailTrail } from "./cloudtrail-trail.ts";
import { dynamodbTable } from "./dynamodb-table.ts";
import { eventBus, eventEndpoint, eventRule } from "./events.ts";
import type { Mapper } from "./helpers.ts";
import { iamManagedPolicy } from "./iam-managed-policy.ts";
import { iamRole } from "./iam-role.ts";
import { iamUser } from "./iam-user.ts";
import { kmsKey } from "./kms-key.ts";
import { lambdaFunction } from "./lambda-function.ts";
import { logGroup } from "./logs-log-group.ts";
import { s3AccessPoint, s3MultiRegionAccessPoint } from "./s3-access-points.ts";
import { s3Bucket } from "./s3-bucket.ts";
import { secret } from "./secretsmanager-secret.ts";
import { snsTopic } from "./sns-topic.ts";
import { sqsQueue } from "./sqs-queue.ts";
import { stateMachine } from "./stepfunctions-state-machine.ts";

export const MAPPERS: Readonly<Record<string, Mapper>> = {
  "AWS::ApiGateway::RestApi": apiGatewayRestApi,
  "AWS::ApiGateway::Stage": apiGatewayStage,
  "AWS::ApiGatewayV2::Api": apiGatewayV2Api,
  "AWS::ApiGatewayV2::Stage": apiGatewayV2Stage,
  "AWS::CertificateManager::Certificate": acmCertificate,
  "AWS::CloudTrail::Trail": cloudTrailTrail,
  "AWS::DynamoDB::Table": dynamodbTable,
  "AWS::Events::Endpoint": eventEndpoint,
  "AWS::Events::EventBus": eventBus,
  "AWS::Events::Rule": eventRule,
  "AWS::IAM::ManagedPolicy": iamManagedPolicy,
  "AWS::IAM::Role": iamRole,
  "AWS::IAM::User": iamUser,
  "AWS::KMS::Key": kmsKey,
  "AWS::Lambda::Function": lambdaFunction,
  "AWS::Logs::LogGroup": logGroup,
  "AWS::S3::AccessPoint": s3AccessPoint,
  "AWS::S3::Bucket": s3Bucket,
  "AWS::S3::MultiRegionAccessPoint": s3MultiRegionAccessPoint,
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
  "AWS::IAM::UserToGroupAddition",
  "AWS::SecretsManager::RotationSchedule",
  "AWS::WAFv2::WebACLAssociation",
]);

/**
 * The type AWS Config records a template type as, where they differ (a mapper's `configType`):
 * what a hook's target filters and its control lookup need before any resource is mapped.
 */
export const CONFIG_TYPES: Readonly<Record<string, string>> = {
  "AWS::IAM::ManagedPolicy": "AWS::IAM::Policy",
  "AWS::CertificateManager::Certificate": "AWS::ACM::Certificate",
};

export type { Mapped, Mapper, Origin } from "./helpers.ts";
