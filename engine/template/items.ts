// A template's resources as the configuration items AWS Config would record for them.

import { MAPPERS, type Origin } from "./mappers/index.ts";
import { TemplateResolver } from "./resolve.ts";
import type { CfnTemplate, Obj, TemplateOptions } from "./types.ts";
import { showUnknown } from "./unknown.ts";

/** The capture time of template items: they describe no recorded moment (the Unix epoch). */
export const TEMPLATE_CAPTURE_TIME = "1970-01-01T00:00:00.000Z";

export interface TemplateItem {
  logicalId: string;
  resourceType: string;
  /** The type AWS Config records it as (the template's, but for AWS::IAM::ManagedPolicy). */
  configType: string;
  /** The configuration item, notification shape; undefined when no mapper covers the type. */
  raw?: Obj;
  origins: Origin[];
  /** A marker when the resource's `Condition` is unknown (it may not be created). */
  condition?: string;
}

export function mappedTypes(): ReadonlySet<string> {
  return new Set(Object.keys(MAPPERS));
}

/**
 * One resource as a configuration item in the notification shape: `resourceId` the logical id
 * (`configResourceId` what AWS Config would record), or undefined without a mapper.
 */
export function resourceItem(resolver: TemplateResolver, id: string, useConfigId = false): TemplateItem {
  const resource = resolver.template.Resources[id]!;
  const mapper = MAPPERS[resource.Type];
  const created = resolver.created(id);
  const base: TemplateItem = {
    logicalId: id,
    resourceType: resource.Type,
    configType: resource.Type,
    origins: [],
  };
  if (typeof created === "string") base.condition = created;
  if (!mapper) return base;
  const mapped = mapper(resolver, id, resolver.properties(id));
  base.origins = mapped.origins;
  base.configType = mapped.configType ?? resource.Type;
  base.raw = {
    configurationItemVersion: "1.3",
    configurationItemCaptureTime: TEMPLATE_CAPTURE_TIME,
    configurationItemStatus: "ResourceDiscovered",
    awsAccountId: resolver.account,
    awsRegion: mapped.region ?? resolver.region,
    availabilityZone: "Not Applicable",
    resourceType: base.configType,
    resourceId: useConfigId ? mapped.configResourceId : id,
    resourceName: showUnknown(mapped.name),
    ARN: showUnknown(mapped.arn),
    tags: {},
    relationships: [],
    configuration: mapped.configuration,
    supplementaryConfiguration: mapped.supplementaryConfiguration ?? {},
  };
  return base;
}

/** Every resource the template creates (not those whose `Condition` is false). */
export function templateItems(
  template: CfnTemplate,
  options: TemplateOptions = {},
): {
  resolver: TemplateResolver;
  items: TemplateItem[];
} {
  const resolver = new TemplateResolver(template, options);
  const items = Object.keys(template.Resources)
    .filter((id) => resolver.created(id) !== false)
    .map((id) => resourceItem(resolver, id));
  return { resolver, items };
}
