// The catalogue every handler evaluates with, loaded once per process (module scope of the
// handler). In the bundle the policy texts and the control validators are embedded at build time
// (see build/bundle.mjs and ./embedded-catalogue.ts): nothing is read from disk and, when the
// validators were generated ahead of time, no schema is compiled at cold start.

import { type Catalogue, loadCatalogue } from "../../engine/catalogue.ts";
import type { PolicyProblem } from "../../engine/errors.ts";
import { assembleCatalogue, waiversInForce } from "../../engine/policy-set.ts";
import { isExpired, type Waiver } from "../../engine/waivers.ts";
import { embedded } from "./embedded-catalogue.ts";

export { assembleCatalogue } from "../../engine/policy-set.ts";
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
    const checked = waiversInForce(sources.waivers, catalogue, now);
    problems.push(...checked.problems);
    waivers = checked.waivers;
  }
  return { catalogue, waivers, problems, validators: sources.validators ? "standalone" : "runtime" };
}

let loaded: EmbeddedCatalogue | undefined;

/** The embedded catalogue, loaded on first use and kept for the life of the process. */
export function loadEmbeddedCatalogue(now: Date = new Date()): EmbeddedCatalogue {
  loaded ??= catalogueFrom(embedded, now);
  return loaded;
}
