// Turns the resources of a generated template into configuration items, so the engine can judge
// the engine's own deployment with the catalogue ("the project passes its own rules").
//
// The mapping, per resource type, follows what AWS Config records (field names from the AWS
// Config resource schema in the published AWS Config resource schemas and the real items there):
//   - intrinsic functions are resolved with sample values: one account, one region, parameter
//     defaults (or the samples below), Ref/GetAtt of a resource give its name/ARN as AWS forms them;
//   - AWS::Lambda::Function: the GetFunctionConfiguration fields (camelCase, `kmskeyArn` as the
//     schema spells it, `vpcConfig` with empty lists outside a VPC); its resource policy in
//     supplementaryConfiguration.Policy, built from the template's AWS::Lambda::Permission resources;
//   - AWS::SQS::Queue / AWS::SNS::Topic: GetQueueAttributes / GetTopicAttributes names, values as
//     strings like the API's; `Policy` from the AWS::SQS::QueuePolicy / AWS::SNS::TopicPolicy
//     resources naming the queue or topic (SNS's default policy when none does);
//   - AWS::KMS::Key: DescribeKey fields, supplementaryConfiguration.Policy and KeyRotationStatus;
//   - AWS::DynamoDB::Table: DescribeTable fields (`ssedescription`, `billingModeSummary`,
//     `deletionProtectionEnabled`), supplementaryConfiguration.ContinuousBackupsDescription;
//   - AWS::IAM::Role: GetRole/GetRolePolicy fields, policy documents URL-encoded as Config records
//     them, region "global";
//   - AWS::Events::EventBus / AWS::Events::Rule: the CloudFormation-style names of their schema;
//   - AWS::Logs::LogGroup (not recorded; its controls read DescribeLogGroups): that API's fields.
// Limits: values AWS fills in at run time (creation dates, ids, default attributes the template
// does not set) are plausible samples, not read from AWS; a type without a mapper here makes the
// test that uses it fail, so a catalogue extension cannot silently go unchecked.

import { createHash } from "node:crypto";
import type { Json, Resource, Template } from "../../deploy/cfn.ts";

export const SAMPLE_ACCOUNT = "111122223333";
export const SAMPLE_REGION = "eu-west-1";
const CAPTURED = "2026-01-01T00:00:00.000Z";

/** Values for parameters that have no default. */
export const SAMPLE_PARAMETERS: Record<string, Json> = {
  OrganizationId: "o-exampleorg01",
  ManagementAccountId: "444455556666",
  CodeBucket: "compliance-code",
  EvaluatorCodeKey: "compliance/config-rule-0123456789abcdef.zip",
  NotifierCodeKey: "compliance/notifier-0123456789abcdef.zip",
  CentralEventBusArn: "arn:aws:events:eu-west-1:999988887777:event-bus/compliance-findings",
  OrganizationalUnitIds: ["ou-abcd-11111111"],
  Regions: [SAMPLE_REGION],
};

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const NO_VALUE = Symbol("AWS::NoValue");

export class TemplateResolver {
  constructor(
    readonly template: Template,
    readonly account = SAMPLE_ACCOUNT,
    readonly region = SAMPLE_REGION,
  ) {}

  private arnPrefix(service: string, global = false): string {
    return `arn:aws:${service}:${global ? "" : this.region}:${this.account}`;
  }

  parameter(name: string): Json {
    const parameter = this.template.Parameters?.[name];
    if (!parameter) throw new Error(`no parameter ${name}`);
    if (parameter.Default !== undefined) {
      return parameter.Type === "CommaDelimitedList"
        ? String(parameter.Default).split(",")
        : parameter.Default;
    }
    const sample = SAMPLE_PARAMETERS[name];
    if (sample === undefined) throw new Error(`no sample value for parameter ${name}`);
    return sample;
  }

  private resource(id: string): Resource {
    const resource = this.template.Resources[id];
    if (!resource) throw new Error(`no resource ${id}`);
    return resource;
  }

  /** The resource's name as its properties give it, or a generated one. */
  name(id: string): string {
    const p = this.resource(id).Properties;
    for (const key of [
      "FunctionName",
      "RoleName",
      "TopicName",
      "QueueName",
      "TableName",
      "Name",
      "LogGroupName",
    ]) {
      if (p[key] !== undefined) return String(this.resolve(p[key]));
    }
    return `${id.toLowerCase()}-generated`;
  }

