// A CloudFormation template as the template path reads it: plain data (parsed from JSON or YAML by
// the caller), and the options that stand for what CloudFormation knows at deploy time.

export type Obj = Record<string, unknown>;

export interface TemplateResource {
  Type: string;
  Condition?: string;
  Properties?: Obj;
  DependsOn?: unknown;
}

export interface TemplateParameter {
  Type?: string;
  Default?: unknown;
  AllowedValues?: unknown[];
  Description?: string;
}

export interface CfnTemplate {
  Parameters?: Record<string, TemplateParameter>;
  Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  Conditions?: Record<string, unknown>;
  Resources: Record<string, TemplateResource>;
}

/**
 * A parameter's value in `TemplateOptions.parameters` when the deployment keeps the value the stack
 * has (`UsePreviousValue`): only the deployed stack knows it, so it is unknown, never the default.
 */
export const PREVIOUS_VALUE: unique symbol = Symbol("UsePreviousValue");

export interface TemplateOptions {
  /**
   * Parameter values given for the deployment (`--parameters FILE`); lists as arrays or
   * comma-separated; `PREVIOUS_VALUE` for one the stack keeps.
   */
  parameters?: Record<string, unknown>;
  /** `AWS::AccountId`; unknown when not given. */
  account?: string;
  /** `AWS::Region`; unknown when not given. */
  region?: string;
  /** `AWS::StackName`; unknown when not given. */
  stackName?: string;
  /**
   * The resource is seen alone (a CloudFormation hook sees one resource at a time): the parts its
   * companion resources would add (a bucket, queue, topic or function policy) are unknown.
   */
  standalone?: boolean;
}

export const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** True when a value is a template (CloudFormation's own test: `Resources` holding typed resources). */
export function isTemplate(value: unknown): value is CfnTemplate {
  return (
    isObj(value) && isObj(value.Resources) && templateProblem(value as Obj & { Resources: Obj }) === undefined
  );
}

/**
 * True when a value is meant as a template: a top-level `Resources` object, and none of the keys of
 * a configuration item, snapshot or Config event. Such a value that is not a template is refused
 * with the reason (`templateProblem`), not read as items.
 */
export function looksLikeTemplate(value: unknown): value is Obj & { Resources: Obj } {
  return (
    isObj(value) &&
    isObj(value.Resources) &&
    !("configurationItems" in value) &&
    !("configuration" in value) &&
    !("invokingEvent" in value)
  );
}

/** Why a value meant as a template is not one CloudFormation would take; undefined when it is. */
export function templateProblem(value: Obj & { Resources: Obj }): string | undefined {
  const entries = Object.entries(value.Resources);
  if (entries.length === 0) return "Resources is empty";
  for (const [id, resource] of entries) {
    if (id.startsWith("Fn::ForEach::")) {
      return `Resources.${id}: Fn::ForEach belongs to the AWS::LanguageExtensions transform, which CloudFormation expands only when it deploys; evaluate the processed template (aws cloudformation get-template --template-stage Processed)`;
    }
    if (!isObj(resource)) return `Resources.${id} is not an object`;
    if (typeof resource.Type !== "string") return `Resources.${id} has no Type`;
  }
  return undefined;
}
