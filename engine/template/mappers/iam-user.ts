// AWS::IAM::User as AWS Config records it: GetUser / GetUserPolicy / ListAttachedUserPolicies /
// ListGroupsForUser fields, inline documents URL-encoded as Config records IAM documents, region
// "global". Folded in as Config records them on the user: the template's AWS::IAM::Policy naming
// the user in `Users` (inline policies), AWS::IAM::ManagedPolicy naming it in `Users` (attached
// policies) and AWS::IAM::UserToGroupAddition naming it (groups). Path defaults to "/" (IAM API
// reference, CreateUser).

import { isObj } from "../types.ts";
import { companions, type Mapper, own } from "./helpers.ts";

const encode = (document: unknown) => encodeURIComponent(JSON.stringify(document));

export const iamUser: Mapper = (r, id, p) => {
  const arn = r.attribute(id, "Arn");
  const name = r.name(id);
  const inline = companions(r, "AWS::IAM::Policy", "Users", [name]);
  const managedCompanions = companions(r, "AWS::IAM::ManagedPolicy", "Users", [name]);
  const groupAdditions = companions(r, "AWS::IAM::UserToGroupAddition", "Users", [name]);
  const policies = [
    ...(Array.isArray(p.Policies) ? p.Policies.filter(isObj) : []),
    ...inline.map((pid) => r.properties(pid)),
  ];
  const managed = [
    ...(Array.isArray(p.ManagedPolicyArns) ? p.ManagedPolicyArns : []),
    ...managedCompanions.map((pid) => r.ref(pid)),
  ];
  const groups = [
    ...(Array.isArray(p.Groups) ? p.Groups : []),
    ...groupAdditions.map((gid) => r.properties(gid).GroupName),
  ];
  const configuration: Record<string, unknown> = {
    path: p.Path ?? "/",
    userName: name,
    userId: `AIDA${r.generatedId(id).replace(/-/g, "").slice(0, 17).toUpperCase()}`,
    arn,
    userPolicyList: policies.map((policy) => ({
      policyName: policy.PolicyName,
      policyDocument: encode(policy.PolicyDocument),
    })),
    groupList: groups,
    attachedManagedPolicies: managed.map((policyArn) => ({
      policyArn,
      policyName: String(policyArn).split("/").pop(),
    })),
  };
  if (p.PermissionsBoundary !== undefined) {
    configuration.permissionsBoundary = {
      permissionsBoundaryType: "PermissionsBoundaryPolicy",
      permissionsBoundaryArn: p.PermissionsBoundary,
    };
  }
  return {
    configuration,
    arn,
    name,
    configResourceId: name,
    region: "global",
    origins: [
      ...own(id, {
        "configuration.userPolicyList": "Policies",
        "configuration.attachedManagedPolicies": "ManagedPolicyArns",
      }),
      ...inline.map((pid) => ({ path: "configuration.userPolicyList", resource: pid, property: [] })),
      ...managedCompanions.map((pid) => ({
        path: "configuration.attachedManagedPolicies",
        resource: pid,
        property: ["Users"],
      })),
    ],
  };
};
