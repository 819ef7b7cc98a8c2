// AWS::CloudTrail::Trail as AWS Config records it: DescribeTrails' fields (camelCase). Defaults
// from the AWS::CloudTrail::Trail reference and the CloudTrail API reference (CreateTrail):
// IsMultiRegionTrail false, IncludeGlobalServiceEvents true (a new trail logs global service
// events unless told not to), EnableLogFileValidation false, IsOrganizationTrail false, no KMS
// key, no CloudWatch Logs delivery. The trail's home region is the stack's region. KMSKeyId is
// recorded as the template gives it (DescribeTrails writes the key's full ARN; the controls only
// ask whether a key is set).

import { flag, type Mapper, own } from "./helpers.ts";

export const cloudTrailTrail: Mapper = (r, id, p) => {
  const arn = r.attribute(id, "Arn");
  const name = r.name(id);
  const configuration: Record<string, unknown> = {
    name,
    s3BucketName: p.S3BucketName,
    includeGlobalServiceEvents: flag(p.IncludeGlobalServiceEvents, true),
    isMultiRegionTrail: flag(p.IsMultiRegionTrail, false),
    homeRegion: r.region,
    trailARN: arn,
    logFileValidationEnabled: flag(p.EnableLogFileValidation, false),
    hasCustomEventSelectors: p.EventSelectors !== undefined || p.AdvancedEventSelectors !== undefined,
    hasInsightSelectors: p.InsightSelectors !== undefined,
    isOrganizationTrail: flag(p.IsOrganizationTrail, false),
  };
  const optional: Record<string, string> = {
    s3KeyPrefix: "S3KeyPrefix",
    snsTopicName: "SnsTopicName",
    kmsKeyId: "KMSKeyId",
    cloudWatchLogsLogGroupArn: "CloudWatchLogsLogGroupArn",
    cloudWatchLogsRoleArn: "CloudWatchLogsRoleArn",
  };
  for (const [config, cfn] of Object.entries(optional)) {
    if (p[cfn] !== undefined) configuration[config] = p[cfn];
  }
  return {
    configuration,
    arn,
    name,
    configResourceId: name,
    origins: own(id, {
      "configuration.isMultiRegionTrail": "IsMultiRegionTrail",
      "configuration.includeGlobalServiceEvents": "IncludeGlobalServiceEvents",
      "configuration.kmsKeyId": "KMSKeyId",
      "configuration.logFileValidationEnabled": "EnableLogFileValidation",
      "configuration.cloudWatchLogsLogGroupArn": "CloudWatchLogsLogGroupArn",
    }),
  };
};
