// The StackSet reconciler, with the CloudFormation client mocked (aws-sdk-client-mock): every page
// of ListStackInstances is read, OUTDATED instances are redeployed in one UpdateStackInstances
// call limited to their accounts and regions, and nothing is started when all are CURRENT.

import {
  CloudFormationClient,
  ListStackInstancesCommand,
  OperationInProgressException,
  type StackInstanceSummary,
  UpdateStackInstancesCommand,
} from "@aws-sdk/client-cloudformation";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { planReconcile } from "../../../handlers/reconciler/plan.ts";
import { reconcile } from "../../../handlers/stackset-reconciler.ts";

const cfn = mockClient(CloudFormationClient);
const options = { stackSetName: "compliance-member", callAs: "SELF" as const };

const instance = (
  account: string,
  region: string,
  status: StackInstanceSummary["Status"],
  detailed?: "FAILED" | "RUNNING" | "SUCCEEDED" | "CANCELLED",
  ou = "ou-abcd-11111111",
): StackInstanceSummary => ({
  StackSetId: "compliance-member:1",
  Account: account,
  Region: region,
  Status: status,
  OrganizationalUnitId: ou,
  ...(detailed ? { StackInstanceStatus: { DetailedStatus: detailed } } : {}),
});

beforeEach(() => cfn.reset());

describe("planReconcile", () => {
  it("takes OUTDATED instances (failed, cancelled), skips running, current and inoperable ones", () => {
    const plan = planReconcile([
      instance("111111111111", "eu-west-1", "OUTDATED", "FAILED"),
      instance("222222222222", "eu-central-1", "OUTDATED", "CANCELLED", "ou-abcd-22222222"),
      instance("333333333333", "eu-west-1", "OUTDATED", "RUNNING"),
      instance("444444444444", "eu-west-1", "CURRENT", "SUCCEEDED"),
      instance("555555555555", "eu-west-1", "INOPERABLE"),
    ]);
    expect(plan).toEqual({
      accounts: ["111111111111", "222222222222"],
      regions: ["eu-central-1", "eu-west-1"],
      organizationalUnitIds: ["ou-abcd-11111111", "ou-abcd-22222222"],
      outdated: 2,
      inoperable: ["555555555555/eu-west-1"],
      current: 1,
    });
  });
});

describe("reconcile", () => {
  it("reads every page and redeploys the outdated instances in one call", async () => {
    cfn
      .on(ListStackInstancesCommand)
      .resolvesOnce({ Summaries: [instance("111111111111", "eu-west-1", "CURRENT")], NextToken: "page-2" })
      .resolvesOnce({ Summaries: [instance("222222222222", "eu-west-1", "OUTDATED", "FAILED")] });
    cfn.on(UpdateStackInstancesCommand).resolves({ OperationId: "op-1" });

    const outcome = await reconcile(new CloudFormationClient({ region: "eu-west-1" }), options);

    // Both pages were requested (the paginator reuses one input object, so only the last token shows).
    const listed = cfn.commandCalls(ListStackInstancesCommand).map(({ args }) => args[0].input);
    expect(listed).toHaveLength(2);
    for (const input of listed)
      expect(input).toMatchObject({ StackSetName: "compliance-member", CallAs: "SELF" });
    expect(listed[1]?.NextToken).toBe("page-2");
    const updates = cfn.commandCalls(UpdateStackInstancesCommand).map((c) => c.args[0].input);
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({
      StackSetName: "compliance-member",
      CallAs: "SELF",
      Regions: ["eu-west-1"],
      DeploymentTargets: {
        OrganizationalUnitIds: ["ou-abcd-11111111"],
        Accounts: ["222222222222"],
        AccountFilterType: "INTERSECTION",
      },
    });
    expect(outcome.operationId).toBe("op-1");
    expect(outcome.outdated).toBe(1);
  });

  it("starts nothing when every instance is current", async () => {
    cfn
      .on(ListStackInstancesCommand)
      .resolves({ Summaries: [instance("111111111111", "eu-west-1", "CURRENT")] });
    const outcome = await reconcile(new CloudFormationClient({ region: "eu-west-1" }), options);
    expect(cfn.commandCalls(UpdateStackInstancesCommand)).toHaveLength(0);
    expect(outcome.operationId).toBeUndefined();
  });

  it("leaves it to the next run when another operation is running", async () => {
    cfn.on(ListStackInstancesCommand).resolves({
      Summaries: [instance("222222222222", "eu-west-1", "OUTDATED", "FAILED")],
    });
    cfn
      .on(UpdateStackInstancesCommand)
      .rejects(
        new OperationInProgressException({ message: "Another operation is in progress", $metadata: {} }),
      );
    const outcome = await reconcile(new CloudFormationClient({ region: "eu-west-1" }), options);
    expect(outcome.busy).toBe(true);
  });
});
