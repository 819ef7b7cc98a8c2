// AWS::DynamoDB::Table as AWS Config records it: DescribeTable's fields (`ssedescription`,
// `billingModeSummary`, `deletionProtectionEnabled`) and supplementaryConfiguration
// .ContinuousBackupsDescription (DescribeContinuousBackups). Defaults from the
// AWS::DynamoDB::Table reference: BillingMode PROVISIONED, DeletionProtectionEnabled false,
// point-in-time recovery off; without SSESpecification.SSEEnabled the table is encrypted with an
// AWS owned key, which DescribeTable reports as no SSEDescription.

import { isUnknown } from "../unknown.ts";
import { camel, field, flag, type Mapper, own } from "./helpers.ts";

export const dynamodbTable: Mapper = (r, id, p) => {
  const arn = r.attribute(id, "Arn");
  const name = r.name(id);
  const configuration: Record<string, unknown> = {
    tableName: name,
    tableArn: arn,
    tableId: r.generatedId(id),
    tableStatus: "ACTIVE",
    keySchema: camel(p.KeySchema ?? []),
    attributeDefinitions: camel(p.AttributeDefinitions ?? []),
    billingModeSummary: { billingMode: p.BillingMode ?? "PROVISIONED" },
    deletionProtectionEnabled: flag(p.DeletionProtectionEnabled, false),
  };
  const sse = p.SSESpecification;
  const enabled = flag(field(sse, "SSEEnabled"), false);
  if (enabled !== false) {
    // SSEEnabled true with no key: the AWS managed key aws/dynamodb, which DescribeTable reports by
    // its key ARN (its id is AWS's: a stand-in here).
    const key = field(sse, "KMSMasterKeyId");
    const keyArn =
      key === undefined
        ? `arn:aws:kms:${r.region}:${r.account}:key/${r.generatedId("alias/aws/dynamodb")}`
        : isUnknown(key) || String(key).startsWith("arn:")
          ? key
          : `arn:aws:kms:${r.region}:${r.account}:key/${String(key)}`;
    const description = { status: "ENABLED", ssetype: "KMS", kmsmasterKeyArn: keyArn };
    configuration.ssedescription = isUnknown(enabled) ? enabled : description;
  }
  const pitr = flag(field(p.PointInTimeRecoverySpecification, "PointInTimeRecoveryEnabled"), false);
  return {
    configuration,
    supplementaryConfiguration: {
      ContinuousBackupsDescription: {
        continuousBackupsStatus: "ENABLED",
        pointInTimeRecoveryDescription: {
          pointInTimeRecoveryStatus: pitr === true ? "ENABLED" : pitr === false ? "DISABLED" : pitr,
        },
      },
    },
    arn,
    name,
    configResourceId: name,
    origins: own(id, {
      "supplementaryConfiguration.ContinuousBackupsDescription": "PointInTimeRecoverySpecification",
      "configuration.billingModeSummary": "BillingMode",
      "configuration.deletionProtectionEnabled": "DeletionProtectionEnabled",
      "configuration.ssedescription": "SSESpecification",
    }),
  };
};
