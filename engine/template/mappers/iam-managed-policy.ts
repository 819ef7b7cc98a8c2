// AWS::IAM::ManagedPolicy is what AWS Config records as an AWS::IAM::Policy: GetPolicy's fields and
// the default version's document (URL-encoded, as Config records IAM documents), region "global".
// A new managed policy has one version, v1, the default (IAM API reference, CreatePolicy).

import { type Mapper, own } from "./helpers.ts";

export const iamManagedPolicy: Mapper = (r, id, p) => {
  const arn = r.ref(id);
  const name = r.name(id);
  const attached = ["Roles", "Users", "Groups"].reduce(
    (n, k) => n + (Array.isArray(p[k]) ? p[k].length : 0),
    0,
  );
  return {
    configType: "AWS::IAM::Policy",
    configuration: {
      policyName: name,
      arn,
      path: p.Path ?? "/",
      defaultVersionId: "v1",
      attachmentCount: attached,
      isAttachable: true,
      description: p.Description ?? "",
      policyVersionList: [
        {
          document: encodeURIComponent(JSON.stringify(p.PolicyDocument)),
          versionId: "v1",
          isDefaultVersion: true,
        },
      ],
    },
    arn,
    name,
    configResourceId: name,
    region: "global",
    origins: own(id, { "configuration.policyVersionList": "PolicyDocument" }),
  };
};
