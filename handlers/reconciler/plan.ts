// Which stack instances of the member StackSet the reconciler redeploys: those CloudFormation
// marks OUTDATED (the last operation on them failed, was cancelled, or never reached them, e.g. an
// account enrolled before its Config recorder existed). INOPERABLE instances need a person
// (delete with RetainStacks) and are only reported; CURRENT ones are left alone.

import type { StackInstanceSummary } from "@aws-sdk/client-cloudformation";

export interface ReconcilePlan {
  /** Accounts, regions and their OUs of the OUTDATED instances: one UpdateStackInstances call. */
  accounts: string[];
  regions: string[];
  organizationalUnitIds: string[];
  outdated: number;
  inoperable: string[];
  current: number;
}

const sorted = (values: Set<string>) => [...values].sort();

export function planReconcile(instances: StackInstanceSummary[]): ReconcilePlan {
  const accounts = new Set<string>();
  const regions = new Set<string>();
  const ous = new Set<string>();
  const inoperable: string[] = [];
  let outdated = 0;
  let current = 0;
  for (const instance of instances) {
    const where = `${instance.Account ?? "?"}/${instance.Region ?? "?"}`;
    if (instance.Status === "INOPERABLE") inoperable.push(where);
    else if (instance.Status === "OUTDATED") {
      // A running operation already handles it; the next run sees its result.
      if (instance.StackInstanceStatus?.DetailedStatus === "RUNNING") continue;
      if (!instance.Account || !instance.Region) continue;
      outdated++;
      accounts.add(instance.Account);
      regions.add(instance.Region);
      if (instance.OrganizationalUnitId) ous.add(instance.OrganizationalUnitId);
    } else current++;
  }
  return {
    accounts: sorted(accounts),
    regions: sorted(regions),
    organizationalUnitIds: sorted(ous),
    outdated,
    inoperable: inoperable.sort(),
    current,
  };
}
