// What a rule has recorded so far (GetComplianceDetailsByConfigRule, paged, at most 100 a page):
// the sweep marks the COMPLIANT / NON_COMPLIANT resources that no longer exist NOT_APPLICABLE, and
// does not write again an evaluation whose compliance and annotation are what Config already
// holds (PutEvaluations is billed per evaluation, and a sweep of an unchanged account would
// otherwise re-write every resource every time).

import {
  type ConfigServiceClient,
  GetComplianceDetailsByConfigRuleCommand,
} from "@aws-sdk/client-config-service";
import { pages } from "../shared/paging.ts";

export const COMPLIANCE_PAGE_LIMIT = 100;

export interface EvaluatedResource {
  resourceType: string;
  resourceId: string;
  complianceType: string;
  annotation?: string;
}

export async function evaluatedResources(
  client: ConfigServiceClient,
  configRuleName: string,
): Promise<EvaluatedResource[]> {
  const out: EvaluatedResource[] = [];
  const resultPages = pages(
    "Config GetComplianceDetailsByConfigRule",
    (nextToken) =>
      client.send(
        new GetComplianceDetailsByConfigRuleCommand({
          ConfigRuleName: configRuleName,
          ComplianceTypes: ["COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE"],
          Limit: COMPLIANCE_PAGE_LIMIT,
          ...(nextToken ? { NextToken: nextToken } : {}),
        }),
      ),
    (page) => page.NextToken,
  );
  for await (const page of resultPages) {
    for (const r of page.EvaluationResults ?? []) {
      const q = r.EvaluationResultIdentifier?.EvaluationResultQualifier;
      if (!q?.ResourceType || !q.ResourceId || !r.ComplianceType) continue;
      const resource: EvaluatedResource = {
        resourceType: q.ResourceType,
        resourceId: q.ResourceId,
        complianceType: r.ComplianceType,
      };
      if (r.Annotation) resource.annotation = r.Annotation;
      out.push(resource);
    }
  }
  return out;
}
