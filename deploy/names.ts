// The names of everything the engine deploys. The templates create these names and the SCP's
// protection statement denies changes to them, so both read them from here and cannot drift.

/** Every engine resource name starts with this: the SCP protects `compliance-*`. */
export const PREFIX = "compliance-";

/** The Config rule of a catalogue service: `compliance-<service>`. */
export const configRuleName = (service: string): string => `${PREFIX}${service}`;

/** The rule that flags resources of services the catalogue does not allow. */
export const ALLOWED_SERVICES_RULE_NAME = `${PREFIX}allowed-services`;

export const EVALUATOR_FUNCTION = `${PREFIX}evaluator`;
export const HOOK_FUNCTION = `${PREFIX}hook`;
/** The hook's type name alias (Name1::Name2::Name3, not starting with AWS). */
export const HOOK_ALIAS = "Compliance::Engine::Hook";
export const NOTIFIER_FUNCTION = `${PREFIX}notifier`;
/** Lambda's default log group of a function. */
export const logGroupOf = (functionName: string): string => `/aws/lambda/${functionName}`;

export const FINDINGS_BUS = `${PREFIX}findings`;
export const FORWARD_RULE = `${PREFIX}forward-findings`;
export const FORWARD_DLQ = `${PREFIX}forward-dlq`;
export const FINDINGS_RULE = `${PREFIX}findings-to-queue`;
export const FINDINGS_QUEUE = `${PREFIX}findings`;
export const FINDINGS_DLQ = `${PREFIX}findings-dlq`;
export const OWNER_TOPIC = `${PREFIX}owner-findings`;
export const CISO_TOPIC = `${PREFIX}ciso-findings`;
export const OWNER_SYNC_RULE = `${PREFIX}sync-owners`;
export const DIGEST_RULE = `${PREFIX}digest`;
export const RETRY_PENDING_RULE = `${PREFIX}retry-pending`;
export const KEY_ALIAS = `alias/${PREFIX}engine`;
/** Queues of the asynchronous invocations that failed every retry (Lambda on-failure destinations). */
export const EVALUATOR_FAILURES_QUEUE = `${PREFIX}evaluator-failures`;
export const NOTIFIER_FAILURES_QUEUE = `${PREFIX}notifier-failures`;

/**
 * The tag on the engine's Config rules, KMS keys and event-source mapping, whose ARNs do not hold
 * the engine's name: the SCP protects them by `aws:ResourceTag/compliance-engine` = `true`, as AWS
 * Control Tower protects its own rules by its tag.
 */
export const ENGINE_TAG = { Key: "compliance-engine", Value: "true" } as const;
export const MEMBER_STACK_SET = `${PREFIX}member`;

/**
 * IAM roles are global but a stack set deploys one stack per region: member roles carry the
 * region in their name so the stacks of two regions do not collide.
 */
export const EVALUATOR_ROLE = `${PREFIX}evaluator-\${AWS::Region}`;
export const FORWARDER_ROLE = `${PREFIX}forwarder-\${AWS::Region}`;
export const HOOK_ROLE = `${PREFIX}hook-\${AWS::Region}`;
export const HOOK_EXECUTION_ROLE = `${PREFIX}hook-invoker-\${AWS::Region}`;
export const NOTIFIER_ROLE = `${PREFIX}notifier-\${AWS::Region}`;

/** The handler entry points inside the packaged bundles (dist/handlers/<name>.mjs). */
export const EVALUATOR_HANDLER = "config-rule.handler";
export const HOOK_HANDLER = "hook.handler";
export const NOTIFIER_HANDLER = "notifier.handler";

/** The Lambda runtime of both functions: Node.js 20 is past its end of life. */
export const LAMBDA_RUNTIME = "nodejs22.x";
export const LAMBDA_ARCHITECTURE = "arm64";
