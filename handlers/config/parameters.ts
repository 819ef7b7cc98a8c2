// The rule parameters: the Config rule's `InputParameters`, at most 1,024
// characters of JSON. `service` names the catalogue entry the rule runs (absent: every control for
// the item's type; `allowed-services`: only the built-in allow-list control); `ciaRating` sets the
// rating applied, default the highest. Anything else is ignored with a warning; a malformed rating
// falls back to the highest (fail safe), also with a warning. A `service` the embedded catalogue
// does not have is an error (logged as one), and the rule runs as if it had no `service`: every
// control for the item's type (docs/HANDLERS.md says why this beats failing the invocation).

import { formatRating, HIGHEST, parseRating } from "../../engine/cia.ts";
import { ALLOWED_SERVICES_RULE } from "../../engine/scope.ts";
import type { CiaRating } from "../../engine/types.ts";

export interface RuleParameters {
  /** The catalogue service the rule runs; undefined: every control for the item's type. */
  service?: string;
  rating: CiaRating;
  /** One line each, for the log. */
  warnings: string[];
  /** Deployment faults the rule works around (logged as errors, counted): one line each. */
  errors: string[];
}

const KNOWN = new Set(["service", "ciaRating"]);

function parseJson(raw: unknown, warnings: string[]): Record<string, unknown> {
  if (raw === undefined || raw === null || raw === "") return {};
  let value: unknown = raw;
  if (typeof raw === "string") {
    try {
      value = JSON.parse(raw);
    } catch {
      warnings.push(`ruleParameters is not valid JSON, ignored: ${raw.slice(0, 80)}`);
      return {};
    }
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    warnings.push("ruleParameters is not a JSON object, ignored");
    return {};
  }
  return value as Record<string, unknown>;
}

/**
 * Reads the rule parameters; never throws. A `service` that names no catalogue entry is a
 * deployment fault (template and bundle from different catalogues): it goes to `errors` and the
 * rule runs every control for the item's type, as without a `service`, so that every resource
 * still gets a verdict (stricter, never laxer, than the service's own controls).
 */
export function parseRuleParameters(raw: unknown, services: ReadonlySet<string>): RuleParameters {
  const warnings: string[] = [];
  const params = parseJson(raw, warnings);
  for (const key of Object.keys(params)) {
    if (!KNOWN.has(key)) warnings.push(`unknown rule parameter "${key}" ignored`);
  }
  const out: RuleParameters = { rating: { ...HIGHEST }, warnings, errors: [] };

  const service = params.service;
  if (typeof service === "string" && service.trim() !== "") {
    const name = service.trim();
    if (name === ALLOWED_SERVICES_RULE || services.has(name)) out.service = name;
    else {
      out.errors.push(
        `rule parameter service "${name}" is not in the embedded catalogue (known: ${[...services].sort().join(", ")}, ${ALLOWED_SERVICES_RULE}): every control for the item's type runs`,
      );
    }
  } else if (service !== undefined) {
    warnings.push(`rule parameter "service" must be a non-empty string, ignored: every control runs`);
  }

  const rating = params.ciaRating;
  if (rating !== undefined) {
    const parsed = typeof rating === "string" ? parseRating(rating) : undefined;
    if (parsed) out.rating = parsed;
    else {
      warnings.push(
        `rule parameter ciaRating ${JSON.stringify(rating)} is not like C3I2A1: the highest rating ${formatRating(HIGHEST)} applies`,
      );
    }
  }
  return out;
}
