// The catalogue every handler evaluates with, loaded once per process (module scope of the
// handler). In the bundle the policy texts and the control validators are embedded at build time
// (see build/bundle.mjs and ./embedded-catalogue.ts): nothing is read from disk, no schema is
// compiled at cold start, and this module imports no schema compiler (Ajv's compiler, formats,
// the JSON parser with locations stay out of the bundle). Compiling from texts, for tests and
// runs from source, is ./catalogue-load.ts.

import {
  addControl,
  addPolicy,
  type Catalogue,
  type CompiledControl,
  emptyCatalogue,
  type PolicySource,
  type ServicePolicy,
} from "../../engine/catalogue-model.ts";
import type { PolicyProblem } from "../../engine/errors.ts";
import { isExpired, type Waiver } from "../../engine/waiver-match.ts";
import { embeddedCatalogue, type PrecompiledValidators } from "./embedded-catalogue.ts";

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

/** The catalogue from validators and waivers the build generated and checked. */
export function precompiledCatalogue(
  sources: { policies: PolicySource[]; validators: PrecompiledValidators; checkedWaivers?: Waiver[] },
  now: Date,
): EmbeddedCatalogue {
  return {
    catalogue: assembleCatalogue(sources.policies, sources.validators),
    // The build checked the file and reported its problems; expired waivers stop applying.
    waivers: (sources.checkedWaivers ?? []).filter((w) => !isExpired(w, now)),
    problems: [],
    validators: "standalone",
  };
}

let loaded: EmbeddedCatalogue | undefined;

/** The embedded catalogue, loaded on first use and kept for the life of the process. */
export function loadEmbeddedCatalogue(now: Date = new Date()): EmbeddedCatalogue {
  loaded ??= embeddedCatalogue(now);
  return loaded;
}
