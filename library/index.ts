// The package's entry point: `import { createEngine } from "aws-compliance-engine"`.
// Without policies the engine uses the package's own catalogue (validators generated at build
// time) and its waivers; with policies, exactly those.

import {
  createEngine as createEngineFrom,
  type Engine,
  engineFrom,
  type PolicySource,
  type ServicePolicy,
  type Waiver,
} from "../engine/index.ts";
import { loadOwnCatalogue } from "../loader/own-catalogue.ts";

export type {
  CiaAchieved,
  CiaRating,
  Compliance,
  ControlSummary,
  Engine,
  EvaluateOptions,
  EvaluationRecord,
  Finding,
  FindingStatus,
  PolicyProblem,
  PolicySource,
  RuleScope,
  ServicePolicy,
  Severity,
  Waiver,
} from "../engine/index.ts";
export { CatalogueError, InputError } from "../engine/index.ts";

export interface CreateEngineOptions {
  /** Service policies (objects or `{ file, text }`); default: the package's own catalogue. */
  policies?: readonly (ServicePolicy | PolicySource)[];
  /** Waivers (objects or a waiver file's `{ file, text }`); default: the package's own, with its own catalogue. */
  waivers?: readonly Waiver[] | PolicySource;
}

/** An engine over the given policies, or over the package's own catalogue. */
export function createEngine(options: CreateEngineOptions = {}): Engine {
  const now = new Date();
  if (options.policies) {
    return createEngineFrom({
      policies: options.policies,
      ...(options.waivers ? { waivers: options.waivers } : {}),
      checkedAt: now,
    });
  }
  const own = loadOwnCatalogue(now);
  if (options.waivers) {
    return createEngineFrom({ policies: own.sources.policies, waivers: options.waivers, checkedAt: now });
  }
  return engineFrom(own);
}
