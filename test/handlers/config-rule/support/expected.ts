// What the engine says about an item, computed from the sources (not the bundle): the handler's
// verdicts must be exactly these.

import type { Catalogue } from "../../../../engine/catalogue.ts";
import { HIGHEST } from "../../../../engine/cia.ts";
import { evaluate } from "../../../../engine/evaluate.ts";
import { normalise } from "../../../../engine/normalise.ts";
import { waiversInForce } from "../../../../engine/policy-set.ts";
import { ruleScope } from "../../../../engine/scope.ts";
import type { CiaRating, EvaluationRecord } from "../../../../engine/types.ts";
import type { Waiver } from "../../../../engine/waiver-match.ts";
import { readWaiverSource } from "../../../../loader/policy-files.ts";
import { repositoryCatalogue } from "../../../support/catalogue.ts";

let sources: { catalogue: Catalogue; waivers: Waiver[] } | undefined;

/**
 * The catalogue of policies/ and the waivers of policies/waivers.json in force at first use, as
 * the handler compiles them when it runs from source. The catalogue is the one the test process
 * already compiled for the other test files (test/support/catalogue.ts): the same policy texts
 * through the same loadCatalogue, not a second compile of every control.
 */
export function sourceCatalogue(): { catalogue: Catalogue; waivers: Waiver[] } {
  if (!sources) {
    const catalogue = repositoryCatalogue();
    sources = { catalogue, waivers: waiversInForce(readWaiverSource(), catalogue, new Date()).waivers };
  }
  return sources;
}

export function expectedRecord(
  raw: unknown,
  options: { service?: string; rating?: CiaRating; eventLeftScope?: boolean } = {},
): EvaluationRecord {
  const { catalogue, waivers } = sourceCatalogue();
  return evaluate(normalise(raw), catalogue, {
    rating: options.rating ?? { ...HIGHEST },
    now: new Date(),
    waivers,
    scope: ruleScope(options.service),
    ...(options.eventLeftScope ? { eventLeftScope: true } : {}),
  });
}

export const epochSeconds = (iso: string) => Date.parse(iso) / 1000;
