// The request a CloudFormation Lambda hook receives for a resource operation, as AWS documents it
// ("Create Lambda functions to evaluate resources for Lambda Hooks", CloudFormation Hooks User
// Guide: https://docs.aws.amazon.com/cloudformation-cli/latest/hooks-userguide/lambda-hooks-create-lambda-function.html):
//   { clientRequestToken, awsAccountId, stackId, changeSetId, hookTypeName, hookTypeVersion,
//     hookModel: { LambdaFunction }, actionInvocationPoint: CREATE_PRE_PROVISION |
//     UPDATE_PRE_PROVISION | DELETE_PRE_PROVISION,
//     requestData: { targetName, targetType, targetLogicalId,
//                    targetModel: { resourceProperties, previousResourceProperties } },
//     requestContext: { invocation, callbackContext } }
// CloudFormation has resolved the intrinsic functions by then; values may arrive as strings.

// Checked with Zod Mini (zod's tree-shakable form: the hook's bundle carries only what this schema
// uses) and zod's English messages.

import { en } from "zod/locales";
import * as z from "zod/mini";

z.config(en());

const properties = z.nullish(z.record(z.string(), z.unknown()));

export const hookRequestSchema = z.object({
  clientRequestToken: z.optional(z.string()),
  awsAccountId: z.optional(z.string()),
  stackId: z.optional(z.string()),
  actionInvocationPoint: z.enum(["CREATE_PRE_PROVISION", "UPDATE_PRE_PROVISION", "DELETE_PRE_PROVISION"]),
  requestData: z.object({
    targetName: z.string(),
    targetType: z.optional(z.string()),
    targetLogicalId: z.optional(z.string()),
    targetModel: z.nullish(
      z.object({ resourceProperties: properties, previousResourceProperties: properties }),
    ),
  }),
});

export type HookRequest = z.infer<typeof hookRequestSchema>;

/** The request, or the reason it is not one (one line naming the field). */
export function parseHookRequest(event: unknown): { request: HookRequest } | { problem: string } {
  const parsed = hookRequestSchema.safeParse(event);
  if (parsed.success) return { request: parsed.data };
  const issue = parsed.error.issues[0];
  return {
    problem: `malformed hook request: ${issue?.path.join(".") || "(event)"}: ${issue?.message ?? "invalid"}`,
  };
}

/** The region of the stack, from its ARN (`arn:aws:cloudformation:REGION:...`). */
export const regionOfStack = (stackId: string | undefined): string | undefined =>
  stackId?.split(":")[3] || undefined;
