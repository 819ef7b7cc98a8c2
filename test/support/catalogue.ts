// The repository's catalogue (policies/), compiled once per test process and shared by the test
// files that only read it: compiling every control with Ajv costs about half a second of CPU, and
// the files share their worker process (vitest.config.ts). Frozen (the catalogue, its lists, its
// policies and controls) so that a test that changed it would fail instead of changing it for the
// files after it; a test that needs a changed catalogue compiles its own with loadCatalogue.

import type { Catalogue } from "../../engine/catalogue.ts";
import { loadCatalogue } from "../../engine/catalogue.ts";
import { readPolicySources } from "../../loader/policy-files.ts";

let shared: Catalogue | undefined;

function frozen(catalogue: Catalogue): Catalogue {
  for (const policy of catalogue.policies) Object.freeze(policy);
  for (const control of catalogue.controls) Object.freeze(control);
  for (const list of catalogue.byResourceType.values()) Object.freeze(list);
  Object.freeze(catalogue.policies);
  Object.freeze(catalogue.controls);
  return Object.freeze(catalogue);
}

/** `loadCatalogue(readPolicySources())`, compiled once for the process. */
export function repositoryCatalogue(): Catalogue {
  shared ??= frozen(loadCatalogue(readPolicySources()));
  return shared;
}
