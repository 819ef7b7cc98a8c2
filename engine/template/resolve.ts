// Intrinsic functions resolved from the template alone. What the template tells is resolved:
// `Ref` to a parameter (a given value, else its default), to a pseudo parameter given as an option,
// or to a resource (what `Ref` returns for its type, as AWS documents it per type); `Fn::GetAtt`
// of a resource's ARN (and a few attributes AWS derives from the name); `Fn::Sub`, `Fn::Join`,
// `Fn::Select`, `Fn::Split`, `Fn::FindInMap`, `Fn::If` / `Fn::Equals` / `Fn::Not` / `Fn::And` /
// `Fn::Or` and `Condition`, `Fn::Base64`, `Fn::Length`, `Fn::ToJsonString`. Anything else
// (`Fn::ImportValue`, `Fn::GetAZs`, a parameter without a value or default, an SSM parameter type,
// `AWS::StackId`, an attribute AWS assigns at deploy time...) is an unknown value (unknown.ts),
// never a guess; a function of an unknown value is unknown too.
//
// Names CloudFormation generates (a resource without its name property) are stand-ins
// `<stack>-<LogicalId>-generated`: no control reads a name, and they keep references to the
// resource recognisable. The ARN of a resource the template creates is known in its shape; when
// `account` or `region` is not given its ARN carries `000000000000` / `unknown` there.

import { createHash } from "node:crypto";
import {
  type CfnTemplate,
  isObj,
  type Obj,
  PREVIOUS_VALUE,
  type TemplateOptions,
  type TemplateResource,
} from "./types.ts";
import { isUnknown, Unknowns } from "./unknown.ts";

type Value = unknown;
const NO_VALUE = Symbol("AWS::NoValue");
type Resolved = Value | typeof NO_VALUE;

/** The placeholder account digits in the ARNs of the template's own resources when no account is given. */
export const PLACEHOLDER_ACCOUNT = "000000000000";
export const PLACEHOLDER_REGION = "unknown";

/** The property that names a resource, per type (CloudFormation generates the name without it). */
const NAME_PROPERTY: Record<string, string> = {
  "AWS::Lambda::Function": "FunctionName",
  "AWS::IAM::Role": "RoleName",
  "AWS::IAM::User": "UserName",
  "AWS::IAM::ManagedPolicy": "ManagedPolicyName",
  "AWS::IAM::Policy": "PolicyName",
  "AWS::SNS::Topic": "TopicName",
  "AWS::SQS::Queue": "QueueName",
  "AWS::DynamoDB::Table": "TableName",
  "AWS::Logs::LogGroup": "LogGroupName",
  "AWS::S3::Bucket": "BucketName",
  "AWS::StepFunctions::StateMachine": "StateMachineName",
  "AWS::CloudTrail::Trail": "TrailName",
  "AWS::ApiGateway::Stage": "StageName",
  "AWS::ApiGatewayV2::Stage": "StageName",
  "AWS::Events::Endpoint": "Name",
  "AWS::S3::AccessPoint": "Name",
  "AWS::S3::MultiRegionAccessPoint": "Name",
};

export class TemplateResolver {
  readonly unknowns = new Unknowns();
  private readonly cache = new Map<string, string>();

  constructor(
    readonly template: CfnTemplate,
    readonly options: TemplateOptions = {},
  ) {}

  get account(): string {
    return this.options.account ?? PLACEHOLDER_ACCOUNT;
  }

  get region(): string {
    return this.options.region ?? PLACEHOLDER_REGION;
  }

  get partition(): string {
    const region = this.options.region ?? "";
    if (region.startsWith("cn-")) return "aws-cn";
    if (region.startsWith("us-gov-")) return "aws-us-gov";
    return "aws";
  }

  /** One marker per unknown thing, so that two references to it compare equal. */
  private unknown(key: string, reason: string, maybeAbsent = false): string {
    let marker = this.cache.get(key);
    if (!marker) {
      // Exports, attributes, pseudo and SSM parameters, and strings built by Fn::Sub / Fn::Join
      // are non-empty strings; the rest (a parameter, Fn::If, Fn::Select...) may be any value.
      const text =
        /^(import|att|pseudo|Fn::Sub|Fn::Join):/.test(key) || reason.includes("SSM Parameter Store");
      marker = this.unknowns.mark(reason, maybeAbsent, text);
      this.cache.set(key, marker);
    }
    return marker;
  }

