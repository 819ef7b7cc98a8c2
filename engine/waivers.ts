// Waivers: approved, time-limited exceptions. A waiver names a control and a scope (accounts
// and/or resource ARN patterns; both must match when both are given), a reason, an approver, and
// an expiry at most a year after it was granted. An expired waiver stops applying. The file's
// schema is compiled here, at run time; the checks themselves are engine/waiver-check.ts.

import { Ajv, type ValidateFunction } from "ajv";
import schema from "../policies/waivers.schema.json" with { type: "json" };
import type { PolicyProblem } from "./errors.ts";
import { checkWaiverFile } from "./waiver-check.ts";
import type { Waiver } from "./waiver-match.ts";

export * from "./waiver-match.ts";

/** The waiver file's schema, and the options it is compiled with (the build's generated validator too). */
export const WAIVER_SCHEMA = schema;
export const WAIVER_SCHEMA_OPTIONS = { strict: false, allErrors: true } as const;

// Compiled on first use, not at import (the Lambda bundles embed waivers checked at build time).
let fileValidator: ValidateFunction | undefined;
export const waiverFileValidator = (): ValidateFunction =>
  (fileValidator ??= new Ajv(WAIVER_SCHEMA_OPTIONS).compile(schema));

/**
 * Parses and checks the waiver file. Expired waivers and waivers granted for more than a year are
 * errors (the first stops applying; the second is not allowed); unknown control ids are errors.
 */
export function checkWaivers(
  file: string,
  text: string,
  now: Date,
  knownControlIds: ReadonlySet<string>,
): { waivers: Waiver[]; problems: PolicyProblem[]; errors: PolicyProblem[] } {
  return checkWaiverFile(waiverFileValidator(), file, text, now, knownControlIds);
}
