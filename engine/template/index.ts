// The template path: a CloudFormation template's resources judged by the catalogue before they
// are deployed, with the same controls the AWS Config rules run on the deployed resources.
// Pure: the template is parsed by the caller, which may pass `locate` to place findings at the
// line and column of the property in the file.

import { type Catalogue, isRecordedType } from "../catalogue-model.ts";
import { InputError } from "../errors.ts";
import { type EvaluateOptions, evaluate, finishRecord } from "../evaluate.ts";
import { normalise } from "../normalise.ts";
import type { ConfigurationItem, EvaluationRecord, Finding } from "../types.ts";
import { evaluateTemplateItem } from "./evaluate-template.ts";
import { TEMPLATE_CAPTURE_TIME, type TemplateItem, templateItems } from "./items.ts";
import { findingPath, type Locate, locateNearest } from "./locate.ts";
import { COMPANION_TYPES, CONFIG_TYPES } from "./mappers/index.ts";
import { PLACEHOLDER_REGION, type TemplateResolver } from "./resolve.ts";
import { isOutsideAllowList } from "./service-of-type.ts";
import type { CfnTemplate, TemplateOptions } from "./types.ts";

export { mappedTypes, resourceItem, templateItems } from "./items.ts";
export type { Locate } from "./locate.ts";
export { TemplateResolver } from "./resolve.ts";
export { type CfnTemplate, isTemplate, type TemplateOptions } from "./types.ts";

/**
 * The type AWS Config records a CloudFormation resource type as, whose controls judge it
 * (`AWS::CertificateManager::Certificate` -> `AWS::ACM::Certificate`); most types are the same.
 */
export function configTypeOf(templateType: string): string {
  return CONFIG_TYPES[templateType] ?? templateType;
}

/** The account of a template's records when no account is given. */
export const UNKNOWN_ACCOUNT = "unknown";

export interface TemplateEvaluationOptions extends EvaluateOptions, TemplateOptions {
  /** The file the template came from, for locations. */
  file?: string;
  locate?: Locate;
}

function bareItem(item: TemplateItem, resolver: TemplateResolver): ConfigurationItem {
  return {
    version: "1.3",
    accountId: resolver.account,
    arn: "",
    resourceType: item.resourceType,
    resourceId: item.logicalId,
    awsRegion: resolver.region,
    configurationItemCaptureTime: TEMPLATE_CAPTURE_TIME,
    configurationItemStatus: "ResourceDiscovered",
    tags: {},
    relationships: [],
    configuration: {},
    supplementaryConfiguration: {},
  };
}

/** A type with controls that no mapper covers yet: every control unknown, said plainly. */
function unmapped(item: ConfigurationItem, catalogue: Catalogue, options: EvaluateOptions): EvaluationRecord {
  const record = evaluate(item, catalogue, options);
  const findings = record.findings.map(
    (f): Finding => ({
      ...f,
      status: "UNKNOWN",
      message: `the template path does not map ${item.resourceType} properties to a configuration item yet`,
    }),
  );
  return finishRecord(item, options.rating, findings);
}

function evaluateOne(
  item: TemplateItem,
  resolver: TemplateResolver,
  catalogue: Catalogue,
  options: TemplateEvaluationOptions,
): EvaluationRecord | undefined {
  const hasControls = (catalogue.byResourceType.get(item.resourceType) ?? []).length > 0;
  if (item.raw) return evaluateTemplateItem(normalise(item.raw), resolver.unknowns, catalogue, options);
  if (hasControls) return unmapped(bareItem(item, resolver), catalogue, options);
  // A type AWS Config records still meets the allowed-services control, as on the detective path;
  // one it does not record, of a service outside the allow-list, fails it too: the SCP will deny it.
  if (isRecordedType(item.resourceType) || isOutsideAllowList(catalogue, item.resourceType)) {
    return evaluate(bareItem(item, resolver), catalogue, options);
  }
  return undefined;
}

/** The AWS SAM transform's resource types, which CloudFormation expands only when it deploys. */
const SAM_TYPE = /^AWS::Serverless::/;

/**
 * Refuses a template whose resources only exist once a transform has expanded it: an
 * `AWS::Serverless::Function` becomes a function, a role and more only inside CloudFormation, so
 * judging the unexpanded template would pass what it deploys unseen.
 */
function refuseUnexpanded(template: CfnTemplate): void {
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (SAM_TYPE.test(resource.Type)) {
      throw new InputError(
        `Resources.${id} is an ${resource.Type}: the template uses the AWS SAM transform, which CloudFormation expands only when it deploys; evaluate the processed template (aws cloudformation get-template --template-stage Processed)`,
      );
    }
  }
}

/** Every resource of the template the catalogue judges, as records with `source: "template"`. */
export function evaluateTemplate(
  template: CfnTemplate,
  catalogue: Catalogue,
  options: TemplateEvaluationOptions,
): EvaluationRecord[] {
  refuseUnexpanded(template);
  const { resolver, items } = templateItems(template, options);
  const records: EvaluationRecord[] = [];
  for (const item of items) {
    if (COMPANION_TYPES.has(item.resourceType)) continue;
    const record = evaluateOne(item, resolver, catalogue, options);
    if (!record) continue;
    record.source = "template";
    record.resourceType = item.resourceType;
    record.resourceId = item.logicalId;
    record.accountId = options.account ?? UNKNOWN_ACCOUNT;
    if (!options.region && record.region === PLACEHOLDER_REGION) record.region = "unknown";
    if (options.locate) {
      const at = (path: (string | number)[]) => {
        const found = locateNearest(options.locate!, path);
        return found && { file: options.file ?? "", ...found };
      };
      const resourceAt = at(["Resources", item.logicalId, "Type"]) ?? at(["Resources", item.logicalId]);
      if (resourceAt) record.location = resourceAt;
      const controls = new Map((catalogue.byResourceType.get(item.configType) ?? []).map((c) => [c.id, c]));
      for (const f of record.findings) {
        const location = at(findingPath(controls.get(f.controlId), item.origins, item.logicalId));
        if (location) f.location = location;
      }
    }
    records.push(record);
  }
  return records;
}
