// Checks policies/platform-resources.json against its schema and against the rest of the
// catalogue: a listed type must be one AWS Config records and not one a service of the catalogue
// already allows (one place per type), finding ids must be unique, and an entry that an earlier
// unconditional entry of its type hides is an error. Pure: the text comes from the caller.

import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { type Node, parseTree } from "jsonc-parser";
import schema from "../policies/platform-resources.schema.json" with { type: "json" };
import {
  ALLOWED_SERVICE_ID,
  type Catalogue,
  isRecordedType,
  namespaceOf,
  type PolicySource,
} from "./catalogue-model.ts";
import type { PolicyProblem } from "./errors.ts";
import { escapeSegment, invalidPointerEscape, locator } from "./json-locate.ts";
import { type PlatformEntry, type PlatformResources, platformResources } from "./platform-resources.ts";

let validator: ValidateFunction | undefined;
function schemaValidator(): ValidateFunction {
  validator ??= new Ajv({ strict: false, allErrors: true }).compile(schema);
  return validator;
}

function schemaMessage(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === "additionalProperties")
    return `unknown property "${String(params.additionalProperty)}"`;
  if (error.keyword === "required") return `missing required property "${String(params.missingProperty)}"`;
  if (error.keyword === "enum") return `must be one of ${JSON.stringify(params.allowedValues)}`;
  if (error.keyword === "not" && /\/resources\/\d+$/.test(error.instancePath)) {
    return `only a "finding" disposition has a "finding"`;
  }
  return error.message ?? error.keyword;
}

/** The service policy that already allows a type (by the type or its namespace), if any. */
function allowingPolicy(catalogue: Catalogue, type: string): string | undefined {
  const namespace = namespaceOf(type);
  return catalogue.policies.find(
    (p) => p.resourceTypes.includes(type) || p.resourceTypes.some((t) => namespaceOf(t) === namespace),
  )?.file;
}

/**
 * Checks the file's text against the catalogue's service policies and control ids. Returns the
 * list when the file is structurally valid (its other problems are still reported) and every
 * problem found.
 */
export function checkPlatformResources(
  source: PolicySource,
  catalogue: Catalogue,
): { platform?: PlatformResources; problems: PolicyProblem[] } {
  const { file, text } = source;
  const problems: PolicyProblem[] = [];
  let tree: Node | undefined;
  let data: unknown;
  try {
    data = JSON.parse(text);
    tree = parseTree(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    problems.push({
      file,
      pointer: "",
      level: "error",
      message: `not valid JSON: ${reason}`,
      line: 1,
      column: 1,
    });
    return { problems };
  }
  const at = locator(text, tree);
  const problem = (pointer: string, message: string) =>
    problems.push({ file, pointer, level: "error", message, ...at(pointer) });
  const validate = schemaValidator();
  if (!validate(data)) {
    const errors = validate.errors ?? [];
    for (const error of errors) {
      // An if/then/else summary repeats the branch's own error.
      if (error.keyword === "if") continue;
      problem(error.instancePath, schemaMessage(error));
    }
    return { problems };
  }
  const entries = (data as { resources: PlatformEntry[] }).resources;
  const controlIds = new Set(catalogue.controls.map((c) => c.id));
  const findingIds = new Map<string, number>();
  const unconditional = new Map<string, number>();
  entries.forEach((entry, index) => {
    const pointer = `/resources/${index}`;
    const type = entry.resourceType;
    if (!isRecordedType(type)) {
      problem(`${pointer}/resourceType`, `unknown resource type "${type}": AWS Config does not record it`);
    }
    const allowedBy = allowingPolicy(catalogue, type);
    if (allowedBy) {
      problem(
        `${pointer}/resourceType`,
        `"${type}" is a type of a service the catalogue allows already (${allowedBy}): give each type one place`,
      );
    }
    const hiddenBy = unconditional.get(type);
    if (hiddenBy !== undefined) {
      problem(
        pointer,
        `never applies: entry ${hiddenBy} of "${type}" has no "where" and decides every item of the type first`,
      );
    }
    for (const key of Object.keys(entry.where ?? {})) {
      const bad = invalidPointerEscape(key);
      if (bad) problem(`${pointer}/where/${escapeSegment(key)}`, bad);
    }
    (entry.cases ?? []).forEach((testCase, caseIndex) => {
      for (const key of Object.keys(testCase.set ?? {})) {
        const bad = invalidPointerEscape(key);
        if (bad) problem(`${pointer}/cases/${caseIndex}/set/${escapeSegment(key)}`, bad);
      }
    });
    if (!entry.where) unconditional.set(type, index);
    else if (!entry.cases?.length) {
      problem(
        `${pointer}/where`,
        `an entry with "where" needs cases: real items it matches and does not match`,
      );
    }
    const id = entry.finding?.id;
    if (id === undefined) return;
    const first = findingIds.get(id);
    if (first !== undefined)
      problem(`${pointer}/finding/id`, `duplicate finding id "${id}" (first in entry ${first})`);
    else if (id === ALLOWED_SERVICE_ID || controlIds.has(id)) {
      problem(`${pointer}/finding/id`, `finding id "${id}" is a control id already`);
    }
    findingIds.set(id, index);
  });
  return { platform: platformResources(file, entries), problems };
}
