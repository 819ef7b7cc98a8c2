// The policy catalogue as the handlers see it. This file is the development stand-in: run from
// source (tsx, vitest) it reads policies/ from disk. `npm run build` (build/bundle.mjs) replaces
// this whole module with one that embeds every policy file's text and the control validators
// generated ahead of time by Ajv's standalone code generation, so the bundle reads no files.

import type { PolicySource } from "../../engine/catalogue.ts";
import type { PrecompiledValidators } from "../../engine/policy-set.ts";
import type { Waiver } from "../../engine/waivers.ts";
import { readPolicySources, readWaiverSource } from "../../loader/policy-files.ts";

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
