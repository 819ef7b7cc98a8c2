// The engine as a library: one object that holds a checked catalogue and evaluates raw
// configuration items of any shape (notification, API, RDK sample, SelectResourceConfig row).
// Pure like the rest of engine/: the policy and waiver texts come from the caller (the package's
// entry point, library/index.ts, supplies its own catalogue by default) and the clock is passed in.

import type { PolicySource, ServicePolicy } from "./catalogue.ts";
import { parseRating } from "./cia.ts";
import { CatalogueError, InputError, type PolicyProblem } from "./errors.ts";
import { evaluate as evaluateItem } from "./evaluate.ts";
import { normalise } from "./normalise.ts";
import { waivableIds } from "./platform-resources.ts";
import { type LoadedPolicies, loadPolicies, type PolicySources } from "./policy-set.ts";
import { publicRecord } from "./report/json.ts";
import type { RuleScope } from "./scope.ts";
import type { CiaRating, EvaluationRecord, Severity } from "./types.ts";
import { checkWaivers, type Waiver } from "./waivers.ts";

export type { PolicySource, ServicePolicy } from "./catalogue.ts";
export { CatalogueError, InputError, type PolicyProblem } from "./errors.ts";
export type { PolicySources } from "./policy-set.ts";
export type { RuleScope } from "./scope.ts";
export type {
  CiaAchieved,
  CiaRating,
  Compliance,
  EvaluationRecord,
  Finding,
  FindingStatus,
  Severity,
} from "./types.ts";
export type { Waiver } from "./waivers.ts";

export interface EngineOptions {
  /** Service policies: parsed objects, or file texts (`{ file, text }`, named in problems). */
  policies: readonly (ServicePolicy | PolicySource)[];
  /** Waivers: the objects of a waiver file's `waivers` list, or the file's text. */
  waivers?: readonly Waiver[] | PolicySource;
  /** When the waivers are checked, for the problems reported (an expired waiver is one). */
  checkedAt: Date;
}

export interface EvaluateOptions {
  /** The account's rating: `"C3I3A3"` or `{ c: 3, i: 3, a: 3 }`. */
  rating: string | CiaRating;
  /** The time of the evaluation: waivers expire against it. */
  now: Date;
  /** Which controls run; default every control for the item's type. */
  scope?: RuleScope;
}

/** A control of the catalogue as the library describes it. */
export interface ControlSummary {
  id: string;
  service: string;
  resourceType: string;
  title: string;
  severity: Severity;
  cia: Partial<Record<"c" | "i" | "a", 1 | 2 | 3>>;
}

export interface Engine {
  /** Evaluates one raw configuration item: the record `compliance evaluate --format json` writes. */
  evaluate(rawItem: unknown, options: EvaluateOptions): EvaluationRecord;
  /** Every control of the catalogue. */
  readonly controls: readonly ControlSummary[];
  /** Warnings about the policies and waivers (errors throw CatalogueError instead). */
  readonly problems: readonly PolicyProblem[];
}

const isSource = (p: ServicePolicy | PolicySource): p is PolicySource =>
  typeof (p as PolicySource).text === "string" && typeof (p as PolicySource).file === "string";

/** Policies given as objects become texts named after their service, so problems can point at them. */
function sourcesOf(options: EngineOptions): PolicySources {
  const policies = options.policies.map((p, i) =>
    isSource(p) ? p : { file: `policies[${i}] (${String(p.service)})`, text: JSON.stringify(p, null, 2) },
  );
  const waivers = options.waivers;
  if (waivers === undefined) return { policies };
  if (!Array.isArray(waivers) && isSource(waivers as PolicySource)) {
    return { policies, waivers: waivers as PolicySource };
  }
  return { policies, waivers: { file: "waivers", text: JSON.stringify({ waivers }, null, 2) } };
}

function ratingOf(rating: unknown): CiaRating {
  const parsed =
    typeof rating === "string"
      ? parseRating(rating)
      : typeof rating === "object" && rating !== null
        ? parseRating(`C${(rating as CiaRating).c}I${(rating as CiaRating).i}A${(rating as CiaRating).a}`)
        : undefined;
  if (!parsed) throw new InputError(`rating: expected "C<1-3>I<1-3>A<1-3>" or { c, i, a } from 1 to 3`);
  return parsed;
}

/** An engine over an already loaded catalogue (the CLI and the library entry point share this). */
export function engineFrom(loaded: Pick<LoadedPolicies, "catalogue" | "waivers" | "problems">): Engine {
  const { catalogue, waivers } = loaded;
  return {
    evaluate(rawItem, options) {
      const rating = ratingOf(options?.rating);
      const now = options?.now;
      if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
        throw new InputError("now: expected a valid Date");
      }
      const item = normalise(rawItem);
      const record = evaluateItem(item, catalogue, {
        rating,
        now,
        waivers,
        ...(options.scope ? { scope: options.scope } : {}),
      });
      return publicRecord(record) as unknown as EvaluationRecord;
    },
    controls: catalogue.controls.map((c) => ({
      id: c.id,
      service: c.service,
      resourceType: c.resourceType,
      title: c.title,
      severity: c.severity,
      cia: c.cia,
    })),
    problems: loaded.problems,
  };
}

/**
 * Checks the policies and waivers and returns an engine over them. Throws CatalogueError (every
 * problem with file, pointer, line and column) when a policy file has an error; problems of the
 * waiver file (an expired waiver, an unknown control id) are in `problems`, as `validate` reports
 * them. Every waiver of a readable file is kept: each evaluation checks expiry at its own `now`.
 */
export function createEngine(options: EngineOptions): Engine {
  const sources = sourcesOf(options);
  const loaded = loadPolicies(sources, options.checkedAt);
  if (loaded.catalogueErrors.length > 0) throw new CatalogueError(loaded.catalogueErrors);
  const ids = waivableIds(loaded.catalogue);
  const waivers = sources.waivers
    ? checkWaivers(sources.waivers.file, sources.waivers.text, options.checkedAt, ids).waivers
    : [];
  return engineFrom({ ...loaded, waivers });
}
