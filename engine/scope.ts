// Which controls a run judges: every control of the item's type, one catalogue service's (a Config
// rule per service), or only the built-in allow-list (the allowed-services rule).

import type { Catalogue } from "./catalogue.ts";

export type RuleScope =
  /** Every control for the item's type (the CLI, the library, a rule without a `service`). */
  | { kind: "all" }
  /** One catalogue service's controls; a type outside its resource types is not applicable. */
  | { kind: "service"; service: string }
  /** Only the built-in control that the item's service is in the catalogue at all. */
  | { kind: "allowed-services" };

/** The rule parameter `{"service": "allowed-services"}`: only the built-in allow-list control runs. */
export const ALLOWED_SERVICES_RULE = "allowed-services";

export const ALL_CONTROLS: RuleScope = Object.freeze({ kind: "all" });

/** The scope a Config rule's `service` parameter names (absent: every control). */
export function ruleScope(service: string | undefined): RuleScope {
  if (service === undefined) return ALL_CONTROLS;
  if (service === ALLOWED_SERVICES_RULE) return { kind: "allowed-services" };
  return { kind: "service", service };
}

/**
 * The catalogue service of a service scope when the resource type is not one of its types (the
 * result is then NOT_APPLICABLE: judging the resource's own service is the allowed-services rule's
 * job, else every service rule would report the same EC2 instance); undefined otherwise.
 */
export function outsideScope(
  catalogue: Catalogue,
  scope: RuleScope,
  resourceType: string,
): string | undefined {
  if (scope.kind !== "service") return undefined;
  const policy = catalogue.policies.find((p) => p.service === scope.service);
  return policy && !policy.resourceTypes.includes(resourceType) ? policy.service : undefined;
}
