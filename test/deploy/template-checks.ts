// Test helpers that check a CloudFormation template the way CloudFormation would before
// deploying it: resource types and properties against the CloudFormation resource specification
// (@aws-cdk/aws-service-spec), and every Ref, Fn::GetAtt, Fn::Sub, DependsOn and condition resolved.

import { loadAwsServiceSpec } from "@aws-cdk/aws-service-spec";
import type { Template } from "../../deploy/cfn.ts";

type SpecDatabase = Awaited<ReturnType<typeof loadAwsServiceSpec>>;
type PropertyType = { type: string; [key: string]: unknown };
type SpecProperty = { type: PropertyType; required?: boolean };

export const PSEUDO_PARAMETERS = new Set([
  "AWS::AccountId",
  "AWS::NoValue",
  "AWS::NotificationARNs",
  "AWS::Partition",
  "AWS::Region",
  "AWS::StackId",
  "AWS::StackName",
  "AWS::URLSuffix",
]);

let db: SpecDatabase | undefined;
export async function specDatabase(): Promise<SpecDatabase> {
  db ??= await loadAwsServiceSpec();
  return db;
}

/** Whether the CloudFormation specification has this resource type. */
export async function isCloudFormationType(type: string): Promise<boolean> {
  return resourceSpec(await specDatabase(), type) !== undefined;
}

function resourceSpec(spec: SpecDatabase, type: string) {
  const found = spec.lookup("resource", "cloudFormationType", "equals", type);
  return found.length === 1 ? found[0] : undefined;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** An intrinsic function or Ref: its value is only known at deploy time. */
function isIntrinsic(value: unknown): boolean {
  if (!isRecord(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === "Ref" || keys[0]!.startsWith("Fn::"));
}

/** Problems of one value against a spec type; empty when it conforms. */
function checkValue(spec: SpecDatabase, value: unknown, type: PropertyType, path: string): string[] {
  if (isIntrinsic(value)) return [];
  switch (type.type) {
    case "string":
    case "date-time":
      return typeof value === "string" ? [] : [`${path}: expected a string, got ${JSON.stringify(value)}`];
    case "number":
    case "integer":
      return typeof value === "number" && (type.type === "number" || Number.isInteger(value))
        ? []
        : [`${path}: expected ${type.type}, got ${JSON.stringify(value)}`];
    case "boolean":
      return typeof value === "boolean" ? [] : [`${path}: expected a boolean, got ${JSON.stringify(value)}`];
    case "json":
      return isRecord(value) || Array.isArray(value) || typeof value === "string"
        ? []
        : [`${path}: expected JSON`];
    case "null":
      return value === null ? [] : [`${path}: expected null`];
    case "tag":
      return isRecord(value) && "Key" in value && "Value" in value ? [] : [`${path}: expected a tag`];
    case "array": {
      if (!Array.isArray(value))
        return [`${path}: expected an array, got ${JSON.stringify(value)?.slice(0, 80)}`];
      return value.flatMap((v, i) => checkValue(spec, v, type.element as PropertyType, `${path}/${i}`));
    }
    case "map": {
      if (!isRecord(value)) return [`${path}: expected a map`];
      return Object.entries(value).flatMap(([k, v]) =>
        checkValue(spec, v, type.element as PropertyType, `${path}/${k}`),
      );
    }
    case "union": {
      const options = type.types as PropertyType[];
      const results = options.map((t) => checkValue(spec, value, t, path));
      return results.some((r) => r.length === 0)
        ? []
        : (results[0] ?? [`${path}: no type of the union fits`]);
    }
    case "ref": {
      const reference = type.reference as { $ref: string };
      const definition = spec.get("typeDefinition", reference.$ref) as unknown as {
        name: string;
        properties: Record<string, SpecProperty>;
      };
      return checkProperties(spec, value, definition.properties, `${path}(${definition.name})`);
    }
    default:
      return [`${path}: unknown spec type ${type.type}`];
  }
}

function checkProperties(
  spec: SpecDatabase,
  value: unknown,
  properties: Record<string, SpecProperty>,
  path: string,
): string[] {
  if (!isRecord(value)) return [`${path}: expected an object`];
  const problems: string[] = [];
  for (const [name, v] of Object.entries(value)) {
    const property = properties[name];
    if (!property) {
      problems.push(`${path}/${name}: no such property in the CloudFormation specification`);
      continue;
    }
    problems.push(...checkValue(spec, v, property.type, `${path}/${name}`));
  }
  for (const [name, property] of Object.entries(properties)) {
    if (property.required && !(name in value)) problems.push(`${path}: required property ${name} missing`);
  }
  return problems;
}

const RESOURCE_KEYS = new Set([
  "Type",
  "Properties",
  "DependsOn",
  "Condition",
  "DeletionPolicy",
  "UpdateReplacePolicy",
]);

/** Every resource type exists and every property exists with a value of its type. */
export async function specProblems(template: Template): Promise<string[]> {
  const spec = await specDatabase();
  const problems: string[] = [];
  for (const [id, resource] of Object.entries(template.Resources)) {
    for (const key of Object.keys(resource)) {
      if (!RESOURCE_KEYS.has(key)) problems.push(`${id}: unknown resource attribute ${key}`);
    }
    const found = resourceSpec(spec, resource.Type);
    if (!found) {
      problems.push(`${id}: unknown resource type ${resource.Type}`);
      continue;
    }
    problems.push(
      ...checkProperties(spec, resource.Properties, found.properties as Record<string, SpecProperty>, id),
    );
  }
  return problems;
}

/** The variables of an Fn::Sub string: `${Name}` and `${Resource.Attribute}`, not `${!Literal}`. */
export function subVariables(text: string): string[] {
  return [...text.matchAll(/\$\{([^}!][^}]*)\}/g)].map((m) => m[1]!);
}

