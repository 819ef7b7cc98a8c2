// The catalogue every handler evaluates with, loaded once per process (module scope of the
// handler). In the bundle the policy texts and the control validators are embedded at build time
// (see build/bundle.mjs and ./embedded-catalogue.ts): nothing is read from disk, no schema is
// compiled at cold start, and this module imports no schema compiler (Ajv's compiler, formats,
// the JSON parser with locations stay out of the bundle). Compiling from texts, for tests and
// runs from source, is ./catalogue-load.ts.

import {
  assembleCatalogue,
  type Catalogue,
  type PolicySource,
  type PrecompiledValidators,
} from "../../engine/catalogue-model.ts";
import type { PolicyProblem } from "../../engine/errors.ts";
import { isExpired, type Waiver } from "../../engine/waiver-match.ts";
import { embeddedCatalogue } from "./embedded-catalogue.ts";
import { lazyValidators, type ValidatorIndexEntry, type ValidatorModule } from "./lazy-validators.ts";

export { assembleCatalogue, type PrecompiledValidators } from "../../engine/catalogue-model.ts";

export interface EmbeddedCatalogue {
  catalogue: Catalogue;
  /** Waivers that still apply at load time (each evaluation checks expiry again). */
  waivers: Waiver[];
  /** Problems of the waiver file (expired waivers, unknown control ids), when checked at load. */
  problems: PolicyProblem[];
  /** `standalone`: validators generated at build time; `runtime`: compiled once at load. */
  validators: "standalone" | "runtime";
  /**
   * Makes the validators of these services (undefined: every service) ready to run; call before
   * evaluating. Only the Config rule's bundle loads them on demand (./lazy-validators.ts); for
   * the others they are ready at load and this does nothing.
   */
  ready(services?: readonly string[]): Promise<void>;
}

const alwaysReady = async (): Promise<void> => {};

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
    ready: alwaysReady,
  };
}

/** The catalogue with validators generated at build time, one module per service, loaded on demand. */
export function lazyPrecompiledCatalogue(
  sources: {
    policies: PolicySource[];
    validatorIndex: Record<string, ValidatorIndexEntry>;
    validatorModules: Record<string, () => Promise<ValidatorModule>>;
    checkedWaivers?: Waiver[];
  },
  now: Date,
): EmbeddedCatalogue {
  const lazy = lazyValidators(sources.validatorIndex, sources.validatorModules);
  const catalogue = assembleCatalogue(sources.policies, lazy.validators);
  return {
    catalogue,
    waivers: (sources.checkedWaivers ?? []).filter((w) => !isExpired(w, now)),
    problems: [],
    validators: "standalone",
    ready: (services) => lazy.load(catalogue, services),
  };
}

let loaded: EmbeddedCatalogue | undefined;

/** The embedded catalogue, loaded on first use and kept for the life of the process. */
export function loadEmbeddedCatalogue(now: Date = new Date()): EmbeddedCatalogue {
  loaded ??= embeddedCatalogue(now);
  return loaded;
}
