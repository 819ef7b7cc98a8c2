// AWS::S3::Bucket as AWS Config records it: `configuration` {name, owner, creationDate} and the
// bucket's settings in supplementaryConfiguration (camelCase members as the real items have them):
// BucketPolicy.policyText from the AWS::S3::BucketPolicy naming the bucket,
// PublicAccessBlockConfiguration, ServerSideEncryptionConfiguration, BucketVersioningConfiguration,
// BucketLoggingConfiguration. AWS defaults for a new bucket:
//   - default encryption SSE-S3 (AES256) for every new bucket since 2023-01-05 (S3 user guide,
//     "Setting default server-side encryption behavior for Amazon S3 buckets");
//   - S3 Block Public Access all four settings on for every new bucket since April 2023 (S3 user
//     guide, "Blocking public access to your Amazon S3 storage"); a template that sets
//     PublicAccessBlockConfiguration sets each member, and an omitted member is false;
//   - versioning never enabled (status "Off"), no access logging.

import { isObj } from "../types.ts";
import { companions, field, flag, type Mapper, num, own } from "./helpers.ts";

export const s3Bucket: Mapper = (r, id, p) => {
  const arn = r.attribute(id, "Arn");
  const name = r.name(id);
  const policies = companions(r, "AWS::S3::BucketPolicy", "Bucket", [name]);
  const block = p.PublicAccessBlockConfiguration;
  const setting = (key: string) => (block === undefined ? true : flag(field(block, key), false));
  const encryption = field(p.BucketEncryption, "ServerSideEncryptionConfiguration");
  const rules = Array.isArray(encryption)
    ? encryption.filter(isObj).map((rule) => {
        const byDefault = rule.ServerSideEncryptionByDefault;
        const out: Record<string, unknown> = {
          applyServerSideEncryptionByDefault: {
            sseAlgorithm: field(byDefault, "SSEAlgorithm"),
            ...(field(byDefault, "KMSMasterKeyID") === undefined
              ? {}
              : { kmsMasterKeyID: field(byDefault, "KMSMasterKeyID") }),
          },
          bucketKeyEnabled: flag(rule.BucketKeyEnabled, false),
        };
        return out;
      })
    : encryption === undefined
      ? [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: false }]
      : encryption;
  const logging = p.LoggingConfiguration;
  const supplementaryConfiguration: Record<string, unknown> = {
    PublicAccessBlockConfiguration: {
      blockPublicAcls: setting("BlockPublicAcls"),
      ignorePublicAcls: setting("IgnorePublicAcls"),
      blockPublicPolicy: setting("BlockPublicPolicy"),
      restrictPublicBuckets: setting("RestrictPublicBuckets"),
    },
    ServerSideEncryptionConfiguration: { rules },
    BucketVersioningConfiguration: { status: field(p.VersioningConfiguration, "Status") ?? "Off" },
    BucketLoggingConfiguration:
      logging === undefined
        ? { destinationBucketName: null, logFilePrefix: null }
        : {
            destinationBucketName: field(logging, "DestinationBucketName") ?? name,
            logFilePrefix: field(logging, "LogFilePrefix") ?? null,
          },
    IsRequesterPaysEnabled: false,
  };
  // Lifecycle rules as Config records them (camelCase: id, status, expirationInDays...); none by default.
  const lifecycle = field(p.LifecycleConfiguration, "Rules");
  if (lifecycle !== undefined) {
    supplementaryConfiguration.BucketLifecycleConfiguration = {
      rules: Array.isArray(lifecycle)
        ? lifecycle.filter(isObj).map((rule) => ({
            id: rule.Id,
            status: rule.Status,
            ...(rule.ExpirationInDays === undefined ? {} : { expirationInDays: num(rule.ExpirationInDays) }),
            ...(rule.Prefix === undefined ? {} : { prefix: rule.Prefix }),
          }))
        : lifecycle,
    };
  }
  const missing = r.missingCompanion(id, "AWS::S3::BucketPolicy");
  if (policies[0]) {
    supplementaryConfiguration.BucketPolicy = {
      policyText: JSON.stringify(r.properties(policies[0]).PolicyDocument),
    };
  } else if (missing) {
    supplementaryConfiguration.BucketPolicy = missing;
  }
  return {
    configuration: { name, owner: { id: r.account }, creationDate: null },
    supplementaryConfiguration,
    arn,
    name,
    configResourceId: name,
    origins: [
      ...own(id, {
        "supplementaryConfiguration.PublicAccessBlockConfiguration": "PublicAccessBlockConfiguration",
        "supplementaryConfiguration.ServerSideEncryptionConfiguration": "BucketEncryption",
        "supplementaryConfiguration.BucketVersioningConfiguration": "VersioningConfiguration",
        "supplementaryConfiguration.BucketLoggingConfiguration": "LoggingConfiguration",
        "supplementaryConfiguration.BucketLifecycleConfiguration": "LifecycleConfiguration",
      }),
      {
        path: "supplementaryConfiguration.BucketPolicy",
        resource: policies[0] ?? id,
        property: policies[0] ? ["PolicyDocument"] : [],
      },
    ],
  };
};
