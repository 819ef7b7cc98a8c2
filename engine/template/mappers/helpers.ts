// What every mapper shares: the shape of its output and helpers that keep unknown values unknown
// (a property that is an unknown marker stays one; it is never turned into `false` or a default).

import type { TemplateResolver } from "../resolve.ts";
import { isObj, type Obj } from "../types.ts";
import { isUnknown } from "../unknown.ts";

/** Where a part of the configuration item comes from in the template. */
export interface Origin {
  /** Dotted path in the configuration item, e.g. `configuration.billingModeSummary`. */
  path: string;
  /** The logical id of the resource holding the property (a companion resource for folded policies). */
  resource: string;
  /** The property path under that resource's `Properties`. */
  property: (string | number)[];
}

/** A template resource as AWS Config would record it. */
export interface Mapped {
  /** The type AWS Config records it as, when it differs from the template's (ManagedPolicy -> AWS::IAM::Policy). */
  configType?: string;
  configuration: Obj;
  supplementaryConfiguration?: Obj;
  arn: string;
  name: string;
  /** The `resourceId` AWS Config records (the name, the queue URL, the key id...). */
  configResourceId: string;
  /** `global` for IAM; default the stack's region. */
  region?: string;
  origins: Origin[];
}

export type Mapper = (r: TemplateResolver, id: string, p: Obj) => Mapped;

/** A boolean property: CloudFormation accepts `true` and `"true"`; absent gives the AWS default. */
export function flag(value: unknown, absent: boolean): boolean | string {
  if (value === undefined) return absent;
  if (isUnknown(value)) return value;
  return value === true || value === "true";
}

/** A number property: CloudFormation accepts numbers and numeric strings. */
export function num(value: unknown, absent?: number): number | string | undefined {
  if (value === undefined) return absent;
  if (isUnknown(value)) return value;
  const n = Number(value);
  return Number.isNaN(n) ? String(value) : n;
}

/** A member of an object property; an unknown object's members are unknown. */
export function field(value: unknown, key: string): unknown {
  if (isUnknown(value)) return value;
  return isObj(value) ? value[key] : undefined;
}

/** A list property (an unknown list stays unknown). */
export function list(value: unknown): unknown[] | string {
  if (isUnknown(value)) return value;
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

/** Keys with a lower-case first letter, as the AWS APIs Config calls write them (`KeySchema` -> `keySchema`). */
export function camel(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camel);
  if (!isObj(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k[0]!.toLowerCase() + k.slice(1), camel(v)]),
  );
}

/** An origin for each listed `configPath -> property` pair of the resource itself. */
export function own(id: string, pairs: Record<string, string>): Origin[] {
  return Object.entries(pairs).map(([path, property]) => ({
    path,
    resource: id,
    property: property.split("."),
  }));
}

/**
 * Companion resources of `type` (a QueuePolicy, a Lambda Permission...) whose property `key`
 * names one of `targets` (directly or in a list); not those whose `Condition` is false.
 */
export function companions(r: TemplateResolver, type: string, key: string, targets: string[]): string[] {
  return Object.entries(r.template.Resources)
    .filter(([cid, res]) => res.Type === type && r.created(cid) !== false)
    .filter(([cid]) => {
      const value = r.properties(cid)[key];
      const values = Array.isArray(value) ? value : [value];
      return values.some((v) => targets.includes(String(v)));
    })
    .map(([cid]) => cid);
}
