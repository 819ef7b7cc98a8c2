// AWS::IAM::Role as AWS Config records it: GetRole / GetRolePolicy / ListAttachedRolePolicies
// fields, policy documents URL-encoded as Config records them, region "global". Path defaults to "/".

import { isObj } from "../types.ts";
import { companions, type Mapper, own } from "./helpers.ts";

const encode = (document: unknown) => encodeURIComponent(JSON.stringify(document));

export const iamRole: Mapper = (r, id, p) => {
  const arn = r.attribute(id, "Arn");
  const name = r.name(id);
  const inline = companions(r, "AWS::IAM::Policy", "Roles", [name]).map((pid) => r.properties(pid));
  const policies = [...(Array.isArray(p.Policies) ? p.Policies.filter(isObj) : []), ...inline];
  const managed = Array.isArray(p.ManagedPolicyArns) ? p.ManagedPolicyArns : [];
  return {
    configuration: {
      path: p.Path ?? "/",
      roleName: name,
      roleId: `AROA${r.generatedId(id).replace(/-/g, "").slice(0, 17).toUpperCase()}`,
      arn,
      assumeRolePolicyDocument: encode(p.AssumeRolePolicyDocument),
      instanceProfileList: [],
      rolePolicyList: policies.map((policy) => ({
        policyName: policy.PolicyName,
        policyDocument: encode(policy.PolicyDocument),
      })),
      attachedManagedPolicies: managed.map((policyArn) => ({
        policyArn,
        policyName: String(policyArn).split("/").pop(),
      })),
    },
    arn,
    name,
    configResourceId: name,
    region: "global",
    origins: own(id, {
      "configuration.assumeRolePolicyDocument": "AssumeRolePolicyDocument",
      "configuration.rolePolicyList": "Policies",
      "configuration.attachedManagedPolicies": "ManagedPolicyArns",
    }),
  };
};
