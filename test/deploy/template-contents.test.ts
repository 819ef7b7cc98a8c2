// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub strings, not JavaScript templates
// What each template must promise: a new account gets the rules automatically, nobody but the
// platform can switch them off, the evaluator's role can do only what the handler needs, the
// notifier is fed by a dead-lettered queue, and the ledger is the one of deploy/ledger-table.ts.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { JsonObject, Resource, Template } from "../../deploy/cfn.ts";
import { LEDGER_KEY_SCHEMA, LEDGER_LOGICAL_ID } from "../../deploy/ledger-table.ts";
import { MAX_SCOPE_TYPES } from "../../deploy/member-template.ts";
import { ALLOWED_SERVICES_RULE_NAME, configRuleName } from "../../deploy/names.ts";
import { readScpSettings } from "../../deploy/scp-settings.ts";
import { synthesise } from "../../deploy/synth.ts";
import { isRecordedType } from "../../engine/catalogue.ts";
import { repositoryCatalogue } from "../support/catalogue.ts";

const catalogue = repositoryCatalogue();
const { templates, scp } = synthesise(catalogue, readScpSettings());
const { management, member, central } = templates;

const ofType = (t: Template, type: string): [string, Resource][] =>
  Object.entries(t.Resources).filter(([, r]) => r.Type === type);
// biome-ignore lint/suspicious/noExplicitAny: the assertions read deep into template JSON
const props = (r: Resource) => r.Properties as Record<string, any>;
/** Actions an IAM role's inline policies allow. */
const allowedActions = (role: Resource) =>
  (props(role).Policies as { PolicyDocument: { Statement: JsonObject[] } }[])
    .flatMap((p) => p.PolicyDocument.Statement)
    .filter((s) => s.Effect === "Allow")
    .flatMap((s) => s.Action as string[])
    .sort();

