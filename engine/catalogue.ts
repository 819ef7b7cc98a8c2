// The policy catalogue: parse and check the policy files (structure against the published
// meta-schema, then the rules a schema cannot say), and compile every control's check once.
// Pure: it takes file texts, so the CLI reads them from disk and the Lambda bundle embeds them.

import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { type Node, type ParseError, parseTree, printParseErrorCode } from "jsonc-parser";
import definitions from "../policies/definitions.json" with { type: "json" };
import metaSchema from "../policies/policy.schema.json" with { type: "json" };
import { KEYWORDS } from "../rules/index.ts";
import {
  ALLOWED_SERVICE_ID,
  addControl,
  addPolicy,
  type Catalogue,
  type CompiledControl,
  emptyCatalogue,
  isRecordedType,
  type PolicySource,
  type ServicePolicy,
} from "./catalogue-model.ts";
import { CatalogueError, describeError, type PolicyProblem } from "./errors.ts";
import { escapeSegment, invalidPointerEscape, locator } from "./json-locate.ts";
import { DATA_KEYWORDS, linearRegExp, patternsOf, unsupportedSyntax } from "./linear-regexp.ts";
import { isPlatformResourcesFile } from "./platform-resources.ts";
import { checkPlatformResources } from "./platform-resources-check.ts";

export * from "./catalogue-model.ts";

// ajv-formats is published as CommonJS with a default export.
// ajv-formats is CommonJS: its function is the default export under a bundler, `.default` under Node.
type AddFormats = (ajv: Ajv) => Ajv;
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ??
  addFormatsModule) as unknown as AddFormats;

/**
 * A fresh Ajv instance as the catalogue uses it: strict, all errors, formats, verbose errors, the
 * rules/ vocabulary, and the shared definitions checks reference as `compliance:definitions#/definitions/...`.
 */
export function createAjv(): Ajv {
  const ajv = new Ajv({
    strict: true,
    allErrors: true,
    verbose: true,
    allowUnionTypes: true,
    // Checks are called with a context, `validate.call({ evaluatedAt }, item)`: keywords that judge
    // a date against the evaluation time read it there (rules/min-days-left.ts).
    passContext: true,
    // Patterns run on RE2: linear time, whatever the pattern (see linear-regexp.ts).
    code: { regExp: linearRegExp },
  });
  addFormats(ajv);
  for (const keyword of KEYWORDS) ajv.addKeyword(keyword);
  ajv.addSchema(definitions);
  return ajv;
}

// Compiled on first use, not at import: the Lambda bundles import this module but never parse a
// policy file at run time (their validators are generated at build time), so their cold start
// skips this compilation.
let metaValidator: ValidateFunction | undefined;
function policyFileValidator(): ValidateFunction {
  if (!metaValidator) {
    // Formats too: a check's `pattern` is checked to be a regular expression at all.
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    metaValidator = ajv.compile(metaSchema);
  }
  return metaValidator;
}

/**
 * Line and column (1-based) of a JSON pointer in a file's text, when it can be found. For one
 * pointer; a file's many problems share one `locator` (engine/json-locate.ts).
 */
export function locate(
  text: string,
  tree: Node | undefined,
  pointer: string,
): { line: number; column: number } {
  return locator(text, tree)(pointer);
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lastNewline = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lastNewline = i;
    }
  }
  return { line, column: offset - lastNewline };
}

function schemaErrorMessage(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "additionalProperties":
      return `unknown property "${String(params.additionalProperty)}"`;
    case "required":
      return `missing required property "${String(params.missingProperty)}"`;
    case "enum":
      return `must be one of ${JSON.stringify(params.allowedValues)}`;
    default:
      return error.message ?? error.keyword;
  }
}

/** `/controls/3/check/at/...` -> `/controls/3/check` (the check or appliesTo an error lies in). */
const CHECK_POINTER = /^\/controls\/\d+\/(check|appliesTo)(?=\/|$)/;

/** `/at/~1configuration~1Policy/type` -> `at."/configuration/Policy".type: ` (empty at the check itself). */
function insideCheck(pointer: string): string {
  if (pointer === "") return "";
  const segments = pointer
    .split("/")
    .slice(1)
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((p) => (/^[A-Za-z0-9_$*-]+$/.test(p) ? p : JSON.stringify(p)));
  return `${segments.join(".")}: `;
}

/**
 * Parses one policy file; problems go to `problems`, the policy (if structurally valid) is
 * returned. A file whose only errors lie inside checks is still returned, with those checks
 * listed in `brokenChecks`: its other controls are still checked (ids, cases) and compiled.
 */
