// The options of `compliance evaluate` for templates: `--parameters FILE` in CloudFormation's
// parameter file formats, and `--rating`.
//   - `[{"ParameterKey": "Env", "ParameterValue": "prod"}, ...]` (aws cloudformation create-stack
//     --parameters file://..., also with "UsePreviousValue");
//   - `{"Parameters": {"Env": "prod", ...}}` (a CodePipeline template configuration file);
//   - `["Env=prod", ...]` (aws cloudformation deploy --parameter-overrides file://...).

import { readFileSync } from "node:fs";
import { parseRating } from "../engine/cia.ts";
import { PREVIOUS_VALUE } from "../engine/template/types.ts";
import type { CiaRating } from "../engine/types.ts";
import { describeFsError, UsageError } from "./errors.ts";
import { parseJson } from "./reader/json-error.ts";

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Parameter values from a parameters file's parsed JSON; a one-line error names what is wrong. */
export function parametersFrom(value: unknown, file: string): Record<string, unknown> {
  const bad = (what: string) => new UsageError(`--parameters ${file}: ${what}`);
  if (isObj(value) && isObj(value.Parameters)) {
    for (const [key, v] of Object.entries(value.Parameters)) {
      if (typeof v !== "string" && typeof v !== "number" && !Array.isArray(v)) {
        throw bad(`Parameters.${key} must be a string`);
      }
    }
    return { ...value.Parameters };
  }
  if (!Array.isArray(value)) {
    throw bad(
      'expected [{"ParameterKey": ..., "ParameterValue": ...}], ["Key=Value"] or {"Parameters": {...}}',
    );
  }
  const out: Record<string, unknown> = {};
  for (const [i, entry] of value.entries()) {
    if (typeof entry === "string") {
      const at = entry.indexOf("=");
      if (at < 1) throw bad(`[${i}] must be "Key=Value"`);
      out[entry.slice(0, at)] = entry.slice(at + 1);
    } else if (isObj(entry) && typeof entry.ParameterKey === "string") {
      if (entry.ParameterValue !== undefined) out[entry.ParameterKey] = String(entry.ParameterValue);
      else if (entry.UsePreviousValue === true) out[entry.ParameterKey] = PREVIOUS_VALUE;
      else throw bad(`[${i}] has no ParameterValue`);
    } else {
      throw bad(`[${i}] must have a ParameterKey`);
    }
  }
  return out;
}

export function readParametersFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new UsageError(`--parameters ${file}: cannot read: ${describeFsError(error)}`);
  }
  // Where, never what: a parameters file may hold secrets, and JSON.parse's message quotes the text.
  const parsed = parseJson(text);
  if ("error" in parsed) throw new UsageError(`--parameters ${file}: ${parsed.error}`);
  return parametersFrom(parsed.value, file);
}

export function ratingOption(text: string | undefined): CiaRating | undefined {
  if (text === undefined) return undefined;
  const rating = parseRating(text);
  if (!rating) throw new UsageError(`--rating: "${text}" is not a rating like C3I2A1 (each level 1 to 3)`);
  return rating;
}

export function accountOption(text: string | undefined): string | undefined {
  if (text !== undefined && !/^\d{12}$/.test(text))
    throw new UsageError(`--account: "${text}" is not a 12-digit account id`);
  return text;
}