describe("member template", () => {
  const rules = ofType(member, "AWS::Config::ConfigRule").map(([, r]) => props(r));

  // A service without controls could only ever say NOT_APPLICABLE (billed per account and region): no rule.
  const withControls = (p: (typeof catalogue.policies)[number]) =>
    p.resourceTypes.length > 0 && catalogue.controls.some((c) => c.service === p.service);

  it("has one Config rule per catalogue service with resource types and controls, plus the allowed-services rule", () => {
    const services = catalogue.policies.filter(withControls).map((p) => p.service);
    expect(services.length).toBeLessThan(catalogue.policies.length);
    expect(rules.map((r) => r.ConfigRuleName).sort()).toEqual(
      [...services.map(configRuleName), ALLOWED_SERVICES_RULE_NAME].sort(),
    );
  });

  it("scopes each rule to its service's recorded types (at most 100), with the service as parameter", () => {
    for (const policy of catalogue.policies.filter(withControls)) {
      const rule = rules.find((r) => r.ConfigRuleName === configRuleName(policy.service))!;
      expect(rule.InputParameters).toEqual({ service: policy.service, ciaRating: { Ref: "CiaRating" } });
      const recorded = policy.resourceTypes.filter(isRecordedType).sort();
      if (recorded.length > 0) {
        expect(rule.Scope.ComplianceResourceTypes).toEqual(recorded);
        expect(rule.Scope.ComplianceResourceTypes.length).toBeLessThanOrEqual(MAX_SCOPE_TYPES);
      } else {
        // Types Config does not record (log groups) are swept on schedule only.
        expect(rule.Scope).toBeUndefined();
        expect(rule.Source.SourceDetails.map((d: JsonObject) => d.MessageType)).toEqual([
          "ScheduledNotification",
        ]);
      }
      expect(rule.Description.length).toBeLessThanOrEqual(256);
    }
    const allowed = rules.find((r) => r.ConfigRuleName === ALLOWED_SERVICES_RULE_NAME)!;
    expect(allowed.Scope).toBeUndefined();
    expect(allowed.InputParameters.service).toBe("allowed-services");
  });

  it("triggers change-scoped rules on change, oversized and scheduled notifications", () => {
    for (const rule of rules.filter((r) => r.Scope)) {
      expect(rule.Source.Owner).toBe("CUSTOM_LAMBDA");
      expect(rule.Source.SourceIdentifier).toEqual({ "Fn::GetAtt": ["EvaluatorFunction", "Arn"] });
      expect(rule.Source.SourceDetails).toEqual([
        { EventSource: "aws.config", MessageType: "ConfigurationItemChangeNotification" },
        { EventSource: "aws.config", MessageType: "OversizedConfigurationItemChangeNotification" },
        {
          EventSource: "aws.config",
          MessageType: "ScheduledNotification",
          MaximumExecutionFrequency: { Ref: "MaximumExecutionFrequency" },
        },
      ]);
    }
  });

  it("lets AWS Config invoke the evaluator, by SourceAccount, before any rule exists", () => {
    const [[permissionId, permission]] = ofType(member, "AWS::Lambda::Permission") as [[string, Resource]];
    expect(props(permission)).toMatchObject({
      Principal: "config.amazonaws.com",
      Action: "lambda:InvokeFunction",
      SourceAccount: { Ref: "AWS::AccountId" },
    });
    expect(props(permission).SourceArn).toBeUndefined();
    for (const [, rule] of ofType(member, "AWS::Config::ConfigRule"))
      expect(rule.DependsOn).toBe(permissionId);
  });

  it("runs the evaluator on a supported Node.js runtime, arm64, outside any VPC, code from S3", () => {
    const fn = props(member.Resources.EvaluatorFunction!);
    expect(fn.Handler).toBe("config-rule.handler");
    expect(Number(/^nodejs(\d+)\.x$/.exec(fn.Runtime)?.[1])).toBeGreaterThanOrEqual(22);
    expect(fn.Architectures).toEqual(["arm64"]);
    expect(fn.VpcConfig).toBeUndefined();
    expect(Object.keys(fn.Code).sort()).toEqual(["S3Bucket", "S3Key"]);
    expect(fn.Code.S3Key).toEqual({ Ref: "EvaluatorCodeKey" });
    expect(fn.MemorySize).toBeGreaterThanOrEqual(128);
    expect(fn.Timeout).toBeLessThanOrEqual(900);
  });

  it("gives the evaluator only the Config, Logs, X-Ray and account-level read actions it uses", () => {
    expect(allowedActions(member.Resources.EvaluatorRole!)).toEqual([
      "access-analyzer:ListAnalyzers",
      "account:GetAlternateContact",
      "cloudtrail:DescribeTrails",
      "cloudtrail:GetEventSelectors",
      "cloudtrail:GetTrailStatus",
      "cloudwatch:GetMetricData",
      "config:BatchGetResourceConfig",
      "config:DescribeConfigurationRecorderStatus",
      "config:DescribeConfigurationRecorders",
      "config:DescribeDeliveryChannels",
      "config:GetComplianceDetailsByConfigRule",
      "config:GetDiscoveredResourceCounts",
      "config:GetResourceConfigHistory",
      "config:ListDiscoveredResources",
      "config:PutEvaluations",
      "dynamodb:ListTables",
      "guardduty:GetDetector",
      "guardduty:ListDetectors",
      "iam:GenerateCredentialReport",
      "iam:GetAccountPasswordPolicy",
      "iam:GetAccountSummary",
      "iam:GetCredentialReport",
      "iam:ListVirtualMFADevices",
      "kms:Decrypt",
      "kms:GenerateDataKey",
      "logs:CreateLogStream",
      "logs:DescribeLogGroups",
      "logs:PutLogEvents",
      "s3:GetAccountPublicAccessBlock",
      "securityhub:DescribeHub",
      "servicequotas:GetAWSDefaultServiceQuota",
      "servicequotas:GetServiceQuota",
      "sqs:SendMessage",
      "ssm:GetServiceSetting",
      "xray:PutTelemetryRecords",
      "xray:PutTraceSegments",
    ]);
  });

  it("sends failed asynchronous invocations of both functions to an encrypted, TLS-only queue", () => {
    for (const [template, fn, queue] of [
      [member, "EvaluatorFunction", "EvaluatorFailuresQueue"],
      [central, "NotifierFunction", "NotifierFailuresQueue"],
    ] as const) {
      expect(props(template.Resources[`${fn}InvokeConfig`]!)).toMatchObject({
        FunctionName: { Ref: fn },
        DestinationConfig: { OnFailure: { Destination: { "Fn::GetAtt": [queue, "Arn"] } } },
      });
      expect(props(template.Resources[queue]!).KmsMasterKeyId).toEqual({
        "Fn::GetAtt": ["EngineKey", "Arn"],
      });
    }
    expect(props(member.Resources.EvaluatorFunction!)).toMatchObject({
      Timeout: 900,
      ReservedConcurrentExecutions: { Ref: "EvaluatorReservedConcurrency" },
    });
  });

  it("keeps the evaluator's logs a year at least", () => {
    const retention = member.Parameters!.LogRetentionDays!;
    expect(Math.min(...(retention.AllowedValues as number[]))).toBeGreaterThanOrEqual(365);
    expect(props(member.Resources.EvaluatorLogGroup!).RetentionInDays).toEqual({ Ref: "LogRetentionDays" });
  });

  it("forwards its rules' compliance changes to the central bus, and may put events there only", () => {
    const rule = props(member.Resources.ForwardFindingsRule!);
    expect(rule.EventPattern).toEqual({
      source: ["aws.config"],
      "detail-type": ["Config Rules Compliance Change"],
      detail: { configRuleName: [{ prefix: "compliance-" }] },
    });
    expect(rule.Targets[0].Arn).toEqual({ Ref: "CentralEventBusArn" });
    const statements = props(member.Resources.ForwarderRole!).Policies[0].PolicyDocument.Statement;
    expect(statements).toEqual([
      {
        Sid: "PutEventsOnCentralBus",
        Effect: "Allow",
        Action: ["events:PutEvents"],
        Resource: { Ref: "CentralEventBusArn" },
      },
    ]);
  });
});

