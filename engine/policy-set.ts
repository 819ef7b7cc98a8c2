// A catalogue and its waivers from their texts: the one place that checks both together, for the
// CLI, the library, the Lambda handlers and the build. Pure: the texts come from the caller.

import type { ValidateFunction } from "ajv";
import {
  addControl,
  addPolicy,
  type Catalogue,
  type CompiledControl,
  checkCatalogue,
  emptyCatalogue,
  type PolicySource,
  type ServicePolicy,
} from "./catalogue.ts";
import type { PolicyProblem } from "./errors.ts";
import { checkWaivers, isExpired, type Waiver } from "./waivers.ts";

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
}

/** The waivers of a waiver file that are in force at `now`, and the file's problems. */
export function waiversInForce(
  source: PolicySource | undefined,
  catalogue: Catalogue,
  now: Date,
): { waivers: Waiver[]; problems: PolicyProblem[] } {
  if (!source) return { waivers: [], problems: [] };
  const ids = new Set(catalogue.controls.map((c) => c.id));
  const checked = checkWaivers(source.file, source.text, now, ids);
  return { waivers: checked.waivers.filter((w) => !isExpired(w, now)), problems: checked.problems };
}

/** Checks and compiles the policies, then checks the waivers against them. */
export function loadPolicies(sources: PolicySources, now: Date): LoadedPolicies {
  const { catalogue, problems } = checkCatalogue(sources.policies);
  const catalogueErrors = problems.filter((p) => p.level === "error");
  const waived = waiversInForce(sources.waivers, catalogue, now);
  return { catalogue, waivers: waived.waivers, problems: [...problems, ...waived.problems], catalogueErrors };
}

/** Validators generated ahead of time (Ajv standalone code), by control id. */
export type PrecompiledValidators = Record<string, { check: ValidateFunction; applies?: ValidateFunction }>;

/**
 * Builds the catalogue from policy texts and validators generated ahead of time. The build has
 * already run the full check on the same texts, so only assembly is left, with the engine's own
 * `addPolicy` / `addControl` (a test pins that both give the same catalogue).
 */
export function assembleCatalogue(
  sources: readonly PolicySource[],
  validators: PrecompiledValidators,
): Catalogue {
  const catalogue = emptyCatalogue();
  for (const { file, text } of sources) {
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
