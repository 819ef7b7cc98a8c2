// What the engine says about an item, computed from the sources (not the bundle): the handler's
// verdicts must be exactly these.

import { HIGHEST } from "../../../../engine/cia.ts";
import { evaluate } from "../../../../engine/evaluate.ts";
import { normalise } from "../../../../engine/normalise.ts";
import { ruleScope } from "../../../../engine/scope.ts";
import type { CiaRating, EvaluationRecord } from "../../../../engine/types.ts";
import { loadEmbeddedCatalogue } from "../../../../handlers/shared/catalogue.ts";

export const sourceCatalogue = () => loadEmbeddedCatalogue();

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
