// The catalogue every handler evaluates with, loaded once per process (module scope of the
// handler). In the bundle the policy texts and the control validators are embedded at build time
// (see build/bundle.mjs and ./embedded-catalogue.ts): nothing is read from disk and, when the
// validators were generated ahead of time, no schema is compiled at cold start.

import {
  addControl,
  addPolicy,
  type Catalogue,
  type CompiledControl,
  emptyCatalogue,
  loadCatalogue,
  type PolicySource,
  type ServicePolicy,
} from "../../engine/catalogue.ts";
import type { PolicyProblem } from "../../engine/errors.ts";
import { checkWaivers, isExpired, type Waiver } from "../../engine/waivers.ts";
import { embedded, type PrecompiledValidators } from "./embedded-catalogue.ts";

export type { PrecompiledValidators } from "./embedded-catalogue.ts";

export interface EmbeddedCatalogue {
  catalogue: Catalogue;
  /** Waivers that still apply at load time (each evaluation checks expiry again). */
  waivers: Waiver[];
  /** Problems of the waiver file (expired waivers, unknown control ids), when checked at load. */
  problems: PolicyProblem[];
  /** `standalone`: validators generated at build time; `runtime`: compiled once at load. */
  validators: "standalone" | "runtime";
}

/**
 * Builds the catalogue from policy texts and validators compiled ahead of time. The build has
 * already run the full check (`loadCatalogue`) on the same texts, so only assembly is left, with
 * the engine's own `addPolicy` / `addControl` (a test pins that both give the same catalogue).
 */
export function assembleCatalogue(sources: PolicySource[], validators: PrecompiledValidators): Catalogue {
  const catalogue = emptyCatalogue();
  for (const { file, text } of sources) {
    const policy = JSON.parse(text) as ServicePolicy;
    addPolicy(catalogue, policy, file);
    for (const control of policy.controls) {
      const compiled = validators[control.id];
      if (!compiled) {
        throw new Error(`${file}: no precompiled validator for control ${control.id}: rebuild the bundle`);
      }
      const entry: CompiledControl = { ...control, service: policy.service, file, validate: compiled.check };
      if (compiled.applies) entry.applies = compiled.applies;
      addControl(catalogue, entry);
    }
  }
  return catalogue;
}

/** Loads a catalogue and its waivers from sources (embedded, or any others a test gives). */
export function catalogueFrom(sources: typeof embedded, now: Date): EmbeddedCatalogue {
  const catalogue = sources.validators
    ? assembleCatalogue(sources.policies, sources.validators)
    : loadCatalogue(sources.policies);
  let waivers: Waiver[] = [];
  const problems: PolicyProblem[] = [];
  if (sources.checkedWaivers) {
    // The build checked the file and reported its problems; expired waivers stop applying.
    waivers = sources.checkedWaivers.filter((w) => !isExpired(w, now));
  } else if (sources.waivers) {
    const ids = new Set(catalogue.controls.map((c) => c.id));
    const checked = checkWaivers(sources.waivers.file, sources.waivers.text, now, ids);
    problems.push(...checked.problems);
    waivers = checked.waivers.filter((w) => !isExpired(w, now));
  }
  return { catalogue, waivers, problems, validators: sources.validators ? "standalone" : "runtime" };
}

let loaded: EmbeddedCatalogue | undefined;

/** The embedded catalogue, loaded on first use and kept for the life of the process. */
export function loadEmbeddedCatalogue(now: Date = new Date()): EmbeddedCatalogue {
  loaded ??= catalogueFrom(embedded, now);
  return loaded;
}
