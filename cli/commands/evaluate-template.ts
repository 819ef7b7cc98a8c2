// `compliance evaluate` on a template: the rating it is judged against, then the template path.

import type { Catalogue } from "../../engine/catalogue.ts";
import { evaluateTemplate, UNKNOWN_ACCOUNT } from "../../engine/template/index.ts";
import type { AccountContext, CiaRating, EvaluationRecord } from "../../engine/types.ts";
import type { Waiver } from "../../engine/waivers.ts";
import type { TemplateInput } from "../template-input.ts";

export interface TemplateRunOptions {
  catalogue: Catalogue;
  now: Date;
  waivers?: readonly Waiver[];
  parameters?: Record<string, unknown>;
  account?: string;
  region?: string;
  /** `--rating`: wins over the accounts file. */
  rating?: CiaRating;
  /** The account's context (from `--accounts`, else unclassified: the highest rating). */
  contextOf(accountId: string): AccountContext;
}

export function evaluateTemplateInput(input: TemplateInput, options: TemplateRunOptions): EvaluationRecord[] {
  const ctx = options.contextOf(options.account ?? UNKNOWN_ACCOUNT);
  if (options.rating) {
    ctx.rating = { ...options.rating };
    ctx.unclassified = false;
  }
  return evaluateTemplate(input.template, options.catalogue, {
    rating: ctx.rating,
    now: options.now,
    ...(options.waivers ? { waivers: options.waivers } : {}),
    ...(options.parameters ? { parameters: options.parameters } : {}),
    ...(options.account ? { account: options.account } : {}),
    ...(options.region ? { region: options.region } : {}),
    file: input.source,
    locate: input.locate,
  });
}
