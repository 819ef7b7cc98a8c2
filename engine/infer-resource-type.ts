// The resource type of an item that does not say it: `SelectResourceConfig` rows carry only
// `configuration`, `supplementaryConfiguration` and sometimes `resourceId`. The type is read from
// the resource's own ARN (never from an ARN it merely refers to, such as a function's role), or
// from the two shapes no other resource type has; anything else stays unknown, because a wrong
// guess would run the wrong controls. Those two shapes also record who the resource is (a
// security group's id and owner account, a bucket's name), which such a row has nowhere else.

type Raw = Record<string, unknown>;

/** `[service, pattern over the ARN's resource part, resource type]`, first match wins. */
const ARN_TYPES: readonly [string, RegExp, string][] = [
  ["s3", /^[^/]+$/, "AWS::S3::Bucket"],
  ["dynamodb", /^table\/[^/]+$/, "AWS::DynamoDB::Table"],
  ["lambda", /^function:[^:]+(:[^:]+)?$/, "AWS::Lambda::Function"],
  ["sns", /^[^:/]+$/, "AWS::SNS::Topic"],
  ["sqs", /^[^:/]+$/, "AWS::SQS::Queue"],
  ["kms", /^key\//, "AWS::KMS::Key"],
  ["kms", /^alias\//, "AWS::KMS::Alias"],
  ["iam", /^role\//, "AWS::IAM::Role"],
  ["iam", /^user\//, "AWS::IAM::User"],
  ["iam", /^group\//, "AWS::IAM::Group"],
  ["iam", /^policy\//, "AWS::IAM::Policy"],
  ["apigateway", /^\/restapis\/[^/]+\/stages\/[^/]+$/, "AWS::ApiGateway::Stage"],
  ["apigateway", /^\/restapis\/[^/]+$/, "AWS::ApiGateway::RestApi"],
  ["apigateway", /^\/apis\/[^/]+\/stages\/[^/]+$/, "AWS::ApiGatewayV2::Stage"],
  ["apigateway", /^\/apis\/[^/]+$/, "AWS::ApiGatewayV2::Api"],
  ["ecr", /^repository\//, "AWS::ECR::Repository"],
  ["acm", /^certificate\//, "AWS::ACM::Certificate"],
  ["secretsmanager", /^secret:/, "AWS::SecretsManager::Secret"],
  ["states", /^stateMachine:/, "AWS::StepFunctions::StateMachine"],
  ["states", /^activity:/, "AWS::StepFunctions::Activity"],
  ["logs", /^log-group:/, "AWS::Logs::LogGroup"],
  ["events", /^event-bus\//, "AWS::Events::EventBus"],
  ["events", /^rule\//, "AWS::Events::Rule"],
  ["cloudtrail", /^trail\//, "AWS::CloudTrail::Trail"],
  ["cloudformation", /^stack\//, "AWS::CloudFormation::Stack"],
  ["cloudwatch", /^alarm:/, "AWS::CloudWatch::Alarm"],
  ["cloudwatch", /^metric-stream\//, "AWS::CloudWatch::MetricStream"],
  ["kinesis", /^stream\//, "AWS::Kinesis::Stream"],
  ["rds", /^db:/, "AWS::RDS::DBInstance"],
  ["rds", /^cluster:/, "AWS::RDS::DBCluster"],
  ["ec2", /^instance\//, "AWS::EC2::Instance"],
  ["ec2", /^security-group\//, "AWS::EC2::SecurityGroup"],
  ["ec2", /^vpc\//, "AWS::EC2::VPC"],
  ["ec2", /^subnet\//, "AWS::EC2::Subnet"],
  ["ec2", /^volume\//, "AWS::EC2::Volume"],
  ["ec2", /^network-interface\//, "AWS::EC2::NetworkInterface"],
];

/** Keys under which a configuration records the resource's own ARN (not one it refers to). */
const OWN_ARN_KEYS = [
  "arn",
  "Arn",
  "ARN",
  "functionArn",
  "FunctionArn",
  "TopicArn",
  "QueueArn",
  "KeyArn",
  "tableArn",
  "TableArn",
  "trailARN",
  "TrailARN",
  "stateMachineArn",
  "StateMachineArn",
] as const;

/** Supplementary configuration keys AWS Config records for S3 buckets only. */
const S3_SUPPLEMENTARY = [
  "AccessControlList",
  "BucketPolicy",
  "PublicAccessBlockConfiguration",
  "ServerSideEncryptionConfiguration",
  "BucketVersioningConfiguration",
  "BucketLoggingConfiguration",
];

const isArn = (value: unknown): value is string => typeof value === "string" && value.startsWith("arn:");

/** The resource type an ARN names, when the table above knows it. */
export function resourceTypeFromArn(arn: string): string | undefined {
  const parts = arn.split(":");
  if (parts.length < 6) return undefined;
  const service = parts[2];
  const resource = parts.slice(5).join(":");
  return ARN_TYPES.find(([s, pattern]) => s === service && pattern.test(resource))?.[2];
}

/**
 * The resource's own ARN: the item's `ARN`/`arn`, a `resourceId` that is an ARN, or the
 * configuration's own ARN field.
 */
export function ownArn(input: Raw, configuration: Raw | null): string | undefined {
  for (const value of [input.ARN, input.arn, input.resourceId]) if (isArn(value)) return value;
  if (!configuration) return undefined;
  for (const key of OWN_ARN_KEYS) if (isArn(configuration[key])) return configuration[key] as string;
  return undefined;
}

/**
 * The type of an item without `resourceType`, from its own ARN or a shape only one type has;
 * undefined when it cannot be told.
 */
export function inferResourceType(
  input: Raw,
  configuration: Raw | null,
  supplementary: Raw,
): string | undefined {
  const arn = ownArn(input, configuration);
  const fromArn = arn ? resourceTypeFromArn(arn) : undefined;
  if (fromArn) return fromArn;
  if (S3_SUPPLEMENTARY.some((k) => k in supplementary)) return "AWS::S3::Bucket";
  if (
    configuration &&
    typeof configuration.groupId === "string" &&
    configuration.groupId.startsWith("sg-") &&
    Array.isArray(configuration.ipPermissions)
  ) {
    return "AWS::EC2::SecurityGroup";
  }
  return undefined;
}

/**
 * The resource id and account a configuration records for the two types told by their shape,
 * where AWS Config records them: a security group's `groupId` (its resource id) and `ownerId` (its
 * account), an S3 bucket's `name` (its resource id). For an item that carries neither an id nor
 * an ARN (SelectResourceConfig rows); the region is in neither configuration.
 */
export function identityFromConfiguration(
  resourceType: string,
  configuration: Raw | null,
): { resourceId?: string; accountId?: string } {
  if (!configuration) return {};
  if (resourceType === "AWS::EC2::SecurityGroup") {
    const { groupId, ownerId } = configuration;
    return {
      ...(typeof groupId === "string" && groupId.startsWith("sg-") ? { resourceId: groupId } : {}),
      ...(typeof ownerId === "string" && /^\d{12}$/.test(ownerId) ? { accountId: ownerId } : {}),
    };
  }
  if (resourceType === "AWS::S3::Bucket") {
    const { name } = configuration;
    return typeof name === "string" && name !== "" ? { resourceId: name } : {};
  }
  return {};
}
