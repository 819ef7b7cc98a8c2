// The package's own catalogue (policies/ of this package): with the validators `npm run build:lib`
// generated ahead of time when they are current (loader/generated-catalogue.ts), else compiled at
// run time, as for any other policies directory.

import type { PolicySources } from "../engine/policy-set.ts";
import { loadPolicies } from "../engine/policy-set.ts";
import type { Waiver } from "../engine/waiver-match.ts";
import { generatedCatalogue, type OwnCatalogue } from "./generated-catalogue.ts";
import { DEFAULT_POLICIES_DIR, readPolicyDir } from "./policy-files.ts";

export {
  GENERATED_DIR,
  type GeneratedManifest,
  type OwnCatalogue,
  policiesDigest,
  rulesDigest,
  WAIVER_VALIDATOR_EXPORT,
  waiverSchemaDigest,
} from "./generated-catalogue.ts";

/** The package's own policies and waivers, validators generated ahead of time when they are current. */
export function loadOwnCatalogue(
  now: Date,
  options: {
    /** Compile and check every control now, even when validators were generated (`validate`). */
    check?: boolean;
    generatedDir?: string;
    /** The waivers in force, already checked (by the main thread, for a worker thread). */
    waivers?: Waiver[];
  } = {},
): OwnCatalogue {
  const sources = readPolicyDir(DEFAULT_POLICIES_DIR);
  return (
    (options.check ? undefined : generatedCatalogue(sources, now, options)) ??
    compiledOwnCatalogue(sources, now)
  );
}

/** The package's own catalogue of `sources` compiled now (and its waivers checked now). */
export function compiledOwnCatalogue(sources: PolicySources, now: Date): OwnCatalogue {
  return { ...loadPolicies(sources, now), sources, validators: "runtime" };
}
