// A catalogue and its waivers from their texts: the one place that checks both together, for the
// CLI, the library, the Lambda handlers and the build. Pure: the texts come from the caller.

import { type Catalogue, checkCatalogue, type PolicySource } from "./catalogue.ts";
import type { PolicyProblem } from "./errors.ts";
import { waiversInForceWith } from "./waiver-check.ts";
import { type Waiver, waiverFileValidator } from "./waivers.ts";

/** The texts of a policies directory: every service policy and the waiver file, if any. */
export interface PolicySources {
  policies: PolicySource[];
  waivers?: PolicySource;
}

export interface LoadedPolicies {
  catalogue: Catalogue;
  /** Waivers in force at load (expired ones are reported in `problems` and dropped). */
  waivers: Waiver[];
  /** Every problem: errors and warnings of the policies, problems of the waiver file. */
  problems: PolicyProblem[];
  /** Errors in the policy files themselves: nothing can be evaluated with them. */
  catalogueErrors: PolicyProblem[];
  /**
   * Errors of the waiver file that leave it unusable (not JSON, a waiver that fails the schema or
   * the checks): every problem of the file but an expired waiver, which only stops applying.
   */
  waiverErrors: PolicyProblem[];
}

/** The waivers of a waiver file that are in force at `now`, and the file's problems. */
export function waiversInForce(
  source: PolicySource | undefined,
  catalogue: Catalogue,
  now: Date,
): { waivers: Waiver[]; problems: PolicyProblem[]; errors: PolicyProblem[] } {
  return waiversInForceWith(waiverFileValidator, source, catalogue, now);
}

/** Checks and compiles the policies, then checks the waivers against them. */
export function loadPolicies(sources: PolicySources, now: Date): LoadedPolicies {
  const { catalogue, problems } = checkCatalogue(sources.policies);
  const catalogueErrors = problems.filter((p) => p.level === "error");
  const waived = waiversInForce(sources.waivers, catalogue, now);
  return {
    catalogue,
    waivers: waived.waivers,
    problems: [...problems, ...waived.problems],
    catalogueErrors,
    waiverErrors: waived.errors,
  };
}

export { assembleCatalogue, type PrecompiledValidators } from "./catalogue-model.ts";