  /**
   * What a companion resource (`what`, e.g. an AWS::S3::BucketPolicy) would add to resource `id`:
   * unknown (maybe absent) when the resource is seen alone, else undefined (no such companion).
   */
  missingCompanion(id: string, what: string): string | undefined {
    if (!this.options.standalone) return undefined;
    return this.unknown(
      `companion:${id}:${what}`,
      `an ${what} may be attached by another resource of the stack`,
      true,
    );
  }

  /** A setting the resource reads from outside the template (an OpenAPI definition in S3): unknown, maybe absent. */
  external(id: string, what: string): string {
    return this.unknown(`external:${id}:${what}`, `${what}: not in the template`, true);
  }

  /** A value AWS knows only once the resource exists and runs (e.g. whether rotation succeeded): unknown. */
  deployTime(id: string, what: string): string {
    return this.unknown(`runtime:${id}:${what}`, `${what}: known only once the resource runs`);
  }

  resource(id: string): TemplateResource | undefined {
    return this.template.Resources[id];
  }

  private arn(service: string, rest: string, global = false): string {
    return `arn:${this.partition}:${service}:${global ? "" : this.region}:${this.account}:${rest}`;
  }

  parameter(name: string): Resolved {
    const parameter = this.template.Parameters?.[name];
    if (!parameter) return this.unknown(`ref:${name}`, `Ref ${name}: no such parameter or resource`);
    const type = String(parameter.Type ?? "String");
    if (type.startsWith("AWS::SSM::Parameter::Value")) {
      return this.unknown(`ref:${name}`, `parameter ${name} is read from SSM Parameter Store at deploy time`);
    }
    const given = this.options.parameters?.[name];
    if (given === PREVIOUS_VALUE) {
      return this.unknown(
        `ref:${name}`,
        `parameter ${name} keeps its previous value (UsePreviousValue), which only the deployed stack knows`,
      );
    }
    const value = given !== undefined ? given : parameter.Default;
    if (value === undefined) {
      return this.unknown(
        `ref:${name}`,
        `parameter ${name} has no default and no value was given (--parameters)`,
      );
    }
    if ((type === "CommaDelimitedList" || type.startsWith("List<")) && !Array.isArray(value)) {
      return String(value)
        .split(",")
        .map((s) => s.trim());
    }
    return value;
  }

  /** The resource's name: its name property, or CloudFormation's generated name (a stand-in). */
  name(id: string): string {
    const resource = this.resource(id);
    const property = resource ? NAME_PROPERTY[resource.Type] : undefined;
    const given = property ? resource?.Properties?.[property] : undefined;
    if (resource?.Type === "AWS::Events::EventBus" || resource?.Type === "AWS::Events::Rule") {
      const n = resource.Properties?.Name;
      if (n !== undefined) return String(this.resolve(n));
    }
    if (resource?.Type === "AWS::SecretsManager::Secret" && resource.Properties?.Name !== undefined) {
      return String(this.resolve(resource.Properties.Name));
    }
    if (given !== undefined) return String(this.resolve(given));
    const stack = this.options.stackName ?? "stack";
    const generated = `${stack}-${id}-generated`;
    return resource?.Type === "AWS::S3::Bucket" ? generated.toLowerCase() : generated;
  }

