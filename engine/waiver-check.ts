// The waiver file's checks, given the validator of its schema: compiled at run time
// (engine/waivers.ts) or generated ahead of time for the package's own waiver file
// (loader/generated-catalogue.ts), so that a command using the package's catalogue loads no schema
// compiler. Expired waivers and waivers granted for more than a year are errors (the first stops
// applying; the second is not allowed); unknown control ids are errors.

import type { ValidateFunction } from "ajv";
import type { PolicySource } from "./catalogue-model.ts";
import type { PolicyProblem } from "./errors.ts";
import { readLocated } from "./located-file.ts";
import { waivableIds } from "./platform-resources.ts";
import { DAY_MS, isExpired, type Waiver } from "./waiver-match.ts";

/** A year, allowing for a leap day. */
const MAX_DAYS = 366;

/**
 * Parses and checks a waiver file (`validateFile`: the validator of its schema). `errors` are the
 * problems that leave the file unusable: every problem but an expired waiver, which only stops
 * applying (a file that is not JSON or fails its schema gives no waiver at all).
 */
export function checkWaiverFile(
  validateFile: ValidateFunction,
  file: string,
  text: string,
  now: Date,
  knownControlIds: ReadonlySet<string>,
): { waivers: Waiver[]; problems: PolicyProblem[]; errors: PolicyProblem[] } {
  const problems: PolicyProblem[] = [];
  const { data, parsed, problem } = readLocated(file, text, problems);
  if (!parsed) return { waivers: [], problems, errors: problems };
  if (!validateFile(data)) {
    for (const e of validateFile.errors ?? []) problem(e.instancePath, e.message ?? e.keyword);
    return { waivers: [], problems, errors: problems };
  }
  /** The problems saying a waiver expired: it only stops applying, the file is still usable. */
  const expiries = new Set<PolicyProblem>();
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
      expiries.add(problems.at(-1)!);
    }
  });
  return { waivers, problems, errors: problems.filter((p) => !expiries.has(p)) };
}

/**
 * The waivers of a waiver file that are in force at `now`, the file's problems, and those of them
 * that leave it unusable (`errors`, as checkWaiverFile says). `validateFile`
 * is asked for only when there is a file (compiling the schema costs start-up time).
 */
export function waiversInForceWith(
  validateFile: () => ValidateFunction,
  source: PolicySource | undefined,
  catalogue: Parameters<typeof waivableIds>[0],
  now: Date,
): { waivers: Waiver[]; problems: PolicyProblem[]; errors: PolicyProblem[] } {
  if (!source) return { waivers: [], problems: [], errors: [] };
  const checked = checkWaiverFile(validateFile(), source.file, source.text, now, waivableIds(catalogue));
  return {
    waivers: checked.waivers.filter((w) => !isExpired(w, now)),
    problems: checked.problems,
    errors: checked.errors,
  };
}
