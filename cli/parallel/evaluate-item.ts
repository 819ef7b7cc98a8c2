// One configuration item read from an input, evaluated: the same code in the main thread
// (`--jobs 1`) and in every worker thread, so the output never depends on the number of jobs.

import type { Catalogue } from "../../engine/catalogue.ts";
import { describeError, MissingResourceTypeError } from "../../engine/errors.ts";
import { evaluate } from "../../engine/evaluate.ts";
import { type NormaliseHints, normalise } from "../../engine/normalise.ts";
import type { AccountContext, CiaRating, EvaluationRecord } from "../../engine/types.ts";
import type { Waiver } from "../../engine/waivers.ts";
import type { RawInput } from "../inputs.ts";

export interface ItemSetup {
  catalogue: Catalogue;
  waivers: Waiver[];
  now: Date;
  hints: NormaliseHints;
  /** The account's context (rating...), made up (unclassified) for an account not in the accounts file. */
  contextOf(accountId: string): AccountContext;
  /** `--rating`: judge every item against this rating instead of its account's. */
  rating?: CiaRating;
}

export type ItemOutcome =
  | { kind: "record"; record: EvaluationRecord }
  | { kind: "problem"; source: string; message: string };

export function evaluateItem(input: RawInput, setup: ItemSetup): ItemOutcome {
  try {
    // The reader parsed this item for this evaluation alone: decode it in place, no copy.
    const item = normalise(input.raw, setup.hints, { inPlace: true });
    const record = evaluate(item, setup.catalogue, {
      rating: setup.rating ?? setup.contextOf(item.accountId).rating,
      now: setup.now,
      waivers: setup.waivers,
      eventLeftScope: input.eventLeftScope === true,
    });
    return { kind: "record", record };
  } catch (error) {
    const hint = error instanceof MissingResourceTypeError ? ", or pass --resource-type TYPE" : "";
    return { kind: "problem", source: input.source, message: `${describeError(error)}${hint}` };
  }
}
