// The policy files' texts as a handler that shows controls but evaluates none (the notifier) reads
// them. This file is the development stand-in: run from source (tsx, vitest) it reads policies/
// from disk. `npm run build` (build/bundle.mjs) replaces this whole module with one that embeds
// each file's text without what such a handler never reads (test cases, checks, schemas): the
// bundle holds no validator and no schema compiler.

import type { PolicySource } from "../../engine/catalogue-model.ts";
import { readPolicySources } from "../../loader/policy-files.ts";

export const embeddedPolicies: readonly PolicySource[] = readPolicySources();
