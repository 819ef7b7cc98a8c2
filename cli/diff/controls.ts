// What a policy change does to the catalogue, in words: controls added, removed and changed
// ("severity high -> critical", "now required from C2", "check changed"), services added or
// removed, and a service's IAM prefixes and resource types. Pure: two catalogues in, a diff out.

import type { Catalogue, Control, ServicePolicy } from "../../engine/catalogue.ts";
import type { CiaRequirement, Dimension } from "../../engine/types.ts";
import { DIMENSIONS } from "../../engine/types.ts";

export interface ControlSummary {
  id: string;
  service: string;
  title: string;
  severity: string;
  cia: CiaRequirement;
}

export interface ControlChange extends ControlSummary {
  changes: string[];
}

export interface ServiceChange {
  service: string;
  title: string;
  changes: string[];
}

export interface CatalogueDiff {
  added: ControlSummary[];
  removed: ControlSummary[];
  changed: ControlChange[];
  servicesAdded: (ServiceChange & { iamPrefixes: string[]; resourceTypes: string[] })[];
  servicesRemoved: ServiceChange[];
  servicesChanged: ServiceChange[];
}

/** JSON with sorted keys, so a re-ordered but equal schema is not a change. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}

const same = (a: unknown, b: unknown): boolean => canonicalJson(a) === canonicalJson(b);

/** `C2 or I3`: the levels from which a control is required. */
export function requiredFrom(cia: CiaRequirement): string {
  const parts = DIMENSIONS.filter((d) => cia[d] !== undefined).map((d) => `${d.toUpperCase()}${cia[d]}`);
  return parts.length ? parts.join(" or ") : "never (no CIA level)";
}

function ciaChanges(before: CiaRequirement, after: CiaRequirement): string[] {
  const out: string[] = [];
  for (const d of DIMENSIONS as readonly Dimension[]) {
    const b = before[d];
    const a = after[d];
    const D = d.toUpperCase();
    if (b === a) continue;
    if (b === undefined) out.push(`now required from ${D}${a}`);
    else if (a === undefined) out.push(`no longer required for ${D} (was from ${D}${b})`);
    else if (a < b) out.push(`now required from ${D}${a} (was ${D}${b}): more accounts need it`);
    else out.push(`now required from ${D}${a} (was ${D}${b}): fewer accounts need it`);
  }
  return out;
}

function listDelta(what: string, before: readonly string[], after: readonly string[]): string[] {
  const added = after.filter((x) => !before.includes(x));
  const removed = before.filter((x) => !after.includes(x));
  const out: string[] = [];
  if (added.length) out.push(`${what} added: ${added.join(", ")}`);
  if (removed.length) out.push(`${what} removed: ${removed.join(", ")}`);
  return out;
}

type Located = Control & { service: string };

/** Every difference between two versions of a control, one phrase each. */
export function describeControlChange(before: Located, after: Located): string[] {
  const out: string[] = [];
  if (before.service !== after.service) out.push(`moved from service ${before.service} to ${after.service}`);
  if (before.severity !== after.severity) out.push(`severity ${before.severity} -> ${after.severity}`);
  out.push(...ciaChanges(before.cia, after.cia));
  if (before.resourceType !== after.resourceType)
    out.push(`resource type ${before.resourceType} -> ${after.resourceType}`);
  if (!same(before.check, after.check)) out.push("check changed");
  if (!same(before.appliesTo, after.appliesTo)) {
    if (before.appliesTo === undefined) out.push("now applies only to some resources (appliesTo added)");
    else if (after.appliesTo === undefined)
      out.push("now applies to every resource of its type (appliesTo removed)");
    else out.push("scope changed (appliesTo)");
  }
  const evaluation = (c: Located) => c.evaluation ?? "change";
  if (evaluation(before) !== evaluation(after)) {
    out.push(
      evaluation(after) === "periodic"
        ? "now evaluated in the scheduled sweep only"
        : "now evaluated on every configuration change",
    );
  }
  if (before.title !== after.title) out.push(`title "${before.title}" -> "${after.title}"`);
  if ((before.failMessage ?? "") !== (after.failMessage ?? "")) out.push("failure message changed");
  if (before.rationale !== after.rationale) out.push("rationale reworded");
  if (before.remediation.console !== after.remediation.console) out.push("console remediation changed");
  if (before.remediation.cloudformation !== after.remediation.cloudformation)
    out.push("CloudFormation remediation changed");
  out.push(...listDelta("references", before.references, after.references));
  if (!same(before.cases, after.cases)) {
    out.push(
      before.cases.length === after.cases.length
        ? "test cases changed"
        : `test cases ${before.cases.length} -> ${after.cases.length}`,
    );
  }
  return out;
}

const summary = (c: Located): ControlSummary => ({
  id: c.id,
  service: c.service,
  title: c.title,
  severity: c.severity,
  cia: c.cia,
});

/** Controls as written in the files (also those whose check did not compile). */
function controlsOf(catalogue: Catalogue): Map<string, Located> {
  const map = new Map<string, Located>();
  for (const policy of catalogue.policies) {
    for (const control of policy.controls)
      if (!map.has(control.id)) map.set(control.id, { ...control, service: policy.service });
  }
  return map;
}

function serviceChanges(before: ServicePolicy, after: ServicePolicy): string[] {
  const out: string[] = [];
  if (before.title !== after.title) out.push(`title "${before.title}" -> "${after.title}"`);
  out.push(...listDelta("IAM prefixes", before.iamPrefixes, after.iamPrefixes));
  out.push(...listDelta("resource types", before.resourceTypes, after.resourceTypes));
  return out;
}

export function diffCatalogues(base: Catalogue, head: Catalogue): CatalogueDiff {
  const before = controlsOf(base);
  const after = controlsOf(head);
  const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
  const diff: CatalogueDiff = {
    added: [...after.values()]
      .filter((c) => !before.has(c.id))
      .map(summary)
      .sort(byId),
    removed: [...before.values()]
      .filter((c) => !after.has(c.id))
      .map(summary)
      .sort(byId),
    changed: [],
    servicesAdded: [],
    servicesRemoved: [],
    servicesChanged: [],
  };
  for (const [id, next] of after) {
    const previous = before.get(id);
    if (!previous) continue;
    const changes = describeControlChange(previous, next);
    if (changes.length) diff.changed.push({ ...summary(next), changes });
  }
  diff.changed.sort(byId);

  const baseServices = new Map(base.policies.map((p) => [p.service, p]));
  const headServices = new Map(head.policies.map((p) => [p.service, p]));
  for (const [service, policy] of headServices) {
    const previous = baseServices.get(service);
    if (!previous) {
      diff.servicesAdded.push({
        service,
        title: policy.title,
        changes: [],
        iamPrefixes: policy.iamPrefixes,
        resourceTypes: policy.resourceTypes,
      });
      continue;
    }
    const changes = serviceChanges(previous, policy);
    if (changes.length) diff.servicesChanged.push({ service, title: policy.title, changes });
  }
  for (const [service, policy] of baseServices) {
    if (!headServices.has(service)) diff.servicesRemoved.push({ service, title: policy.title, changes: [] });
  }
  return diff;
}

export const isEmptyDiff = (d: CatalogueDiff): boolean =>
  d.added.length +
    d.removed.length +
    d.changed.length +
    d.servicesAdded.length +
    d.servicesRemoved.length +
    d.servicesChanged.length ===
  0;
