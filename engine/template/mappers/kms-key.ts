// AWS::KMS::Key as AWS Config records it: DescribeKey's fields; supplementaryConfiguration.Policy
// and KeyRotationStatus. Defaults from the AWS::KMS::Key reference: Enabled true, KeyUsage
// ENCRYPT_DECRYPT, KeySpec SYMMETRIC_DEFAULT, Origin AWS_KMS, MultiRegion false,
// EnableKeyRotation false; PendingWindowInDays only applies on deletion.

import { flag, type Mapper, own } from "./helpers.ts";

export const kmsKey: Mapper = (r, id, p) => {
  const keyId = r.ref(id);
  const arn = r.attribute(id, "Arn");
  const enabled = flag(p.Enabled, true);
  return {
    configuration: {
      keyId,
      arn,
      awsaccountId: r.account,
      enabled,
      description: p.Description ?? "",
      keyUsage: p.KeyUsage ?? "ENCRYPT_DECRYPT",
      keyState: enabled === true ? "Enabled" : enabled === false ? "Disabled" : enabled,
      origin: p.Origin ?? "AWS_KMS",
      keyManager: "CUSTOMER",
      customerMasterKeySpec: p.KeySpec ?? "SYMMETRIC_DEFAULT",
      keySpec: p.KeySpec ?? "SYMMETRIC_DEFAULT",
      encryptionAlgorithms: ["SYMMETRIC_DEFAULT"],
      signingAlgorithms: [],
      multiRegion: flag(p.MultiRegion, false),
    },
    supplementaryConfiguration: {
      Policy: JSON.stringify(p.KeyPolicy),
      KeyRotationStatus: flag(p.EnableKeyRotation, false),
    },
    arn,
    name: keyId,
    configResourceId: keyId,
    origins: own(id, {
      "supplementaryConfiguration.Policy": "KeyPolicy",
      "supplementaryConfiguration.KeyRotationStatus": "EnableKeyRotation",
      "configuration.keyState": "Enabled",
    }),
  };
};
