// The policy catalogue as the handlers see it. This file is the development stand-in: run from
// source (tsx, vitest) it reads policies/ from disk and compiles them. `npm run build`
// (build/bundle.mjs) replaces this whole module with one that embeds every policy file's text
// (without what the handler never reads: test cases, schemas, and for the Config rule the
// rationale, remediation and references) and the control validators generated ahead of time by
// Ajv's standalone code generation (for the Config rule, one module per service, imported on
// demand: ./lazy-validators.ts), so the bundle reads no files and imports no schema compiler.

import type { PolicySource, PrecompiledValidators } from "../../engine/catalogue-model.ts";
import type { Waiver } from "../../engine/waiver-match.ts";
import { readPolicySources, readWaiverSource } from "../../loader/policy-files.ts";
import type { EmbeddedCatalogue } from "./catalogue.ts";
import { catalogueFrom } from "./catalogue-load.ts";

export type { PrecompiledValidators };

export interface EmbeddedSources {
  policies: PolicySource[];
  /** The waiver file, checked at load. */
  waivers?: PolicySource;
  /** In the bundle: the waivers as the build checked them (no schema to compile at cold start). */
  checkedWaivers?: Waiver[];
  /** In the bundle: without them the catalogue compiles its validators at load. */
  validators?: PrecompiledValidators;
}

const waivers = readWaiverSource();

export const embedded: EmbeddedSources = {
  policies: readPolicySources(),
  ...(waivers ? { waivers } : {}),
};

/** The catalogue of these sources (the bundle's replacement assembles precompiled validators). */
export function embeddedCatalogue(now: Date): EmbeddedCatalogue {
  return catalogueFrom(embedded, now);
}
