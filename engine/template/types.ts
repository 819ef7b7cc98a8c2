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

export interface TemplateOptions {
  /** Parameter values given for the deployment (`--parameters FILE`); lists as arrays or comma-separated. */
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
  if (!isObj(value) || !isObj(value.Resources)) return false;
  const resources = Object.values(value.Resources);
  return resources.length > 0 && resources.every((r) => isObj(r) && typeof r.Type === "string");
}
