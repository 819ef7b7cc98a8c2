// The catalogue's controls as texts (titles, severities, CIA levels, rationale, remediation), for
// a handler that shows controls but evaluates none: no validator is loaded, none is in its bundle.

import { type ControlTexts, controlTexts } from "../../engine/catalogue-model.ts";
import { embeddedPolicies } from "./embedded-policies.ts";

let loaded: ControlTexts | undefined;

/** The embedded catalogue's controls and platform-resources list, read once per process. */
export function loadEmbeddedControls(): ControlTexts {
  loaded ??= controlTexts(embeddedPolicies);
  return loaded;
}
