// The resources a rule has evaluated COMPLIANT or NON_COMPLIANT (GetComplianceDetailsByConfigRule,
// paged, at most 100 a page): the sweep marks those that no longer exist NOT_APPLICABLE.

import {
  type ConfigServiceClient,
  GetComplianceDetailsByConfigRuleCommand,
} from "@aws-sdk/client-config-service";

export const COMPLIANCE_PAGE_LIMIT = 100;

export interface EvaluatedResource {
  resourceType: string;
  resourceId: string;
}

export async function evaluatedResources(
  client: ConfigServiceClient,
  configRuleName: string,
): Promise<EvaluatedResource[]> {
  const out: EvaluatedResource[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new GetComplianceDetailsByConfigRuleCommand({
        ConfigRuleName: configRuleName,
        ComplianceTypes: ["COMPLIANT", "NON_COMPLIANT"],
        Limit: COMPLIANCE_PAGE_LIMIT,
        ...(nextToken ? { NextToken: nextToken } : {}),
      }),
    );
    for (const r of page.EvaluationResults ?? []) {
      const q = r.EvaluationResultIdentifier?.EvaluationResultQualifier;
      if (q?.ResourceType && q.ResourceId)
        out.push({ resourceType: q.ResourceType, resourceId: q.ResourceId });
    }
    nextToken = page.NextToken || undefined;
  } while (nextToken);
  return out;
}
