// The catalogue's shape and its assembly (no schema compiler): what evaluation and the Lambda
// bundles need at run time. engine/catalogue.ts checks and compiles policy files into it; the
// bundles assemble it from validators generated at build time (handlers/shared/catalogue.ts).

import type { ValidateFunction } from "ajv";
import knownTypes from "./data/config-resource-types.json" with { type: "json" };
import {
  isPlatformResourcesFile,
  type PlatformResources,
  parsePlatformResources,
} from "./platform-resources.ts";
import type { CiaRequirement, Severity } from "./types.ts";

export interface ControlCase {
  name: string;
  expect: "PASS" | "FAIL" | "SKIP";
  fixture?: string;
  source?: string;
  item?: Record<string, unknown>;
  set?: Record<string, unknown>;
}

export interface Control {
  id: string;
  title: string;
  resourceType: string;
  severity: Severity;
  cia: CiaRequirement;
  rationale: string;
  remediation: { console: string; cloudformation: string };
  references: string[];
  /** `change` (default): on every configuration change; `periodic`: in the scheduled sweep only. */
  evaluation?: "change" | "periodic";
  appliesTo?: Record<string, unknown>;
  check: Record<string, unknown>;
  failMessage?: string;
  cases: ControlCase[];
}

export interface ServicePolicy {
  service: string;
  title: string;
  description?: string;
  iamPrefixes: string[];
  resourceTypes: string[];
  controls: Control[];
}

/**
 * The built-in control's id (engine/evaluate.ts): reserved, no policy control or platform-resources
 * finding may use it.
 */
export const ALLOWED_SERVICE_ID = "PLATFORM.ALLOWED-SERVICE";

/** A control with its compiled validators and the file it came from. */
export interface CompiledControl extends Control {
  service: string;
  file: string;
  validate: ValidateFunction;
  applies?: ValidateFunction;
}

export interface Catalogue {
  policies: (ServicePolicy & { file: string })[];
  controls: CompiledControl[];
  /** Controls by resource type, in catalogue order. */
  byResourceType: Map<string, CompiledControl[]>;
  /** Every resource type some service lists, and the namespaces (`AWS::Lambda`) they cover. */
  allowedTypes: Set<string>;
  allowedNamespaces: Set<string>;
  /**
   * Resource types of services outside the catalogue that AWS or the platform creates in every
   * account, with their disposition (policies/platform-resources.json); absent: none.
   */
  platform?: PlatformResources;
}

export interface PolicySource {
  /** Path shown in messages, e.g. `policies/dynamodb.json`. */
  file: string;
  text: string;
}

const recordedTypes = new Set(knownTypes as string[]);

/** True when AWS Config records this resource type. */
export function isRecordedType(type: string): boolean {
  return recordedTypes.has(type);
}

/** `AWS::Lambda::Function` -> `AWS::Lambda` (what is before the second `::`, all when there is none). */
export function namespaceOf(resourceType: string): string {
  const first = resourceType.indexOf("::");
  if (first === -1) return resourceType;
  const second = resourceType.indexOf("::", first + 2);
  return second === -1 ? resourceType : resourceType.slice(0, second);
}

export function emptyCatalogue(): Catalogue {
  return {
    policies: [],
    controls: [],
    byResourceType: new Map(),
    allowedTypes: new Set(),
    allowedNamespaces: new Set(),
  };
}

/** Adds a service policy and the resource types it allows (not its controls: see `addControl`). */
export function addPolicy(catalogue: Catalogue, policy: ServicePolicy, file: string): void {
  catalogue.policies.push({ ...policy, file });
  for (const type of policy.resourceTypes) {
    catalogue.allowedTypes.add(type);
    catalogue.allowedNamespaces.add(namespaceOf(type));
  }
}

/** Adds a compiled control, indexed by its resource type. */
export function addControl(catalogue: Catalogue, control: CompiledControl): void {
  catalogue.controls.push(control);
  const list = catalogue.byResourceType.get(control.resourceType) ?? [];
  list.push(control);
  catalogue.byResourceType.set(control.resourceType, list);
}

/** A control as a handler that shows controls reads it: its texts and levels, no check. */
export type ControlText = Omit<Control, "check" | "cases" | "appliesTo"> & { service: string; file: string };

/** The catalogue's controls and platform-resources list, without validators. */
export interface ControlTexts {
  controls: ControlText[];
  platform?: PlatformResources;
}

/**
 * The controls of policy texts as they are written, compiling nothing: what the notifier reads
 * (titles, severities, CIA levels, rationale, remediation). The texts may lack each control's
 * check and cases (the bundle leaves out what the handler never reads).
 */
export function controlTexts(sources: readonly PolicySource[]): ControlTexts {
  const out: ControlTexts = { controls: [] };
  for (const { file, text } of sources) {
    if (isPlatformResourcesFile(file)) {
      out.platform = parsePlatformResources(file, text);
      continue;
    }
    const policy = JSON.parse(text) as ServicePolicy;
    for (const control of policy.controls) out.controls.push({ ...control, service: policy.service, file });
  }
  return out;
}

/** Validators generated ahead of time (Ajv standalone code), by control id. */
export type PrecompiledValidators = Record<string, { check: ValidateFunction; applies?: ValidateFunction }>;

/**
 * Builds the catalogue from policy texts and validators generated ahead of time. The build has
 * already run the full check on the same texts, so only assembly is left, with `addPolicy` /
 * `addControl` (a test pins that both give the same catalogue). No schema compiler is imported.
 */
export function assembleCatalogue(
  sources: readonly PolicySource[],
  validators: PrecompiledValidators,
): Catalogue {
  const catalogue = emptyCatalogue();
  for (const { file, text } of sources) {
    if (isPlatformResourcesFile(file)) {
      catalogue.platform = parsePlatformResources(file, text);
      continue;
    }
    const policy = JSON.parse(text) as ServicePolicy;
    addPolicy(catalogue, policy, file);
    for (const control of policy.controls) {
      const compiled = validators[control.id];
      if (!compiled) {
        throw new Error(`${file}: no precompiled validator for control ${control.id}: rebuild`);
      }
      const entry: CompiledControl = { ...control, service: policy.service, file, validate: compiled.check };
      if (compiled.applies) entry.applies = compiled.applies;
      addControl(catalogue, entry);
    }
  }
  return catalogue;
}
