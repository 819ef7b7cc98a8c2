// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub strings, not JavaScript templates
// The proactive part of the member template, off by default: a CloudFormation Lambda hook
// (`AWS::CloudFormation::LambdaHook`) that judges every resource a stack of the account creates or
// updates with the catalogue before it is provisioned (dist/handlers/hook.mjs), its function and
// log group, the function's role, and the execution role CloudFormation assumes to invoke it.
// Target filters: the resource types the catalogue has controls for. Stack filters: the engine's
// own stacks are excluded (this stack, and the names given in HookExcludedStacks).
// FailureMode WARN first (deployments proceed, with the findings as warnings), FAIL once teams
// have fixed their templates (docs/DEPLOYMENT.md, "The CloudFormation hook").

import type { Catalogue } from "../engine/catalogue.ts";
import { configTypeOf, mappedTypes } from "../engine/template/index.ts";
import {
  allow,
  getAtt,
  type Json,
  type JsonObject,
  type Parameter,
  type Resource,
  ref,
  serviceRole,
} from "./cfn.ts";
import { lambdaFunction, runtimeStatements, writeOwnLogs } from "./lambda-function.ts";
import { HOOK_ALIAS, HOOK_EXECUTION_ROLE, HOOK_FUNCTION, HOOK_HANDLER, HOOK_ROLE } from "./names.ts";

export const HOOK_CONDITION = "HookEnabled";

export const HOOK_PARAMETERS: Record<string, Parameter> = {
  EnableHook: {
    Type: "String",
    Description:
      "true: deploy the CloudFormation Lambda hook that judges every stack's resources before they are provisioned.",
    AllowedValues: ["true", "false"],
    Default: "false",
  },
  HookFailureMode: {
    Type: "String",
    Description:
      "WARN: non-compliant resources are deployed with a warning (start here); FAIL: they are blocked.",
    AllowedValues: ["WARN", "FAIL"],
    Default: "WARN",
  },
  HookCodeKey: {
    Type: "String",
    Description:
      "S3 key of hook.zip (npm run package), in the same bucket as the evaluator; needed when EnableHook is true.",
    Default: "",
  },
  HookExcludedStacks: {
    Type: "CommaDelimitedList",
    Description: "Stack names the hook never judges, besides this stack (the engine's own stacks).",
    Default: "compliance-central,compliance-management",
  },
};

export const HOOK_CONDITIONS: JsonObject = {
  [HOOK_CONDITION]: { "Fn::Equals": [ref("EnableHook"), "true"] },
};

const conditional = (resource: Resource): Resource => ({ ...resource, Condition: HOOK_CONDITION });

/** The hook's resources, each under the HookEnabled condition. */
export function hookResources(
  catalogue: Catalogue,
  codeBucket: Json,
  keyArn: Json,
): Record<string, Resource> {
  // CloudFormation type names (a template's `Type`), not the Config types their controls are
  // written for: the types the template path maps whose Config type has change-triggered controls.
  const targetNames = [...mappedTypes()]
    .filter((type) =>
      (catalogue.byResourceType.get(configTypeOf(type)) ?? []).some((c) => c.evaluation !== "periodic"),
    )
    .sort();
  const { logGroup, fn } = lambdaFunction({
    functionName: HOOK_FUNCTION,
    description:
      "Compliance engine: CloudFormation hook, judges resources before they are provisioned (hook.handler)",
    handler: HOOK_HANDLER,
    roleLogicalId: "HookFunctionRole",
    codeBucket,
    codeKey: ref("HookCodeKey"),
    memorySize: 512,
    // CloudFormation waits up to 30 seconds for a Lambda hook.
    timeout: 30,
    environment: { LOG_LEVEL: "INFO", CIA_RATING: ref("CiaRating") },
    logGroupLogicalId: "HookLogGroup",
    kmsKeyArn: keyArn,
    retainLogs: false,
  });
  const functionRole = serviceRole({
    roleName: HOOK_ROLE,
    description: "Compliance engine hook function: writes its own logs (it calls no other AWS API)",
    service: "lambda.amazonaws.com",
    policyName: "hook-function",
    statements: [writeOwnLogs("HookLogGroup"), ...runtimeStatements(keyArn)],
  });
  const executionRole = serviceRole({
    roleName: HOOK_EXECUTION_ROLE,
    description: "Compliance engine: CloudFormation Hooks invoke the hook function",
    service: "hooks.cloudformation.amazonaws.com",
    policyName: "invoke-hook-function",
    statements: [allow("InvokeHookFunction", ["lambda:InvokeFunction"], getAtt("HookFunction", "Arn"))],
    sourceAccount: true,
  });
  const hook: Resource = {
    Type: "AWS::CloudFormation::LambdaHook",
    Properties: {
      Alias: HOOK_ALIAS,
      ExecutionRole: getAtt("HookExecutionRole", "Arn"),
      FailureMode: ref("HookFailureMode"),
      HookStatus: "ENABLED",
      LambdaFunction: getAtt("HookFunction", "Arn"),
      TargetOperations: ["RESOURCE"],
      TargetFilters: {
        Targets: targetNames.flatMap((TargetName) =>
          ["CREATE", "UPDATE", "DELETE"].map((Action) => ({
            TargetName,
            Action,
            InvocationPoint: "PRE_PROVISION",
          })),
        ),
      },
      StackFilters: {
        FilteringCriteria: "ALL",
        StackNames: {
          Exclude: {
            "Fn::Split": [
              ",",
              {
                "Fn::Join": [",", [ref("AWS::StackName"), { "Fn::Join": [",", ref("HookExcludedStacks")] }]],
              },
            ],
          },
        },
      },
    },
  };
  return {
    HookLogGroup: conditional(logGroup),
    HookFunctionRole: conditional(functionRole),
    HookFunction: conditional(fn),
    HookExecutionRole: conditional(executionRole),
    ComplianceHook: conditional(hook),
  };
}