describe("central template", () => {
  it("admits the organisation to the bus by aws:PrincipalOrgID", () => {
    const statement = props(central.Resources.FindingsBus!).Policy.Statement[0];
    // ...and only Config's compliance changes (events:source, events:detail-type).
    expect(statement.Condition).toEqual({
      StringEquals: {
        "aws:PrincipalOrgID": { Ref: "OrganizationId" },
        "events:source": "aws.config",
        "events:detail-type": "Config Rules Compliance Change",
      },
    });
    expect(statement.Action).toBe("events:PutEvents");
  });

  it("feeds the notifier from an encrypted queue with a dead-letter queue, reporting batch item failures", () => {
    const queue = props(central.Resources.FindingsQueue!);
    expect(queue.RedrivePolicy.deadLetterTargetArn).toEqual({
      "Fn::GetAtt": ["FindingsDeadLetterQueue", "Arn"],
    });
    expect(queue.KmsMasterKeyId).toEqual({ "Fn::GetAtt": ["EngineKey", "Arn"] });
    expect(queue.VisibilityTimeout).toBeGreaterThanOrEqual(
      6 * props(central.Resources.NotifierFunction!).Timeout,
    );
    const mapping = props(central.Resources.NotifierQueueMapping!);
    expect(mapping.FunctionResponseTypes).toEqual(["ReportBatchItemFailures"]);
    expect(mapping.EventSourceArn).toEqual({ "Fn::GetAtt": ["FindingsQueue", "Arn"] });
  });

  it("configures the notifier as docs/NOTIFIER.md says", () => {
    const fn = props(central.Resources.NotifierFunction!);
    expect(fn.Handler).toBe("notifier.handler");
    expect(fn.Environment.Variables).toMatchObject({
      CISO_TOPIC_ARN: { Ref: "CisoTopic" },
      OWNER_TOPIC_ARN: { Ref: "OwnerTopic" },
      LEDGER_TABLE: { Ref: LEDGER_LOGICAL_ID },
    });
    expect(fn.VpcConfig).toBeUndefined();
    expect(fn.Architectures).toEqual(["arm64"]);
  });

  it("uses the ledger table of deploy/ledger-table.ts: on-demand, PITR, deletion protection, CMK", () => {
    const table = props(central.Resources[LEDGER_LOGICAL_ID]!);
    expect(table.KeySchema).toEqual(LEDGER_KEY_SCHEMA);
    expect(table.BillingMode).toBe("PAY_PER_REQUEST");
    expect(table.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(table.DeletionProtectionEnabled).toBe(true);
    expect(table.SSESpecification).toEqual({
      SSEEnabled: true,
      SSEType: "KMS",
      KMSMasterKeyId: { "Fn::GetAtt": ["EngineKey", "Arn"] },
    });
  });

  it("encrypts both topics with the engine's key and lets only the notifier publish, over TLS", () => {
    for (const id of ["OwnerTopic", "CisoTopic"]) {
      expect(props(central.Resources[id]!).KmsMasterKeyId).toEqual({ "Fn::GetAtt": ["EngineKey", "Arn"] });
    }
    const statements = props(central.Resources.FindingsTopicPolicy!).PolicyDocument.Statement;
    expect(statements[0]).toMatchObject({
      Effect: "Deny",
      Action: "sns:Publish",
      Condition: { ArnNotEquals: { "aws:PrincipalArn": { "Fn::GetAtt": ["NotifierRole", "Arn"] } } },
    });
    // Whoever subscribes reads every finding: the notifier (owners) and the platform role (CISO) only.
    expect(statements[1]).toMatchObject({
      Effect: "Deny",
      Action: "sns:Subscribe",
      Condition: {
        ArnNotLike: { "aws:PrincipalArn": [{ "Fn::GetAtt": ["NotifierRole", "Arn"] }, expect.anything()] },
      },
    });
    expect(statements[2]).toMatchObject({
      Effect: "Deny",
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
    // EventBridge needs kms:DescribeKey on a customer-managed-key bus.
    const keyStatements = props(central.Resources.EngineKey!).KeyPolicy.Statement as {
      Sid: string;
      Action: string[];
    }[];
    expect(keyStatements.find((k) => k.Sid === "EventBridgeChecksTheKey")?.Action).toContain(
      "kms:DescribeKey",
    );
    expect(props(central.Resources.EngineKey!).EnableKeyRotation).toBe(true);
  });

  it("schedules the owner sync, the digest and the retry of owed notifications with the notifier's modes", () => {
    const input = (id: string) => props(central.Resources[id]!).Targets[0].Input;
    expect(JSON.parse(input("OwnerSyncRule"))).toEqual({ mode: "sync-owners" });
    expect(JSON.parse(input("RetryPendingRule"))).toEqual({ mode: "retry-pending" });
    expect(props(central.Resources.RetryPendingPermission!)).toMatchObject({
      Principal: "events.amazonaws.com",
      SourceArn: { "Fn::GetAtt": ["RetryPendingRule", "Arn"] },
    });
    expect(input("DigestRule")).toEqual({ "Fn::Sub": '{"mode":"digest","days":${DigestDays}}' });
    expect(JSON.parse(input("DigestRule")["Fn::Sub"].replace("${DigestDays}", "7"))).toEqual({
      mode: "digest",
      days: 7,
    });
  });

  it("gives the notifier only the Organizations read actions it uses, on the organisation's accounts", () => {
    const organizations = allowedActions(central.Resources.NotifierRole!).filter((a) =>
      a.startsWith("organizations:"),
    );
    expect(organizations).toEqual([
      "organizations:DescribeAccount",
      "organizations:ListAccounts",
      "organizations:ListParents",
      "organizations:ListTagsForResource",
    ]);
  });
});

describe("management template", () => {
  const stackSet = props(management.Resources.MemberStackSet!);

  it("deploys the member template to the target OUs automatically, new accounts included", () => {
    expect(stackSet.PermissionModel).toBe("SERVICE_MANAGED");
    // ...after the recorder's StackSet, when one is named (Config refuses rules without a recorder).
    expect(stackSet.AutoDeployment).toEqual({
      Enabled: true,
      RetainStacksOnAccountRemoval: false,
      DependsOn: {
        "Fn::If": ["HasRecorderStackSet", [{ Ref: "RecorderStackSetArn" }], { Ref: "AWS::NoValue" }],
      },
    });
    expect(stackSet.StackInstancesGroup).toEqual([
      {
        DeploymentTargets: { OrganizationalUnitIds: { Ref: "OrganizationalUnitIds" } },
        Regions: { Ref: "Regions" },
      },
    ]);
    expect(stackSet.CallAs).toEqual({ Ref: "CallAs" });
    expect(management.Parameters!.CallAs!.AllowedValues).toEqual(["SELF", "DELEGATED_ADMIN"]);
    expect(stackSet.ManagedExecution).toEqual({ Active: true });
    expect(stackSet.Capabilities).toEqual(["CAPABILITY_NAMED_IAM"]);
    expect(stackSet.OperationPreferences.RegionConcurrencyType).toBe("PARALLEL");
    // The strict mode would cap the concurrency at the failure tolerance + 1 accounts, whatever
    // MaxConcurrentPercentage (25 %) the documentation promises.
    expect(stackSet.OperationPreferences).toMatchObject({
      ConcurrencyMode: "SOFT_FAILURE_TOLERANCE",
      MaxConcurrentPercentage: { Ref: "MaxConcurrentPercentage" },
      FailureTolerancePercentage: { Ref: "FailureTolerancePercentage" },
    });
    expect(JSON.parse(stackSet.TemplateBody)).toEqual(member);
  });

  it("passes every member parameter through to the stacks", () => {
    const passed = (stackSet.Parameters as { ParameterKey: string }[]).map((p) => p.ParameterKey).sort();
    expect(passed).toEqual(Object.keys(member.Parameters!).sort());
    for (const name of passed) expect(management.Parameters![name]).toEqual(member.Parameters![name]);
  });

  it("creates the generated SCPs, attached to the parameterised targets", () => {
    const policies = ofType(management, "AWS::Organizations::Policy").map(([, r]) => props(r));
    // JSON, not a string (a string defeats CloudFormation's drift detection); minified, it is the checked text.
    expect(policies.map((p) => p.Content)).toEqual(scp.policies.map((p) => p.document));
    expect(policies.map((p) => JSON.stringify(p.Content))).toEqual(scp.policies.map((p) => p.content));
    for (const p of policies) {
      expect(p.Type).toBe("SERVICE_CONTROL_POLICY");
      expect(p.TargetIds).toEqual({
        "Fn::If": ["HasScpTargets", { Ref: "ScpTargetIds" }, { Ref: "AWS::NoValue" }],
      });
    }
  });
});

describe("docs/DEPLOYMENT.md", () => {
  it("documents every parameter of every template", () => {
    const doc = readFileSync(new URL("../../docs/DEPLOYMENT.md", import.meta.url), "utf8");
    const names = new Set(Object.values(templates).flatMap((t) => Object.keys(t.Parameters ?? {})));
    expect([...names].filter((name) => !doc.includes(`| \`${name}\` |`))).toEqual([]);
  });
});
