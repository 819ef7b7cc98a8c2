// The scheduled reconciler of the member StackSet, bundled to dist/handlers/stackset-reconciler.mjs
// (management template). Automatic deployment reaches a new account once; when that fails (its
// Config recorder did not exist yet, a quota, a throttle) the instance stays OUTDATED and the
// account has no rules. Each run lists the instances (ListStackInstances) and redeploys the
// OUTDATED ones with one UpdateStackInstances call, limited to their accounts (INTERSECTION with
// their OUs) and regions. Environment: STACK_SET_NAME, CALL_AS (SELF or DELEGATED_ADMIN).

import { Logger } from "@aws-lambda-powertools/logger";
import {
  type CallAs,
  CloudFormationClient,
  OperationInProgressException,
  paginateListStackInstances,
  type StackInstanceSummary,
  UpdateStackInstancesCommand,
} from "@aws-sdk/client-cloudformation";
import { planReconcile, type ReconcilePlan } from "./reconciler/plan.ts";

const logger = new Logger({ serviceName: "stackset-reconciler" });

export interface ReconcileOutcome extends ReconcilePlan {
  /** The operation started, when one was. */
  operationId?: string;
  /** Another operation was running: nothing started, the next run retries. */
  busy?: boolean;
}

export interface ReconcileOptions {
  stackSetName: string;
  callAs: CallAs;
}

export async function reconcile(
  client: CloudFormationClient,
  options: ReconcileOptions,
): Promise<ReconcileOutcome> {
  const instances: StackInstanceSummary[] = [];
  const pages = paginateListStackInstances(
    { client },
    { StackSetName: options.stackSetName, CallAs: options.callAs },
  );
  for await (const page of pages) instances.push(...(page.Summaries ?? []));
  const plan = planReconcile(instances);
  if (plan.inoperable.length > 0) {
    logger.warn("inoperable stack instances: delete them with RetainStacks, then let the next run recreate", {
      instances: plan.inoperable,
    });
  }
  if (plan.outdated === 0 || plan.organizationalUnitIds.length === 0) return plan;
  try {
    const started = await client.send(
      new UpdateStackInstancesCommand({
        StackSetName: options.stackSetName,
        CallAs: options.callAs,
        Regions: plan.regions,
        DeploymentTargets: {
          OrganizationalUnitIds: plan.organizationalUnitIds,
          Accounts: plan.accounts,
          AccountFilterType: "INTERSECTION",
        },
        OperationPreferences: {
          RegionConcurrencyType: "PARALLEL",
          ConcurrencyMode: "SOFT_FAILURE_TOLERANCE",
          MaxConcurrentPercentage: 25,
          FailureTolerancePercentage: 10,
        },
      }),
    );
    logger.info("redeploying outdated stack instances", { ...plan, operationId: started.OperationId });
    return { ...plan, operationId: started.OperationId };
  } catch (error) {
    if (error instanceof OperationInProgressException) {
      logger.info("another StackSet operation is running; the next run retries", { outdated: plan.outdated });
      return { ...plan, busy: true };
    }
    throw error;
  }
}

/** The Lambda entry point (an EventBridge schedule). */
export async function handler(): Promise<ReconcileOutcome> {
  const stackSetName = process.env.STACK_SET_NAME;
  if (!stackSetName) throw new Error("STACK_SET_NAME is not set");
  const callAs = process.env.CALL_AS === "DELEGATED_ADMIN" ? "DELEGATED_ADMIN" : "SELF";
  return reconcile(new CloudFormationClient({}), { stackSetName, callAs });
}