/** Every reference resolves: Ref, Fn::GetAtt (attribute in the spec), Fn::Sub, DependsOn, conditions. */
export async function referenceProblems(template: Template): Promise<string[]> {
  const spec = await specDatabase();
  const parameters = new Set(Object.keys(template.Parameters ?? {}));
  const resources = template.Resources;
  const conditions = new Set(Object.keys(template.Conditions ?? {}));
  const problems: string[] = [];

  const refOk = (name: string) => parameters.has(name) || name in resources || PSEUDO_PARAMETERS.has(name);
  const getAttOk = (resource: string, attribute: string) => {
    const r = resources[resource];
    if (!r) return false;
    const found = resourceSpec(spec, r.Type);
    return Boolean(found && attribute in (found.attributes as Record<string, unknown>));
  };

  const walk = (value: unknown, path: string, locals: Set<string>) => {
    if (Array.isArray(value)) {
      for (const [i, v] of value.entries()) walk(v, `${path}/${i}`, locals);
      return;
    }
    if (!isRecord(value)) return;
    for (const [key, v] of Object.entries(value)) {
      if (key === "Ref") {
        if (typeof v !== "string" || !refOk(v))
          problems.push(`${path}: Ref ${JSON.stringify(v)} does not resolve`);
      } else if (key === "Fn::GetAtt") {
        const [resource, attribute] = Array.isArray(v) ? v : String(v).split(".");
        if (!getAttOk(String(resource), String(attribute))) {
          problems.push(`${path}: Fn::GetAtt ${resource}.${attribute} does not resolve`);
        }
      } else if (key === "Fn::Sub") {
        const [text, vars] = Array.isArray(v) ? [v[0], v[1] as Record<string, unknown>] : [v, {}];
        const localNames = new Set(Object.keys(vars ?? {}));
        for (const variable of subVariables(String(text))) {
          const [name, attribute] = variable.split(".");
          const ok = attribute
            ? getAttOk(name!, attribute)
            : localNames.has(name!) || locals.has(name!) || refOk(name!);
          if (!ok) problems.push(`${path}: Fn::Sub variable \${${variable}} does not resolve`);
        }
        if (vars) walk(vars, `${path}/Fn::Sub`, locals);
      } else if (key === "Fn::If") {
        const [condition, ...branches] = v as unknown[];
        if (!conditions.has(String(condition)))
          problems.push(`${path}: condition ${condition} is not defined`);
        walk(branches, `${path}/Fn::If`, locals);
      } else {
        walk(v, `${path}/${key}`, locals);
      }
    }
  };

  for (const [id, resource] of Object.entries(resources)) {
    const dependsOn = resource.DependsOn === undefined ? [] : [resource.DependsOn].flat();
    for (const d of dependsOn) if (!(d in resources)) problems.push(`${id}: DependsOn ${d} does not exist`);
    if (resource.Condition && !conditions.has(resource.Condition)) {
      problems.push(`${id}: condition ${resource.Condition} is not defined`);
    }
    walk(resource.Properties, id, new Set());
  }
  walk(template.Conditions ?? {}, "Conditions", new Set());
  walk(template.Outputs ?? {}, "Outputs", new Set());
  for (const [name, parameter] of Object.entries(template.Parameters ?? {})) {
    if (
      parameter.Default !== undefined &&
      parameter.AllowedValues &&
      !parameter.AllowedValues.includes(parameter.Default)
    ) {
      problems.push(`Parameters/${name}: default ${parameter.Default} is not among its AllowedValues`);
    }
    if (
      parameter.Default !== undefined &&
      parameter.AllowedPattern &&
      parameter.Type === "String" &&
      !new RegExp(parameter.AllowedPattern).test(String(parameter.Default))
    ) {
      problems.push(`Parameters/${name}: default does not match its AllowedPattern`);
    }
  }
  return problems;
}
