// The handlers' catalogue from policy texts, compiled at load when no validators were generated
// ahead of time: runs from source (tests, tsx) and a bundle whose build could not generate them.
// The bundles normally never import this module (see ./catalogue.ts).

import { loadCatalogue } from "../../engine/catalogue.ts";
import type { PolicyProblem } from "../../engine/errors.ts";
import { waiversInForce } from "../../engine/policy-set.ts";
import { isExpired, type Waiver } from "../../engine/waivers.ts";
import { assembleCatalogue, type EmbeddedCatalogue } from "./catalogue.ts";
import type { EmbeddedSources } from "./embedded-catalogue.ts";

/** Loads a catalogue and its waivers from sources (embedded, or any others a test gives). */
export function catalogueFrom(sources: EmbeddedSources, now: Date): EmbeddedCatalogue {
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
  return {
    catalogue,
    waivers,
    problems,
    validators: sources.validators ? "standalone" : "runtime",
    ready: async () => {},
  };
}
