// AWS::SecretsManager::Secret as AWS Config records it (DescribeSecret's names). Rotation comes from
// the AWS::SecretsManager::RotationSchedule naming the secret (folded in: RotationEnabled,
// RotationRules, RotationLambdaARN); whether rotation then runs as scheduled is known only once it
// has run (unknown). Without KmsKeyId the secret uses the AWS managed key aws/secretsmanager and
// DescribeSecret reports no KmsKeyId.

import { companions, field, type Mapper, num } from "./helpers.ts";

export const secret: Mapper = (r, id, p) => {
  const arn = r.ref(id);
  const name = r.name(id);
  const schedules = companions(r, "AWS::SecretsManager::RotationSchedule", "SecretId", [arn, name]);
  const configuration: Record<string, unknown> = { ARN: arn, Name: name, Description: p.Description ?? "" };
  if (p.KmsKeyId !== undefined) configuration.KMSKeyId = p.KmsKeyId;
  const schedule = schedules[0] ? r.properties(schedules[0]) : undefined;
  const missing = r.missingCompanion(id, "AWS::SecretsManager::RotationSchedule");
  if (schedule) {
    const rules = schedule.RotationRules;
    configuration.RotationEnabled = true;
    configuration.RotationRules = {
      ...(field(rules, "AutomaticallyAfterDays") === undefined
        ? {}
        : { AutomaticallyAfterDays: num(field(rules, "AutomaticallyAfterDays")) }),
      ...(field(rules, "ScheduleExpression") === undefined
        ? {}
        : { ScheduleExpression: field(rules, "ScheduleExpression") }),
      ...(field(rules, "Duration") === undefined ? {} : { Duration: field(rules, "Duration") }),
    };
    if (schedule.RotationLambdaARN !== undefined)
      configuration.RotationLambdaARN = schedule.RotationLambdaARN;
    configuration.RotationOccurringAsScheduled = r.deployTime(id, "whether rotation runs as scheduled");
  } else {
    configuration.RotationEnabled = missing ?? false;
  }
  return {
    configuration,
    arn,
    name,
    configResourceId: arn,
    origins: [
      { path: "configuration.KMSKeyId", resource: id, property: ["KmsKeyId"] },
      ...[
        "configuration.RotationEnabled",
        "configuration.RotationRules",
        "configuration.RotationOccurringAsScheduled",
      ].map((path) => ({
        path,
        resource: schedules[0] ?? id,
        property: schedules[0] ? ["RotationRules"] : [],
      })),
    ],
  };
};
