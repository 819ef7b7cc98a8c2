// Evaluation of a template item that may hold unknown values. Each control runs on the item with
// every unknown value replaced by each witness value (witnesses.ts), all together and one unknown
// at a time (and absent, where the template may give no value). A control whose outcome is the
// same in every variant is decided by the rest of the item: that outcome stands. A control whose
// outcome changes reads a value the template does not tell: its finding is `UNKNOWN`, never a pass
// and never a failure, naming what is unknown. The record is then rated as usual.

import type { ErrorObject } from "ajv";
import { MACRO_KEYWORD_NAMES } from "../../rules/macro-names.ts";
import type { Catalogue, CompiledControl } from "../catalogue.ts";
import { type EvaluateOptions, evaluate, finishRecord } from "../evaluate.ts";
import type { ConfigurationItem, EvaluationRecord, Finding } from "../types.ts";
import { isObj } from "./types.ts";
import type { Unknowns, UnknownValue } from "./unknown.ts";
import { witnesses } from "./witnesses.ts";

type Path = (string | number)[];
interface Site {
  path: Path;
  groups: number[];
}

const ABSENT = Symbol("absent");

/** Every place in the item whose value is or holds an unknown marker. */
function sites(value: unknown, path: Path = [], out: Site[] = []): Site[] {
  if (typeof value === "string") {
    const groups = [...value.matchAll(/cfnunknown(\d+)x/g)].map((m) => Number(m[1]));
    if (groups.length > 0) out.push({ path, groups });
  } else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) sites(v, [...path, i], out);
  } else if (isObj(value)) {
    for (const [k, v] of Object.entries(value)) sites(v, [...path, k], out);
  }
  return out;
}

/** Whether a witness is a value the unknown at a site could have (a text unknown is a non-empty string). */
function fits(site: Site, value: unknown, unknowns: Unknowns): boolean {
  const text = site.groups.every((g) => unknowns.get(g)?.text);
  return !text || (typeof value === "string" && value.length > 0);
}