  keyId(id: string): string {
    const h = createHash("sha256").update(id).digest("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  /** What `Ref` returns for the resource, as AWS documents it per type. */
  ref(id: string): string {
    const type = this.resource(id).Type;
    switch (type) {
      case "AWS::KMS::Key":
        return this.keyId(id);
      case "AWS::SNS::Topic":
        return `${this.arnPrefix("sns")}:${this.name(id)}`;
      case "AWS::SQS::Queue":
        return `https://sqs.${this.region}.amazonaws.com/${this.account}/${this.name(id)}`;
      default:
        return this.name(id);
    }
  }

  /** `Fn::GetAtt` of the resource. */
  attribute(id: string, attribute: string): string {
    const type = this.resource(id).Type;
    if (attribute !== "Arn") return `${id}.${attribute}`;
    const name = this.name(id);
    switch (type) {
      case "AWS::KMS::Key":
        return `${this.arnPrefix("kms")}:key/${this.keyId(id)}`;
      case "AWS::Lambda::Function":
        return `${this.arnPrefix("lambda")}:function:${name}`;
      case "AWS::IAM::Role":
        return `${this.arnPrefix("iam", true)}:role/${name}`;
      case "AWS::Logs::LogGroup":
        return `${this.arnPrefix("logs")}:log-group:${name}:*`;
      case "AWS::SQS::Queue":
        return `${this.arnPrefix("sqs")}:${name}`;
      case "AWS::DynamoDB::Table":
        return `${this.arnPrefix("dynamodb")}:table/${name}`;
      case "AWS::Events::EventBus":
        return `${this.arnPrefix("events")}:event-bus/${name}`;
      case "AWS::Events::Rule": {
        const bus = this.resource(id).Properties.EventBusName;
        return `${this.arnPrefix("events")}:rule/${bus ? `${this.resolve(bus)}/` : ""}${name}`;
      }
      default:
        return `${this.arnPrefix(type.split("::")[1]!.toLowerCase())}:${id}`;
    }
  }

  private pseudo(name: string): Json | typeof NO_VALUE {
    switch (name) {
      case "AWS::AccountId":
        return this.account;
      case "AWS::Region":
        return this.region;
      case "AWS::Partition":
        return "aws";
      case "AWS::URLSuffix":
        return "amazonaws.com";
      case "AWS::StackName":
        return "compliance-stack";
      case "AWS::NoValue":
        return NO_VALUE;
      default:
        return name in this.template.Resources ? this.ref(name) : this.parameter(name);
    }
  }

  private condition(name: string): boolean {
    const definition = this.template.Conditions?.[name];
    if (definition === undefined) throw new Error(`no condition ${name}`);
    return Boolean(this.resolve(definition));
  }

  /** The value with every intrinsic function replaced by its sample value. */
  resolve(value: unknown): Json {
    const resolved = this.resolveInner(value);
    return resolved === NO_VALUE ? null : resolved;
  }

  private resolveInner(value: unknown): Json | typeof NO_VALUE {
    if (Array.isArray(value)) {
      return value.map((v) => this.resolveInner(v)).filter((v): v is Json => v !== NO_VALUE);
    }
    if (!isObj(value)) return value as Json;
    const keys = Object.keys(value);
    if (keys.length === 1) {
      const [key] = keys as [string];
      const arg = value[key];
      switch (key) {
        case "Ref":
          return this.pseudo(String(arg));
        case "Fn::GetAtt": {
          const [id, attribute] = arg as [string, string];
          return this.attribute(id, attribute);
        }
        case "Fn::Sub": {
          const [text, vars] = Array.isArray(arg) ? [String(arg[0]), arg[1] as Obj] : [String(arg), {}];
          return text.replace(/\$\{([^}!][^}]*)\}/g, (_m, variable: string) => {
            if (variable in vars) return String(this.resolve(vars[variable]));
            const [id, attribute] = variable.split(".");
            return String(attribute ? this.attribute(id!, attribute) : this.pseudo(id!));
          });
        }
        case "Fn::Join": {
          const [separator, parts] = arg as [string, unknown];
          return (this.resolve(parts) as Json[]).map(String).join(separator);
        }
        case "Fn::If": {
          const [condition, then, otherwise] = arg as [string, unknown, unknown];
          return this.resolveInner(this.condition(condition) ? then : otherwise);
        }
        case "Fn::Equals": {
          const [a, b] = arg as [unknown, unknown];
          return JSON.stringify(this.resolve(a)) === JSON.stringify(this.resolve(b));
        }
        case "Fn::Not":
          return !this.resolve((arg as unknown[])[0]);
      }
    }
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(value)) {
      const resolved = this.resolveInner(v);
      if (resolved !== NO_VALUE) out[k] = resolved;
    }
    return out;
  }

  /** Resolved properties of a resource. */
  properties(id: string): Obj {
    return this.resolve(this.resource(id).Properties) as Obj;
  }
}