  /** A stable stand-in for an id AWS generates (KMS key id, API id), from the logical id. */
  generatedId(id: string): string {
    const h = createHash("sha256").update(id).digest("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  /** What `Ref` returns for a resource, per type as AWS documents it. */
  ref(id: string): string {
    const resource = this.resource(id)!;
    const name = this.name(id);
    switch (resource.Type) {
      case "AWS::KMS::Key":
        return this.generatedId(id);
      case "AWS::SNS::Topic":
        return this.arn("sns", name);
      case "AWS::SQS::Queue":
        return `https://sqs.${this.region}.amazonaws.com/${this.account}/${name}`;
      case "AWS::StepFunctions::StateMachine":
        return this.arn("states", `stateMachine:${name}`);
      case "AWS::IAM::ManagedPolicy":
        return this.arn("iam", `policy/${name}`, true);
      case "AWS::SecretsManager::Secret":
        return this.arn("secretsmanager", `secret:${name}-AbCdEf`);
      case "AWS::CertificateManager::Certificate":
        return this.arn("acm", `certificate/${this.generatedId(id)}`);
      case "AWS::ApiGateway::RestApi":
      case "AWS::ApiGatewayV2::Api":
        return this.generatedId(id).slice(0, 10);
      default:
        if (NAME_PROPERTY[resource.Type] || resource.Type.startsWith("AWS::Events::")) return name;
        return this.unknown(`ref:${id}`, `Ref ${id}: the id AWS assigns to a ${resource.Type}`);
    }
  }

  /** `Fn::GetAtt` of a resource. */
  attribute(id: string, attribute: string): string {
    const resource = this.resource(id);
    if (!resource)
      return this.unknown(`att:${id}.${attribute}`, `Fn::GetAtt ${id}.${attribute}: no such resource`);
    const name = this.name(id);
    const type = resource.Type;
    if (attribute === "Arn" || (type === "AWS::SNS::Topic" && attribute === "TopicArn")) {
      switch (type) {
        case "AWS::KMS::Key":
          return this.arn("kms", `key/${this.generatedId(id)}`);
        case "AWS::Lambda::Function":
          return this.arn("lambda", `function:${name}`);
        case "AWS::IAM::Role":
          return this.arn("iam", `role${this.path(resource)}${name}`, true);
        case "AWS::IAM::User":
          return this.arn("iam", `user${this.path(resource)}${name}`, true);
        case "AWS::Logs::LogGroup":
          return this.arn("logs", `log-group:${name}:*`);
        case "AWS::SQS::Queue":
          return this.arn("sqs", name);
        case "AWS::SNS::Topic":
          return this.arn("sns", name);
        case "AWS::DynamoDB::Table":
          return this.arn("dynamodb", `table/${name}`);
        case "AWS::S3::Bucket":
          return `arn:${this.partition}:s3:::${name}`;
        case "AWS::Events::EventBus":
          return this.arn("events", `event-bus/${name}`);
        case "AWS::Events::Rule": {
          const bus = resource.Properties?.EventBusName;
          const busName = bus === undefined ? "" : `${String(this.resolve(bus)).split("/").pop()}/`;
          return this.arn("events", `rule/${busName === "default/" ? "" : busName}${name}`);
        }
        case "AWS::StepFunctions::StateMachine":
          return this.arn("states", `stateMachine:${name}`);
        case "AWS::CloudTrail::Trail":
          return this.arn("cloudtrail", `trail/${name}`);
        case "AWS::Events::Endpoint":
          return this.arn("events", `endpoint/${name}`);
        case "AWS::S3::AccessPoint":
          return this.arn("s3", `accesspoint/${name}`);
      }
    }
    if (type === "AWS::SQS::Queue" && attribute === "QueueName") return name;
    if (type === "AWS::SQS::Queue" && attribute === "QueueUrl") return this.ref(id);
    if (type === "AWS::SNS::Topic" && attribute === "TopicName") return name;
    if (type === "AWS::KMS::Key" && attribute === "KeyId") return this.generatedId(id);
    if (type === "AWS::S3::Bucket" && attribute === "DomainName") return `${name}.s3.amazonaws.com`;
    return this.unknown(
      `att:${id}.${attribute}`,
      `Fn::GetAtt ${id}.${attribute}: assigned by AWS at deploy time`,
    );
  }

  private path(resource: TemplateResource): string {
    const path = resource.Properties?.Path;
    return path === undefined ? "/" : String(this.resolve(path));
  }

  private pseudo(name: string): Resolved {
    const { account, region, stackName } = this.options;
    switch (name) {
      case "AWS::AccountId":
        return (
          account ?? this.unknown("pseudo:account", "AWS::AccountId: the account is not given (--account)")
        );
      case "AWS::Region":
        return region ?? this.unknown("pseudo:region", "AWS::Region: the region is not given (--region)");
      case "AWS::Partition":
        return this.partition;
      case "AWS::URLSuffix":
        return this.partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";
      case "AWS::StackName":
        return stackName ?? this.unknown("pseudo:stack", "AWS::StackName: the stack name is not given");
      case "AWS::NoValue":
        return NO_VALUE;
      case "AWS::StackId":
      case "AWS::NotificationARNs":
        return this.unknown(`pseudo:${name}`, `${name}: known only at deploy time`);
      default:
        return this.resource(name) ? this.ref(name) : this.parameter(name);
    }
  }

  /** A condition's value: true, false, or an unknown marker. */
  condition(name: string): boolean | string {
    const key = `condition:${name}`;
    const definition = this.template.Conditions?.[name];
    if (definition === undefined) return this.unknown(key, `condition ${name} is not defined`);
    const value = this.resolve(definition);
    if (typeof value === "boolean") return value;
    return isUnknown(value) ? value : this.unknown(key, `condition ${name} is not a boolean`);
  }

  /** The value with every intrinsic function the template can tell resolved; `AWS::NoValue` as undefined. */
  resolve(value: Value): Value {
    const resolved = this.inner(value);
    return resolved === NO_VALUE ? undefined : resolved;
  }

  /** Unknown when any part is: the reason names the function and the first unknown part. */
  private derived(fn: string, parts: Value[]): string | undefined {
    const json = JSON.stringify(parts) ?? "";
    const m = json.match(/cfnunknown\d+x/);
    if (!m) return undefined;
    const cause = this.unknowns.in(m[0])[0];
    return this.unknown(`${fn}:${json}`, `${fn} of an unknown value (${cause?.reason ?? "unknown"})`, false);
  }

  private inner(value: Value): Resolved {
    if (Array.isArray(value)) {
      return value.map((v) => this.inner(v)).filter((v) => v !== NO_VALUE);
    }
    if (!isObj(value)) return value;
    const keys = Object.keys(value);
    if (keys.length === 1) {
      const key = keys[0]!;
      if (key === "Ref" || key === "Condition" || key.startsWith("Fn::"))
        return this.intrinsic(key, value[key]);
    }
    const out: Obj = {};
    for (const [k, v] of Object.entries(value)) {
      const resolved = this.inner(v);
      if (resolved !== NO_VALUE) out[k] = resolved;
    }
    return out;
  }

  private intrinsic(fn: string, arg: Value): Resolved {
    const list = (v: Value): Value[] => (Array.isArray(v) ? v : [v]);
    switch (fn) {
      case "Ref":
        return this.pseudo(String(arg));
      case "Condition":
        return this.condition(String(arg));
      case "Fn::GetAtt": {
        const [id, attribute] = Array.isArray(arg) ? arg.map(String) : String(arg).split(/\.(.*)/s);
        return this.attribute(String(id), String(attribute));
      }
      case "Fn::Sub": {
        const [text, vars] = Array.isArray(arg) ? [String(arg[0]), (arg[1] ?? {}) as Obj] : [String(arg), {}];
        let unknownPart: string | undefined;
        const out = text.replace(/\$\{([^}]*)\}/g, (match, variable: string) => {
          if (variable.startsWith("!")) return `\${${variable.slice(1)}}`;
          let v: Resolved;
          if (variable in vars) v = this.inner(vars[variable]);
          else if (variable.includes(".") && !variable.startsWith("AWS::")) {
            const [id, attribute] = variable.split(/\.(.*)/s);
            v = this.attribute(id!, attribute!);
          } else v = this.pseudo(variable);
          if (v === NO_VALUE) return "";
          const s = typeof v === "string" ? v : JSON.stringify(v);
          if (isUnknown(s) && !unknownPart) unknownPart = s;
          return s ?? match;
        });
        return unknownPart ? (this.derived("Fn::Sub", [unknownPart]) ?? out) : out;
      }
      case "Fn::Join": {
        const [separator, parts] = list(arg);
        const resolved = this.inner(parts);
        const unknown = this.derived("Fn::Join", [resolved]);
        if (unknown) return unknown;
        if (!Array.isArray(resolved))
          return this.unknown(`join:${JSON.stringify(arg)}`, "Fn::Join of a non-list");
        return resolved
          .map((p) => (typeof p === "string" ? p : JSON.stringify(p)))
          .join(String(separator ?? ""));
      }
      case "Fn::Select": {
        const [index, items] = list(arg);
        const i = this.inner(index);
        const resolved = this.inner(items);
        const unknown = this.derived("Fn::Select", [
          i,
          Array.isArray(resolved) ? resolved[Number(i)] : resolved,
        ]);
        if (unknown) return unknown;
        if (!Array.isArray(resolved) || resolved[Number(i)] === undefined) {
          return this.unknown(`select:${JSON.stringify(arg)}`, "Fn::Select out of range");
        }
        return resolved[Number(i)];
      }
      case "Fn::Split": {
        const [separator, source] = list(arg);
        const resolved = this.inner(source);
        const unknown = this.derived("Fn::Split", [resolved]);
        if (unknown) return unknown;
        return String(resolved).split(String(separator));
      }
      case "Fn::FindInMap": {
        const [map, top, second] = list(arg).map((v) => this.inner(v));
        const unknown = this.derived("Fn::FindInMap", [map, top, second]);
        if (unknown) return unknown;
        const found = this.template.Mappings?.[String(map)]?.[String(top)]?.[String(second)];
        return found === undefined
          ? this.unknown(
              `map:${JSON.stringify(arg)}`,
              `Fn::FindInMap ${String(map)}.${String(top)}.${String(second)}: not in Mappings`,
            )
          : this.inner(found);
      }
      case "Fn::If": {
        const [condition, then, otherwise] = list(arg);
        const known = this.condition(String(condition));
        if (known === true) return this.inner(then);
        if (known === false) return this.inner(otherwise);
        const a = this.inner(then);
        const b = this.inner(otherwise);
        if (a !== NO_VALUE && b !== NO_VALUE && JSON.stringify(a) === JSON.stringify(b)) return a;
        const cause = this.unknowns.in(known)[0]?.reason ?? "unknown";
        return this.unknown(
          `if:${JSON.stringify(arg)}`,
          `Fn::If on condition ${String(condition)}, which is unknown (${cause})`,
          a === NO_VALUE || b === NO_VALUE,
        );
      }
      case "Fn::Equals": {
        const [a, b] = list(arg).map((v) => this.inner(v));
        return this.derived("Fn::Equals", [a, b]) ?? JSON.stringify(a) === JSON.stringify(b);
      }
      case "Fn::Not": {
        const v = this.inner(list(arg)[0]);
        return typeof v === "boolean"
          ? !v
          : (this.derived("Fn::Not", [v]) ??
              this.unknown(`not:${JSON.stringify(arg)}`, "Fn::Not of a non-boolean"));
      }
      case "Fn::And":
      case "Fn::Or": {
        const values = list(arg).map((v) => this.inner(v));
        const decisive = fn !== "Fn::And";
        if (values.includes(decisive)) return decisive;
        return this.derived(fn, values) ?? !decisive;
      }
      case "Fn::Base64": {
        const v = this.inner(arg);
        return this.derived(fn, [v]) ?? Buffer.from(String(v)).toString("base64");
      }
      case "Fn::Length": {
        const v = this.inner(arg);
        return (
          this.derived(fn, [v]) ??
          (Array.isArray(v)
            ? v.length
            : this.unknown(`len:${JSON.stringify(arg)}`, "Fn::Length of a non-list"))
        );
      }
      case "Fn::ToJsonString": {
        const v = this.inner(arg);
        return this.derived(fn, [v]) ?? JSON.stringify(v);
      }
      case "Fn::ImportValue": {
        const name = this.inner(arg);
        return this.unknown(
          `import:${JSON.stringify(name)}`,
          `Fn::ImportValue ${JSON.stringify(name)}: another stack's export`,
        );
      }
      default:
        return this.unknown(`${fn}:${JSON.stringify(arg)}`, `${fn}: not resolvable from the template alone`);
    }
  }

  /** The resource's properties with intrinsic functions resolved. */
  properties(id: string): Obj {
    const resolved = this.resolve(this.resource(id)?.Properties ?? {});
    return isObj(resolved) ? resolved : {};
  }

  /** Whether the resource is created: its `Condition` true, false, or unknown (a marker). */
  created(id: string): boolean | string {
    const condition = this.resource(id)?.Condition;
    return condition === undefined ? true : this.condition(condition);
  }
}
