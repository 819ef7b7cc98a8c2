// The SCP side of a policy change: IAM prefixes added to or removed from the allow-list, and the
// generated policies' sizes against the 5,120-character limit, before and after. Built with the
// SCP generator itself (deploy/scp.ts), so the numbers are those `compliance scp` prints.

import {
  allowedPrefixes,
  buildServiceControlPolicies,
  SCP_MAX_CHARACTERS,
  ScpTooLargeError,
} from "../../deploy/scp.ts";
import { type ScpSettings, SETTINGS_DEFAULTS } from "../../deploy/scp-settings.ts";
import type { Catalogue } from "../../engine/catalogue.ts";
import { describeError } from "../../engine/errors.ts";

export { SCP_MAX_CHARACTERS };

export interface ScpSide {
  prefixes: string[];
  /** Each generated policy's name and minified size; empty when it could not be generated. */
  policies: { name: string; size: number }[];
  /** Why the SCP could not be generated (too large, bad settings): the change cannot deploy. */
  error?: string;
  /** Why only the prefixes are known (no settings file at that ref). */
  note?: string;
}

export interface ScpDelta {
  base: ScpSide;
  head: ScpSide;
  prefixesAdded: string[];
  prefixesRemoved: string[];
}

export function scpSide(catalogue: Catalogue, settings: ScpSettings | undefined): ScpSide {
  if (!settings) {
    // Without settings only the catalogue's own prefixes are known.
    const prefixes = allowedPrefixes(catalogue, {
      platformRoleName: "",
      exemptRoleNamePatterns: [],
      extraAllowedPrefixes: [],
      allowedRegions: [],
      globalServiceActions: [],
      ...SETTINGS_DEFAULTS,
    });
    return { prefixes, policies: [], note: "no SCP settings file (scp.json): catalogue prefixes only" };
  }
  const prefixes = allowedPrefixes(catalogue, settings);
  try {
    const result = buildServiceControlPolicies(catalogue, settings);
    return { prefixes, policies: result.policies.map((p) => ({ name: p.name, size: p.size })) };
  } catch (error) {
    const side: ScpSide = { prefixes, policies: [], error: describeError(error) };
    if (error instanceof ScpTooLargeError) side.policies = [{ name: "allow-list", size: error.size }];
    return side;
  }
}

export function scpDelta(base: ScpSide, head: ScpSide): ScpDelta {
  return {
    base,
    head,
    prefixesAdded: head.prefixes.filter((p) => !base.prefixes.includes(p)),
    prefixesRemoved: base.prefixes.filter((p) => !head.prefixes.includes(p)),
  };
}

/** True when the working tree's SCP cannot be generated (too large, bad settings). */
export const scpBreaks = (delta: ScpDelta): boolean => delta.head.error !== undefined;
