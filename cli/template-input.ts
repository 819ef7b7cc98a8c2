// CloudFormation templates as input to `compliance evaluate`: JSON or YAML with the short-form
// tags (`!Ref`, `!Sub`, `!GetAtt`...), including what `serverless package` writes
// (.serverless/cloudformation-template-update-stack.json) and `cdk synth` writes
// (cdk.out/*.template.json). A file is a template when its top level has `Resources` whose values
// have a `Type` (CloudFormation's own test). Each parsed template keeps the line and column of every
// node, so findings point at the property in the file.

import { readFileSync } from "node:fs";
import { findNodeAtLocation, type Node, parseTree } from "jsonc-parser";
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from "yaml";
import { describeError, InputError } from "../engine/errors.ts";
import { type CfnTemplate, isTemplate, type Locate } from "../engine/template/index.ts";
import { looksLikeTemplate, templateProblem } from "../engine/template/types.ts";
import { describeFsError } from "./errors.ts";
import { parseJson, positionOf } from "./reader/json-error.ts";

export interface TemplateInput {
  source: string;
  template: CfnTemplate;
  locate: Locate;
}

/** File names that hold YAML templates (JSON templates are recognised by content). */
export const isYamlTemplateName = (file: string): boolean => /\.(ya?ml|template)$/i.test(file);

const FUNCTIONS = [
  "Base64",
  "Cidr",
  "FindInMap",
  "GetAZs",
  "ImportValue",
  "Join",
  "Select",
  "Split",
  "Sub",
  "Transform",
  "And",
  "Equals",
  "If",
  "Not",
  "Or",
  "Length",
  "ToJsonString",
];

/** The long form of a short-form tag: `!Ref x` -> `{"Ref": "x"}`, `!GetAtt a.b` -> `{"Fn::GetAtt": ["a", "b"]}`. */
function longForm(tag: string, value: unknown): unknown {
  const name = tag.slice(1);
  if (name === "Ref" || name === "Condition") return { [name]: value };
  if (name === "GetAtt") {
    return { "Fn::GetAtt": typeof value === "string" ? value.split(/\.(.*)/s).slice(0, 2) : value };
  }
  if (FUNCTIONS.includes(name)) return { [`Fn::${name}`]: value };
  return value;
}

/** Converts a YAML node to data, recording each node's offset (map entries: the key's) by path. */
function toData(
  node: YamlNode | null | undefined,
  path: (string | number)[],
  offsets: Map<string, number>,
): unknown {
  if (node === null || node === undefined) return null;
  let value: unknown;
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = String(isScalar(pair.key) ? pair.key.value : pair.key);
      const at = [...path, key];
      const keyNode = pair.key as YamlNode | null;
      if (keyNode?.range) offsets.set(JSON.stringify(at), keyNode.range[0]);
      out[key] = toData(pair.value as YamlNode | null, at, offsets);
    }
    value = out;
  } else if (isSeq(node)) {
    value = node.items.map((item, i) => {
      const at = [...path, i];
      const itemNode = item as YamlNode;
      if (itemNode?.range) offsets.set(JSON.stringify(at), itemNode.range[0]);
      return toData(itemNode, at, offsets);
    });
  } else if (isScalar(node)) {
    value = node.value;
  } else {
    value = null;
  }
  return node.tag?.startsWith("!") ? longForm(node.tag, value) : value;
}

function parseYaml(text: string): { value: unknown; locate: Locate } {
  const lineCounter = new LineCounter();
  // Duplicate keys are refused (CloudFormation would take one of them; which one, a reader cannot tell).
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const error = doc.errors[0];
  if (error) {
    const at = lineCounter.linePos(error.pos[0]);
    throw new InputError(
      `not valid YAML at line ${at.line}, column ${at.col}: ${error.message.split("\n")[0]}`,
    );
  }
  const offsets = new Map<string, number>();
  const value = toData(doc.contents as YamlNode | null, [], offsets);
  const locate: Locate = (path) => {
    const offset = offsets.get(JSON.stringify(path));
    if (offset === undefined) return undefined;
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  return { value, locate };
}

/** The first key an object of the tree holds twice, with where its second copy is. */
function duplicateKey(node: Node | undefined): Node | undefined {
  if (!node?.children) return undefined;
  if (node.type === "object") {
    const seen = new Set<unknown>();
    for (const property of node.children) {
      const key = property.children?.[0];
      if (!key) continue;
      if (seen.has(key.value)) return key;
      seen.add(key.value);
    }
  }
  for (const child of node.children) {
    const found = duplicateKey(child);
    if (found) return found;
  }
  return undefined;
}

function jsonLocate(text: string, tree: Node | undefined): Locate {
  return (path) => {
    if (!tree) return undefined;
    const node = findNodeAtLocation(tree, path);
    if (!node) return undefined;
    return positionOf(text, node.parent?.type === "property" ? node.parent.offset : node.offset);
  };
}

/** Why a value read as a template is not one: what CloudFormation would refuse, or no typed Resources at all. */
function notATemplate(value: unknown, source: string): InputError {
  const why = looksLikeTemplate(value) ? templateProblem(value) : undefined;
  return new InputError(`not a CloudFormation template: ${why ?? "no Resources with a Type"}`, source);
}

/**
 * The template in a file's text, or undefined when the file is not a template (a JSON file of
 * configuration items). YAML files must be templates; a parse error names the line.
 */
export function parseTemplateText(
  text: string,
  source: string,
  yaml = isYamlTemplateName(source),
): TemplateInput | undefined {
  const trimmed = text.trimStart();
  if (!yaml || trimmed.startsWith("{")) {
    // A failure says where, never what: a template may hold secrets (a parameter's default).
    const parsed = parseJson(text);
    if ("error" in parsed && !yaml) throw new InputError(parsed.error, source);
    const value = "value" in parsed ? parsed.value : undefined;
    if (value !== undefined) {
      if (!isTemplate(value)) {
        // Meant as a template, or a YAML file (which must be one): refused with the reason.
        if (yaml || looksLikeTemplate(value)) throw notATemplate(value, source);
        return undefined;
      }
      const tree = parseTree(text);
      const duplicate = duplicateKey(tree);
      if (duplicate) {
        const at = positionOf(text, duplicate.offset);
        throw new InputError(
          `duplicate key ${JSON.stringify(duplicate.value)} at line ${at.line}, column ${at.column}: CloudFormation would take one of them`,
          source,
        );
      }
      return { source, template: value, locate: jsonLocate(text, tree) };
    }
  }
  let parsed: { value: unknown; locate: Locate };
  try {
    parsed = parseYaml(text);
  } catch (error) {
    throw new InputError(describeError(error), source);
  }
  if (!isTemplate(parsed.value)) {
    throw notATemplate(parsed.value, source);
  }
  return { source, template: parsed.value, locate: parsed.locate };
}

/** Reads a template file; undefined when it is JSON but not a template. */
export function readTemplateFile(file: string): TemplateInput | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new InputError(`cannot read: ${describeFsError(error)}`, file);
  }
  return parseTemplateText(text, file);
}

/** A quick look at a JSON value already parsed: is it a template? */
export { isTemplate };
