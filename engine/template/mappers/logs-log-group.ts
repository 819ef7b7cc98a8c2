// AWS::Logs::LogGroup (AWS Config does not record it; its controls read DescribeLogGroups):
// that API's fields. Without RetentionInDays a log group never expires (no `retentionInDays`);
// LogGroupClass defaults to STANDARD (AWS::Logs::LogGroup reference).

import { type Mapper, num, own } from "./helpers.ts";

export const logGroup: Mapper = (r, id, p) => {
  const arn = r.attribute(id, "Arn");
  const name = r.name(id);
  const configuration: Record<string, unknown> = {
    logGroupName: name,
    arn,
    logGroupArn: arn.replace(/:\*$/, ""),
    logGroupClass: p.LogGroupClass ?? "STANDARD",
    storedBytes: 0,
  };
  if (p.RetentionInDays !== undefined) configuration.retentionInDays = num(p.RetentionInDays);
  if (p.KmsKeyId !== undefined) configuration.kmsKeyId = p.KmsKeyId;
  return {
    configuration,
    arn,
    name,
    configResourceId: name,
    origins: own(id, {
      "configuration.retentionInDays": "RetentionInDays",
      "configuration.kmsKeyId": "KmsKeyId",
    }),
  };
};