/** Ids of the resources of a type whose property `key` names `target` (directly or in a list). */
function referrers(
  template: Template,
  r: TemplateResolver,
  type: string,
  key: string,
  targets: string[],
): string[] {
  return Object.entries(template.Resources)
    .filter(([, res]) => res.Type === type)
    .filter(([id]) => {
      const value = r.properties(id)[key];
      const list = Array.isArray(value) ? value : [value];
      return list.some((v) => targets.includes(String(v)));
    })
    .map(([id]) => id);
}

const str = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v));

type Mapper = (
  r: TemplateResolver,
  id: string,
  p: Obj,
) => {
  configuration: Obj;
  supplementaryConfiguration?: Obj;
  arn: string;
  resourceId: string;
  name: string;
  region?: string;
};

const MAPPERS: Record<string, Mapper> = {
  "AWS::Lambda::Function": (r, id, p) => {
    const arn = r.attribute(id, "Arn");
    const name = String(p.FunctionName);
    const statements = referrers(r.template, r, "AWS::Lambda::Permission", "FunctionName", [arn, name]).map(
      (pid) => {
        const perm = r.properties(pid);
        const statement: Obj = {
          Sid: pid,
          Effect: "Allow",
          Principal: { Service: perm.Principal },
          Action: perm.Action,
          Resource: arn,
        };
        if (perm.SourceAccount)
          statement.Condition = { StringEquals: { "AWS:SourceAccount": perm.SourceAccount } };
        if (perm.SourceArn) statement.Condition = { ArnLike: { "AWS:SourceArn": perm.SourceArn } };
        return statement;
      },
    );
    const vpc = p.VpcConfig as Obj | undefined;
    const configuration: Obj = {
      functionName: name,
      functionArn: arn,
      runtime: p.Runtime,
      role: p.Role,
      handler: p.Handler,
      description: p.Description ?? "",
      timeout: p.Timeout ?? 3,
      memorySize: p.MemorySize ?? 128,
      architectures: p.Architectures ?? ["x86_64"],
      packageType: p.PackageType ?? "Zip",
      tracingConfig: { mode: (p.TracingConfig as Obj | undefined)?.Mode ?? "PassThrough" },
      vpcConfig: { subnetIds: vpc?.SubnetIds ?? [], securityGroupIds: vpc?.SecurityGroupIds ?? [] },
      ephemeralStorage: { size: (p.EphemeralStorage as Obj | undefined)?.Size ?? 512 },
      state: { value: "Active" },
      version: "$LATEST",
    };
    if (p.KmsKeyArn) configuration.kmskeyArn = p.KmsKeyArn;
    if (p.DeadLetterConfig)
      configuration.deadLetterConfig = { targetArn: (p.DeadLetterConfig as Obj).TargetArn };
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
        reservedConcurrentExecutions: p.ReservedConcurrentExecutions,
      };
    }
    return { configuration, supplementaryConfiguration, arn, resourceId: name, name };
  },

  "AWS::SQS::Queue": (r, id, p) => {
    const arn = r.attribute(id, "Arn");
    const url = r.ref(id);
    const name = String(p.QueueName);
    const policies = referrers(r.template, r, "AWS::SQS::QueuePolicy", "Queues", [url]);
    const configuration: Obj = {
      QueueName: name,
      QueueUrl: url,
      QueueArn: arn,
      DelaySeconds: String(p.DelaySeconds ?? 0),
      MaximumMessageSize: String(p.MaximumMessageSize ?? 262144),
      MessageRetentionPeriod: String(p.MessageRetentionPeriod ?? 345600),
      ReceiveMessageWaitTimeSeconds: String(p.ReceiveMessageWaitTimeSeconds ?? 0),
      VisibilityTimeout: String(p.VisibilityTimeout ?? 30),
      CreatedTimestamp: "1767225600",
      LastModifiedTimestamp: "1767225600",
    };
    if (p.KmsMasterKeyId) {
      configuration.KmsMasterKeyId = p.KmsMasterKeyId;
      configuration.KmsDataKeyReusePeriodSeconds = String(p.KmsDataKeyReusePeriodSeconds ?? 300);
    } else {
      configuration.SqsManagedSseEnabled = String(p.SqsManagedSseEnabled ?? true);
    }
    if (p.RedrivePolicy) configuration.RedrivePolicy = JSON.stringify(p.RedrivePolicy);
    if (policies[0]) configuration.Policy = JSON.stringify(r.properties(policies[0]).PolicyDocument);
    return { configuration, arn, resourceId: url, name };
  },

  "AWS::SNS::Topic": (r, id, p) => {
    const arn = r.ref(id);
    const policies = referrers(r.template, r, "AWS::SNS::TopicPolicy", "Topics", [arn]);
    const defaultPolicy = {
      Version: "2008-10-17",
      Id: "__default_policy_ID",
      Statement: [
        {
          Sid: "__default_statement_ID",
          Effect: "Allow",
          Principal: { AWS: "*" },
          Action: ["SNS:Publish", "SNS:Subscribe", "SNS:GetTopicAttributes"],
          Resource: arn,
          Condition: { StringEquals: { "AWS:SourceOwner": r.account } },
        },
      ],
    };
    const configuration: Obj = {
      TopicArn: arn,
      Owner: r.account,
      DisplayName: p.DisplayName ?? "",
      Policy: JSON.stringify(policies[0] ? r.properties(policies[0]).PolicyDocument : defaultPolicy),
    };
    if (p.KmsMasterKeyId) configuration.KmsMasterKeyId = p.KmsMasterKeyId;
    return { configuration, arn, resourceId: arn, name: String(p.TopicName) };
  },

  "AWS::KMS::Key": (r, id, p) => {
    const keyId = r.ref(id);
    const arn = r.attribute(id, "Arn");
    return {
      configuration: {
        keyId,
        arn,
        awsaccountId: r.account,
        creationDate: CAPTURED,
        enabled: p.Enabled ?? true,
        description: p.Description ?? "",
        keyUsage: p.KeyUsage ?? "ENCRYPT_DECRYPT",
        keyState: p.Enabled === false ? "Disabled" : "Enabled",
        origin: p.Origin ?? "AWS_KMS",
        keyManager: "CUSTOMER",
        customerMasterKeySpec: p.KeySpec ?? "SYMMETRIC_DEFAULT",
        keySpec: p.KeySpec ?? "SYMMETRIC_DEFAULT",
        encryptionAlgorithms: ["SYMMETRIC_DEFAULT"],
        signingAlgorithms: [],
        multiRegion: p.MultiRegion ?? false,
      },
      supplementaryConfiguration: {
        Policy: JSON.stringify(p.KeyPolicy, null, 2),
        KeyRotationStatus: p.EnableKeyRotation === true,
      },
      arn,
      resourceId: keyId,
      name: keyId,
    };
  },

  "AWS::DynamoDB::Table": (r, id, p) => {
    const arn = r.attribute(id, "Arn");
    const name = String(p.TableName);
    const lower = (items: unknown) =>
      ((items as Obj[] | undefined) ?? []).map((o) =>
        Object.fromEntries(Object.entries(o).map(([k, v]) => [k[0]!.toLowerCase() + k.slice(1), v])),
      );
    const sse = p.SSESpecification as Obj | undefined;
    const configuration: Obj = {
      tableName: name,
      tableArn: arn,
      tableId: r.keyId(id),
      tableStatus: "ACTIVE",
      keySchema: lower(p.KeySchema),
      attributeDefinitions: lower(p.AttributeDefinitions),
      billingModeSummary: { billingMode: p.BillingMode ?? "PROVISIONED" },
      provisionedThroughput: { numberOfDecreasesToday: 0, readCapacityUnits: 0, writeCapacityUnits: 0 },
      deletionProtectionEnabled: p.DeletionProtectionEnabled === true,
    };
    if (sse?.SSEEnabled === true) {
      const key = str(sse.KMSMasterKeyId) ?? `arn:aws:kms:${r.region}:${r.account}:key/aws-managed-dynamodb`;
      configuration.ssedescription = {
        status: "ENABLED",
        ssetype: "KMS",
        kmsmasterKeyArn: key.startsWith("arn:") ? key : `arn:aws:kms:${r.region}:${r.account}:key/${key}`,
      };
    }
    const pitr = (p.PointInTimeRecoverySpecification as Obj | undefined)?.PointInTimeRecoveryEnabled === true;
    return {
      configuration,
      supplementaryConfiguration: {
        ContinuousBackupsDescription: {
          continuousBackupsStatus: "ENABLED",
          pointInTimeRecoveryDescription: { pointInTimeRecoveryStatus: pitr ? "ENABLED" : "DISABLED" },
        },
      },
      arn,
      resourceId: name,
      name,
    };
  },

  "AWS::IAM::Role": (r, id, p) => {
    const arn = r.attribute(id, "Arn");
    const name = String(p.RoleName);
    const encode = (document: unknown) => encodeURIComponent(JSON.stringify(document));
    return {
      configuration: {
        path: p.Path ?? "/",
        roleName: name,
        roleId: `AROA${r.keyId(id).replace(/-/g, "").slice(0, 17).toUpperCase()}`,
        arn,
        createDate: CAPTURED,
        assumeRolePolicyDocument: encode(p.AssumeRolePolicyDocument),
        instanceProfileList: [],
        rolePolicyList: ((p.Policies as Obj[] | undefined) ?? []).map((policy) => ({
          policyName: policy.PolicyName,
          policyDocument: encode(policy.PolicyDocument),
        })),
        attachedManagedPolicies: ((p.ManagedPolicyArns as string[] | undefined) ?? []).map((policyArn) => ({
          policyArn,
          policyName: policyArn.split("/").pop(),
        })),
      },
      arn,
      resourceId: name,
      name,
      region: "global",
    };
  },

  "AWS::Events::EventBus": (r, id, p) => {
    const arn = r.attribute(id, "Arn");
    const configuration: Obj = { Name: p.Name, Arn: arn };
    if (p.Policy) configuration.Policy = JSON.stringify(p.Policy);
    if (p.KmsKeyIdentifier) configuration.KmsKeyIdentifier = p.KmsKeyIdentifier;
    return { configuration, arn, resourceId: String(p.Name), name: String(p.Name) };
  },

  "AWS::Events::Rule": (r, id, p) => {
    const arn = r.attribute(id, "Arn");
    const configuration: Obj = {
      Name: p.Name,
      Arn: arn,
      EventBusName: p.EventBusName ?? "default",
      State: p.State ?? "ENABLED",
      Targets: p.Targets ?? [],
    };
    if (p.Description) configuration.Description = p.Description;
    if (p.EventPattern) configuration.EventPattern = JSON.stringify(p.EventPattern);
    if (p.ScheduleExpression) configuration.ScheduleExpression = p.ScheduleExpression;
    return { configuration, arn, resourceId: String(p.Name), name: String(p.Name) };
  },

  "AWS::Logs::LogGroup": (r, id, p) => {
    const arn = r.attribute(id, "Arn");
    const name = String(p.LogGroupName);
    const configuration: Obj = {
      logGroupName: name,
      arn,
      logGroupArn: arn.replace(/:\*$/, ""),
      creationTime: Date.parse(CAPTURED),
      logGroupClass: p.LogGroupClass ?? "STANDARD",
      storedBytes: 0,
    };
    if (p.RetentionInDays !== undefined) configuration.retentionInDays = Number(p.RetentionInDays);
    if (p.KmsKeyId) configuration.kmsKeyId = p.KmsKeyId;
    return { configuration, arn, resourceId: name, name };
  },
};

/** The resource types this module can turn into configuration items. */
export const MAPPED_TYPES = new Set(Object.keys(MAPPERS));

/** One template resource as a configuration item in the notification shape, or undefined without a mapper. */
export function configurationItem(resolver: TemplateResolver, id: string): Obj | undefined {
  const resource = resolver.template.Resources[id]!;
  const mapper = MAPPERS[resource.Type];
  if (!mapper) return undefined;
  const mapped = mapper(resolver, id, resolver.properties(id));
  return {
    configurationItemVersion: "1.3",
    configurationItemCaptureTime: CAPTURED,
    configurationItemStatus: "ResourceDiscovered",
    configurationStateId: "1767225600000",
    awsAccountId: resolver.account,
    awsRegion: mapped.region ?? resolver.region,
    availabilityZone: "Not Applicable",
    resourceType: resource.Type,
    resourceId: mapped.resourceId,
    resourceName: mapped.name,
    ARN: mapped.arn,
    tags: {},
    relationships: [],
    configuration: mapped.configuration,
    supplementaryConfiguration: mapped.supplementaryConfiguration ?? {},
  };
}