/** The item with the chosen sites set to `value` (or removed), where the value fits. */
function variant(
  item: ConfigurationItem,
  chosen: Site[],
  value: unknown,
  unknowns: Unknowns,
): ConfigurationItem {
  const copy = structuredClone(item) as unknown as Record<string, unknown>;
  // Deepest and last first, so removing an array element does not shift a later site.
  const ordered = [...chosen].sort((a, b) => JSON.stringify(b.path).localeCompare(JSON.stringify(a.path)));
  for (const site of ordered) {
    if (value !== ABSENT && !fits(site, value, unknowns)) continue;
    let parent: unknown = copy;
    for (const key of site.path.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[key];
    const last = site.path[site.path.length - 1]!;
    if (value === ABSENT) {
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete (parent as Record<string, unknown>)[last as string];
    } else {
      (parent as Record<string | number, unknown>)[last] = structuredClone(value);
    }
  }
  return copy as unknown as ConfigurationItem;
}

/**
 * Keywords whose failure at an object or array above an unknown value does not depend on it: shape
 * keywords, and the combinators whose branches' own errors are reported beside them.
 */
const SHAPE_KEYWORDS = new Set([
  "required",
  "type",
  "maxItems",
  "minItems",
  "minProperties",
  "maxProperties",
  "anyOf",
  "oneOf",
  "if",
]);
/** Schema keywords under which a failure alone does not make the whole check fail. */
const COMBINATORS = /\/(anyOf|oneOf|not|if|then|else|contains)(\/|$)/;

const pointer = (path: Path) =>
  path.map((p) => `/${String(p).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");

/** Whether a validation error concerns an unknown value: at it, inside it, or (but for shape keywords) above it. */
function touches(error: ErrorObject, site: Site): boolean {
  const at = error.instancePath;
  const s = pointer(site.path);
  if (at === s || at.startsWith(`${s}/`)) return true;
  return s.startsWith(`${at}/`) && !SHAPE_KEYWORDS.has(error.keyword);
}

/**
 * A failure in every variant is still not decided when it may come from an unknown object (no
 * witness can stand for every object): it is decided when no error concerns an unknown value, or
 * when an error that alone fails the check (not under a combinator) does not.
 */
function failureDecided(
  control: CompiledControl | undefined,
  item: ConfigurationItem,
  found: Site[],
): boolean {
  if (!control) return true;
  control.validate(item);
  const errors = control.validate.errors ?? [];
  const touching = (e: ErrorObject) => found.some((site) => touches(e, site));
  if (!errors.some(touching)) return true;
  const alone = (e: ErrorObject) => !COMBINATORS.test(e.schemaPath.slice(0, e.schemaPath.lastIndexOf("/")));
  return errors.some((e) => alone(e) && !touching(e));
}

/** The groups of the unknown values a control's validation errors concern. */
const MACRO_KEYWORDS = new Set(MACRO_KEYWORD_NAMES);

function touchedGroups(
  control: CompiledControl | undefined,
  item: ConfigurationItem,
  found: Site[],
): number[] {
  if (!control) return [];
  control.validate(item);
  const all = control.validate.errors ?? [];
  // A rules/ macro keyword (`at`) fails at the item for the errors of the schema it expands to.
  const errors = all.length > 1 ? all.filter((e) => !MACRO_KEYWORDS.has(e.keyword)) : all;
  return [
    ...new Set(found.filter((site) => errors.some((e) => touches(e, site))).flatMap((site) => site.groups)),
  ];
}

function describe(values: UnknownValue[]): string {
  const reasons = [...new Set(values.map((v) => v.reason))];
  const shown = reasons.slice(0, 2).join("; ");
  return `${shown}${reasons.length > 2 ? `; and ${reasons.length - 2} more` : ""}`;
}

/** Evaluates a template item; controls that depend on unknown values get `UNKNOWN` findings. */
export function evaluateTemplateItem(
  item: ConfigurationItem,
  unknowns: Unknowns,
  catalogue: Catalogue,
  options: EvaluateOptions,
): EvaluationRecord {
  const baseline = evaluate(item, catalogue, options);
  const found = [
    ...sites(item.configuration, ["configuration"]),
    ...sites(item.supplementaryConfiguration, ["supplementaryConfiguration"]),
  ];
  const controls = catalogue.byResourceType.get(item.resourceType) ?? [];
  if (found.length === 0 || baseline.findings.length === 0 || controls.length === 0) return baseline;

  const groups = [...new Set(found.flatMap((s) => s.groups))];
  const values = witnesses(controls);
  const maybeAbsent = groups.some((g) => unknowns.get(g)?.maybeAbsent);
  const statuses = (chosen: Site[]): Finding["status"][][] => {
    const candidates = maybeAbsent ? [...values, ABSENT] : values;
    return candidates.map((w) =>
      evaluate(variant(item, chosen, w, unknowns), catalogue, options).findings.map((f) => f.status),
    );
  };
  const varies = (runs: Finding["status"][][], index: number, base: Finding["status"]) =>
    runs.some((run) => run[index] !== base);

  const joint = statuses(found);
  const perGroup =
    groups.length > 1
      ? groups.map((g) => ({ g, runs: statuses(found.filter((s) => s.groups.includes(g))) }))
      : [];

  const byId = new Map(controls.map((c) => [c.id, c]));
  const findings = baseline.findings.map((finding, index): Finding => {
    const base = finding.status;
    const stable = !varies(joint, index, base) && !perGroup.some(({ runs }) => varies(runs, index, base));
    if (stable && (base !== "FAIL" || failureDecided(byId.get(finding.controlId), item, found)))
      return finding;
    const varied = perGroup.filter(({ runs }) => varies(runs, index, base)).map(({ g }) => g);
    // No one value changes the outcome alone (a failure that may come from an unknown object): the
    // values its errors concern, else all of them.
    const culprits = varied.length > 0 ? varied : touchedGroups(byId.get(finding.controlId), item, found);
    const causes = (culprits.length > 0 ? culprits : groups)
      .map((g) => unknowns.get(g))
      .filter((v) => v !== undefined);
    const { waiver: _waiver, ...rest } = finding;
    return {
      ...rest,
      status: "UNKNOWN",
      message: `depends on a value the template does not tell: ${describe(causes)}`,
    };
  });
  return finishRecord(item, options.rating, findings);
}
