// Waivers: approved, time-limited exceptions. A waiver names a control and a scope (accounts
// and/or resource ARN patterns; both must match when both are given), a reason, an approver, and
// an expiry at most a year after it was granted. An expired waiver stops applying.

import { Ajv, type ValidateFunction } from "ajv";
import schema from "../policies/waivers.schema.json" with { type: "json" };
import type { PolicyProblem } from "./errors.ts";
import { readLocated } from "./located-file.ts";
import { DAY_MS, isExpired, type Waiver } from "./waiver-match.ts";

export * from "./waiver-match.ts";

// Compiled on first use, not at import (the Lambda bundles embed waivers checked at build time).
let fileValidator: ValidateFunction | undefined;
const waiverFileValidator = (): ValidateFunction =>
  (fileValidator ??= new Ajv({ strict: false, allErrors: true }).compile(schema));
/** A year, allowing for a leap day. */
const MAX_DAYS = 366;

/**
 * Parses and checks the waiver file. Expired waivers and waivers granted for more than a year are
 * errors (the first stops applying; the second is not allowed); unknown control ids are errors.
 */
export function checkWaivers(
  file: string,
  text: string,
  now: Date,
  knownControlIds: ReadonlySet<string>,
): { waivers: Waiver[]; problems: PolicyProblem[] } {
  const problems: PolicyProblem[] = [];
  const { data, parsed, problem } = readLocated(file, text, problems);
  if (!parsed) return { waivers: [], problems };
  const validateFile = waiverFileValidator();
  if (!validateFile(data)) {
    for (const e of validateFile.errors ?? []) problem(e.instancePath, e.message ?? e.keyword);
    return { waivers: [], problems };
  }
  const waivers = (data as { waivers: Waiver[] }).waivers;
  waivers.forEach((w, i) => {
    const granted = Date.parse(`${w.granted}T00:00:00Z`);
    const expires = Date.parse(`${w.expires}T00:00:00Z`);
    if (Number.isNaN(granted)) problem(`/waivers/${i}/granted`, `"${w.granted}" is not a date`);
    if (Number.isNaN(expires)) problem(`/waivers/${i}/expires`, `"${w.expires}" is not a date`);
    if (!knownControlIds.has(w.controlId))
      problem(`/waivers/${i}/controlId`, `unknown control id "${w.controlId}"`);
    if (expires - granted > MAX_DAYS * DAY_MS) {
      problem(
        `/waivers/${i}/expires`,
        `expires ${w.expires}, more than a year after it was granted (${w.granted})`,
      );
    }
    if (expires < granted) problem(`/waivers/${i}/expires`, `expires ${w.expires} before it was granted`);
    if (isExpired(w, now)) {
      problem(
        `/waivers/${i}/expires`,
        `waiver for ${w.controlId} expired on ${w.expires}: it no longer applies`,
      );
    }
  });
  return { waivers, problems };
}