function parsePolicy(
  source: PolicySource,
  problems: PolicyProblem[],
): { policy: ServicePolicy; brokenChecks: Set<string> } | undefined {
  const { file, text } = source;
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  if (errors.length > 0 || !tree) {
    const first = errors[0];
    const where = lineColumn(text, first?.offset ?? 0);
    problems.push({
      file,
      pointer: "",
      level: "error",
      // `PropertyNameExpected` -> `property name expected`
      message: `not valid JSON: ${
        first
          ? printParseErrorCode(first.error)
              .replace(/(?<=[a-z])(?=[A-Z])/g, " ")
              .toLowerCase()
          : "empty file"
      }`,
      ...where,
    });
    return undefined;
  }
  const data: unknown = JSON.parse(text);
  const validatePolicyFile = policyFileValidator();
  const brokenChecks = new Set<string>();
  if (!validatePolicyFile(data)) {
    const all = validatePolicyFile.errors ?? [];
    const onlyInChecks = all.every((e) => CHECK_POINTER.test(e.instancePath));
    const at = locator(text, tree);
    // Report the most specific errors: drop a oneOf/anyOf summary when its branches are reported;
    // inside a check, one error per place (the first alternative's), said as a schema error.
    const seen = new Set<string>();
    for (const error of all) {
      if ((error.keyword === "oneOf" || error.keyword === "anyOf") && all.length > 1) continue;
      const check = CHECK_POINTER.exec(error.instancePath)?.[0];
      const message = check
        ? `invalid JSON Schema: ${insideCheck(error.instancePath.slice(check.length))}${schemaErrorMessage(error)}`
        : schemaErrorMessage(error);
      const key = check ? `${error.instancePath}` : `${error.instancePath} ${message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (check) brokenChecks.add(check);
      problems.push({
        file,
        // A check's error is reported as the check's, at the line of the exact place.
        pointer: check ?? error.instancePath,
        level: "error",
        message,
        ...at(error.instancePath),
      });
    }
    if (!onlyInChecks) return undefined;
  }
  return { policy: data as unknown as ServicePolicy, brokenChecks };
}

/** Keywords whose values map names (not keywords) to schemas. */
const SCHEMA_MAPS = new Set(["properties", "patternProperties", "definitions", "dependencies"]);

/** Every path written in an `at` of a check, with its pointer below `base`. */
function atPathsOf(
  schema: unknown,
  base: string,
  out: { path: string; pointer: string }[] = [],
): { path: string; pointer: string }[] {
  if (Array.isArray(schema)) {
    schema.forEach((s, i) => {
      atPathsOf(s, `${base}/${i}`, out);
    });
    return out;
  }
  if (typeof schema !== "object" || schema === null) return out;
  for (const [key, value] of Object.entries(schema)) {
    if (DATA_KEYWORDS.has(key) || typeof value !== "object" || value === null) continue;
    const here = `${base}/${escapeSegment(key)}`;
    if ((key === "at" || SCHEMA_MAPS.has(key)) && !Array.isArray(value)) {
      for (const [name, sub] of Object.entries(value)) {
        const pointer = `${here}/${escapeSegment(name)}`;
        if (key === "at") out.push({ path: name, pointer });
        atPathsOf(sub, pointer, out);
      }
    } else {
      atPathsOf(value, here, out);
    }
  }
  return out;
}

/**
 * Checks and compiles the catalogue. Returns the compiled catalogue and every problem found;
 * `loadCatalogue` throws instead when there are errors.
 */
export function checkCatalogue(sources: PolicySource[]): { catalogue: Catalogue; problems: PolicyProblem[] } {
  const problems: PolicyProblem[] = [];
  const ajv = createAjv();
  const catalogue = emptyCatalogue();
  const controlIds = new Map<string, string>();
  const services = new Map<string, string>();

  // The platform-resources file is checked against the service policies, after them.
  const platformSources: PolicySource[] = [];
  for (const source of sources) {
    if (isPlatformResourcesFile(source.file)) {
      platformSources.push(source);
      continue;
    }
    const parsed = parsePolicy(source, problems);
    if (!parsed) continue;
    const { policy, brokenChecks } = parsed;
    const { file, text } = source;
    const at = locator(text, parseTree(text));
    const problem = (pointer: string, message: string, level: PolicyProblem["level"] = "error") =>
      problems.push({ file, pointer, message, level, ...at(pointer) });

    const otherFile = services.get(policy.service);
    if (otherFile) problem("/service", `service "${policy.service}" is also defined in ${otherFile}`);
    services.set(policy.service, file);
    addPolicy(catalogue, policy, file);
    policy.resourceTypes.forEach((type, i) => {
      if (
        !isRecordedType(type) &&
        !policy.controls.some((c) => c.resourceType === type && c.evaluation === "periodic")
      ) {
        problem(`/resourceTypes/${i}`, `unknown resource type "${type}": AWS Config does not record it`);
      }
    });

    policy.controls.forEach((control, index) => {
      const at = `/controls/${index}`;
      const firstFile = controlIds.get(control.id);
      if (firstFile)
        problem(`${at}/id`, `duplicate control id "${control.id}" (first defined in ${firstFile})`);
      controlIds.set(control.id, file);
      if (control.id === ALLOWED_SERVICE_ID) {
        problem(
          `${at}/id`,
          `control id "${control.id}" is reserved: it is the engine's built-in control (a resource of a service the catalogue does not allow)`,
        );
      }
      control.cases.forEach((testCase, caseIndex) => {
        for (const pointer of Object.keys(testCase.set ?? {})) {
          const bad = invalidPointerEscape(pointer);
          if (bad) problem(`${at}/cases/${caseIndex}/set/${escapeSegment(pointer)}`, bad);
        }
      });
      if (!policy.resourceTypes.includes(control.resourceType)) {
        problem(
          `${at}/resourceType`,
          `"${control.resourceType}" is not listed in this service's resourceTypes`,
        );
      }
      if (control.evaluation !== "periodic" && !isRecordedType(control.resourceType)) {
        problem(
          `${at}/resourceType`,
          `unknown resource type "${control.resourceType}": AWS Config does not record it (a control on a type Config does not record must be "evaluation": "periodic")`,
        );
      }
      if (
        !control.cases.some((c) => c.expect === "PASS") ||
        !control.cases.some((c) => c.expect === "FAIL")
      ) {
        problem(`${at}/cases`, "a control needs at least one PASS case and one FAIL case");
      }
      // Its schema errors are reported already; compiling would only say them again.
      if (brokenChecks.has(`${at}/check`) || brokenChecks.has(`${at}/appliesTo`)) return;
      let badPattern = false;
      for (const { pattern, pointer } of [
        ...patternsOf(control.check, `${at}/check`),
        ...patternsOf(control.appliesTo ?? {}, `${at}/appliesTo`),
      ]) {
        const reason = unsupportedSyntax(pattern);
        if (reason === undefined) continue;
        badPattern = true;
        problem(
          pointer,
          `pattern ${JSON.stringify(pattern)} is not RE2 syntax, which checks run on so that no pattern can backtrack catastrophically (no lookaround, no backreferences): ${reason}`,
        );
      }
      for (const { path, pointer } of [
        ...atPathsOf(control.check, `${at}/check`),
        ...atPathsOf(control.appliesTo ?? {}, `${at}/appliesTo`),
      ]) {
        const bad = invalidPointerEscape(path);
        if (bad === undefined) continue;
        badPattern = true;
        problem(pointer, bad);
      }
      if (badPattern) return;
      let validate: ValidateFunction | undefined;
      let applies: ValidateFunction | undefined;
      try {
        validate = ajv.compile(control.check);
      } catch (error) {
        problem(`${at}/check`, `invalid JSON Schema: ${describeError(error)}`);
      }
      if (control.appliesTo) {
        try {
          applies = ajv.compile(control.appliesTo);
        } catch (error) {
          problem(`${at}/appliesTo`, `invalid JSON Schema: ${describeError(error)}`);
        }
      }
      if (!validate) return;
      const compiled: CompiledControl = { ...control, service: policy.service, file, validate };
      if (applies) compiled.applies = applies;
      addControl(catalogue, compiled);
    });
  }
  for (const source of platformSources) {
    const checked = checkPlatformResources(source, catalogue);
    problems.push(...checked.problems);
    if (checked.platform) catalogue.platform = checked.platform;
  }
  return { catalogue, problems };
}

/** The compiled catalogue; throws CatalogueError when any policy file has an error. */
export function loadCatalogue(sources: PolicySource[]): Catalogue {
  const { catalogue, problems } = checkCatalogue(sources);
  const errors = problems.filter((p) => p.level === "error");
  if (errors.length > 0) throw new CatalogueError(errors);
  return catalogue;
}
