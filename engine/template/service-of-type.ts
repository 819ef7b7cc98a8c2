// Whether the SCP would let CloudFormation create a template resource of a type AWS Config does not
// record (an `AWS::Route53::RecordSet`, an `AWS::EC2::VPCGatewayAttachment`). Such a resource never
// reaches the Config rules, but CloudFormation still creates it through its service's API, which the
// service control policy denies outside the catalogue's IAM prefixes: the template path judges it
// by its service, as the SCP will.

import type { Catalogue } from "../catalogue-model.ts";
import { isAllowedType } from "../evaluate.ts";

/**
 * The IAM prefixes of the namespaces CloudFormation spells otherwise than the service's prefix;
 * every other namespace is its prefix lower-cased (`AWS::Scheduler` -> `scheduler`).
 */
const PREFIXES_OF_NAMESPACE: Readonly<Record<string, readonly string[]>> = {
  "AWS::AccessAnalyzer": ["access-analyzer"],
  "AWS::ApiGatewayV2": ["apigateway"],
  "AWS::ApplicationAutoScaling": ["application-autoscaling"],
  "AWS::CertificateManager": ["acm"],
  "AWS::Cognito": ["cognito-idp", "cognito-identity", "cognito-sync"],
  "AWS::ElasticLoadBalancing": ["elasticloadbalancing"],
  "AWS::ElasticLoadBalancingV2": ["elasticloadbalancing"],
  "AWS::Elasticsearch": ["es"],
  "AWS::EventSchemas": ["schemas"],
  "AWS::KinesisFirehose": ["firehose"],
  "AWS::MSK": ["kafka"],
  "AWS::OpenSearchService": ["es"],
  "AWS::ResourceGroups": ["resource-groups"],
  "AWS::S3Express": ["s3express"],
  "AWS::S3ObjectLambda": ["s3-object-lambda"],
  "AWS::StepFunctions": ["states"],
};

/**
 * Types that are CloudFormation's own constructs, not a service's resources: the CDK's metadata,
 * wait conditions, nested stacks and custom resources (`AWS::CloudFormation::*`). Custom and
 * third-party types (`Custom::*`, `MyOrg::...`) name no AWS service and are not judged either.
 */
const isCloudFormationConstruct = (type: string): boolean =>
  type === "AWS::CDK::Metadata" || type.startsWith("AWS::CloudFormation::");

/** The IAM prefixes a resource type's API calls carry (`AWS::StepFunctions::X` -> `states`). */
export function iamPrefixesOf(type: string): readonly string[] {
  const parts = type.split("::");
  const namespace = `${parts[0]}::${parts[1]}`;
  return PREFIXES_OF_NAMESPACE[namespace] ?? [String(parts[1]).toLowerCase()];
}

/**
 * True when a type AWS Config does not record belongs to an AWS service outside the catalogue:
 * neither one of its resource types' namespaces nor one of its IAM prefixes.
 */
export function isOutsideAllowList(catalogue: Catalogue, type: string): boolean {
  if (!type.startsWith("AWS::") || type.split("::").length !== 3 || isCloudFormationConstruct(type)) {
    return false;
  }
  if (isAllowedType(catalogue, type)) return false;
  const allowed = new Set(catalogue.policies.flatMap((p) => p.iamPrefixes));
  return !iamPrefixesOf(type).some((prefix) => allowed.has(prefix));
}
