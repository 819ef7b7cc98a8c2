// AWS::Lambda::Function as AWS Config records it: GetFunctionConfiguration's fields (camelCase,
// `kmskeyArn` as Config spells it, `vpcConfig` with empty lists outside a VPC) and, in
// supplementaryConfiguration.Policy, the resource policy that the template's
// AWS::Lambda::Permission resources build (one statement each, as AddPermission writes it).
// Defaults from the Lambda API reference (CreateFunction): Timeout 3, MemorySize 128,
// Architectures [x86_64], PackageType Zip, TracingConfig PassThrough, EphemeralStorage 512.

import type { Obj } from "../types.ts";
import { companions, field, list, type Mapper, num, own } from "./helpers.ts";

export const lambdaFunction: Mapper = (r, id, p) => {
  const arn = r.attribute(id, "Arn");
  const name = r.name(id);
  const permissions = companions(r, "AWS::Lambda::Permission", "FunctionName", [arn, name, r.ref(id)]);
  const statements = permissions.map((pid) => {
    const perm = r.properties(pid);
    const principal = String(perm.Principal ?? "");
    const statement: Obj = {
      Sid: pid,
      Effect: "Allow",
      // AddPermission: a service principal ends in amazonaws.com; an account id or ARN is an AWS principal.
      Principal:
        principal === "*"
          ? "*"
          : principal.endsWith(".amazonaws.com")
            ? { Service: principal }
            : { AWS: principal },
      Action: perm.Action,
      Resource: arn,
    };
    const condition: Obj = {};
    if (perm.SourceAccount) condition.StringEquals = { "AWS:SourceAccount": perm.SourceAccount };
    if (perm.SourceArn) condition.ArnLike = { "AWS:SourceArn": perm.SourceArn };
    if (perm.PrincipalOrgID) {
      condition.StringEquals = {
        ...(condition.StringEquals as Obj | undefined),
        "aws:PrincipalOrgID": perm.PrincipalOrgID,
      };
    }
    if (perm.FunctionUrlAuthType) {
      condition.StringEquals = {
        ...(condition.StringEquals as Obj | undefined),
        "lambda:FunctionUrlAuthType": perm.FunctionUrlAuthType,
      };
    }
    if (Object.keys(condition).length > 0) statement.Condition = condition;
    return statement;
  });
  const vpc = p.VpcConfig;
  const configuration: Obj = {
    functionName: name,
    functionArn: arn,
    runtime: p.Runtime,
    role: p.Role,
    handler: p.Handler,
    description: p.Description ?? "",
    timeout: num(p.Timeout, 3),
    memorySize: num(p.MemorySize, 128),
    architectures: p.Architectures ?? ["x86_64"],
    packageType: p.PackageType ?? "Zip",
    tracingConfig: { mode: field(p.TracingConfig, "Mode") ?? "PassThrough" },
    vpcConfig: {
      subnetIds: list(field(vpc, "SubnetIds")),
      securityGroupIds: list(field(vpc, "SecurityGroupIds")),
    },
    ephemeralStorage: { size: num(field(p.EphemeralStorage, "Size"), 512) },
    state: { value: "Active" },
    version: "$LATEST",
  };
  if (p.KmsKeyArn !== undefined) configuration.kmskeyArn = p.KmsKeyArn;
  if (p.DeadLetterConfig !== undefined)
    configuration.deadLetterConfig = { targetArn: field(p.DeadLetterConfig, "TargetArn") };
  const supplementaryConfiguration: Obj = {};
  if (statements.length > 0) {
    supplementaryConfiguration.Policy = JSON.stringify({
      Version: "2012-10-17",
      Id: "default",
      Statement: statements,
    });
  }
  if (p.ReservedConcurrentExecutions !== undefined) {
    supplementaryConfiguration.Concurrency = {
      reservedConcurrentExecutions: num(p.ReservedConcurrentExecutions),
    };
  }
  return {
    configuration,
    supplementaryConfiguration,
    arn,
    name,
    configResourceId: name,
    origins: [
      ...own(id, {
        "configuration.runtime": "Runtime",
        "configuration.vpcConfig": "VpcConfig",
        "configuration.kmskeyArn": "KmsKeyArn",
        "configuration.tracingConfig": "TracingConfig",
        "configuration.packageType": "PackageType",
        "configuration.deadLetterConfig": "DeadLetterConfig",
      }),
      ...permissions.map((pid) => ({
        path: "supplementaryConfiguration.Policy",
        resource: pid,
        property: [],
      })),
    ],
  };
};
