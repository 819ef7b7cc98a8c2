// Sample values for the project's own templates' parameters that have no default, and the account
// and region they are deployed to in the tests: with them the templates hold no unknown value.

import type { TemplateOptions } from "../../engine/template/index.ts";

export const SAMPLE_ACCOUNT = "111122223333";
export const SAMPLE_REGION = "eu-west-1";

export const SAMPLE_OPTIONS: TemplateOptions = {
  account: SAMPLE_ACCOUNT,
  region: SAMPLE_REGION,
  stackName: "compliance-stack",
  parameters: {
    OrganizationId: "o-exampleorg01",
    ManagementAccountId: "444455556666",
    CodeBucket: "compliance-code",
    EvaluatorCodeKey: "compliance/config-rule-0123456789abcdef.zip",
    NotifierCodeKey: "compliance/notifier-0123456789abcdef.zip",
    // Given, so that the reconciler (created only with its code key) is checked too.
    ReconcilerCodeKey: "compliance/stackset-reconciler-0123456789abcdef.zip",
    CentralEventBusArn: "arn:aws:events:eu-west-1:999988887777:event-bus/compliance-findings",
    OrganizationalUnitIds: ["ou-abcd-11111111"],
    Regions: [SAMPLE_REGION],
  },
};
