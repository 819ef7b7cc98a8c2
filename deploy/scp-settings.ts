// The SCP settings file (policies/scp.json): data the platform team edits by pull request.
// Checked here: every problem at its JSON pointer (line and column), or a one-line error naming the
// file and the field.

import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { InputError, type PolicyProblem } from "../engine/errors.ts";
import { readLocated } from "../engine/located-file.ts";
import { DEFAULT_POLICIES_DIR } from "../loader/policy-files.ts";

export interface ScpSettings {
  /** The role that may change the compliance tooling (and deploys it): `arn:*:iam::*:role/<name>`. */
  platformRoleName: string;
  /** More role names (wildcards allowed) exempt from the protection, e.g. the StackSet execution roles. */
  exemptRoleNamePatterns: string[];
  /** IAM service prefixes the organisation needs besides the catalogue's (sign-in, STS...). */
  extraAllowedPrefixes: string[];
  /** The regions allowed; empty = no region restriction. */
  allowedRegions: string[];
  /** Actions of global services, exempt from the region restriction. */
  globalServiceActions: string[];
  /**
   * Roles of the landing zone that manage AWS Config and the tooling (Control Tower's
   * `AWSControlTowerExecution`, the recorder StackSet's execution role): exempt like the platform
   * role, and nobody else may create or change a role of these names. A pattern may carry a path
   * (an Identity Center role: `aws-reserved/sso.amazonaws.com/REGION/AWSReservedSSO_Platform_ID`, wildcards allowed).
   */
  landingZoneRoles: string[];
  /** Break-glass roles: exempt from the protection, and the only ones besides the platform that may use EC2. */
  breakGlassRoles: string[];
  /** The security services a platform runs (GuardDuty, Security Hub...): always allowed. */
  securityServicePrefixes: string[];
  /**
   * SCP slots free for these policies on each target: AWS allows 5 per root, OU and account;
   * FullAWSAccess takes one and a landing zone (Control Tower's guardrails) more.
   */
  availablePolicySlots: number;
}

/** Defaults of the fields an older settings file may lack. */
export const SETTINGS_DEFAULTS = {
  landingZoneRoles: ["AWSControlTowerExecution"],
  breakGlassRoles: [] as string[],
  securityServicePrefixes: [] as string[],
  availablePolicySlots: 4,
};

const PREFIX_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
const ROLE_PATTERN = /^[\w+=,.@*-]{1,64}$/;
/** A role name pattern, optionally under a path (`path/to/name`). */
const ROLE_PATH_PATTERN = /^([\w+=,.@*-]+\/)*[\w+=,.@*-]{1,64}$/;
const REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;
const ACTION_PATTERN = /^[a-z0-9-]+:[A-Za-z0-9*]+$/;

const KNOWN_FIELDS: ReadonlySet<string> = new Set([
  "$schema",
  "description",
  "platformRoleName",
  "exemptRoleNamePatterns",
  "extraAllowedPrefixes",
  "allowedRegions",
  "globalServiceActions",
  "landingZoneRoles",
  "breakGlassRoles",
  "securityServicePrefixes",
  "availablePolicySlots",
]);

const pointerSegment = (key: string) => key.replace(/~/g, "~0").replace(/\//g, "~1");

/** The settings file of a policies directory. */
export function scpSettingsPath(dir: string = DEFAULT_POLICIES_DIR): string {
  return join(dir, "scp.json");
}

/** Each problem of a settings file, at its JSON pointer: what `compliance validate` reports. */
export interface ScpSettingsCheck {
  /** The settings, when the file has no problem. */
  settings?: ScpSettings;
  problems: PolicyProblem[];
}

/**
 * Checks the settings text (`file` names it): every problem, each at its JSON pointer, line and
 * column. `compliance scp`, `synth` and `validate` read the file through here.
 */
export function checkScpSettings(file: string, text: string): ScpSettingsCheck {
  const problems: PolicyProblem[] = [];
  const { data, parsed, problem } = readLocated(file, text, problems);
  if (!parsed) return { problems };
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    problem("", "must be a JSON object");
    return { problems };
  }
  const record = data as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!KNOWN_FIELDS.has(key)) problem(`/${pointerSegment(key)}`, `unknown property "${key}"`);
  }
  const stringList = (field: string, pattern: RegExp, fallback?: string[]): string[] => {
    const value = record[field];
    if (value === undefined && fallback) return [...fallback];
    if (!Array.isArray(value)) {
      problem(`/${field}`, "must be an array of strings");
      return [];
    }
    value.forEach((entry, i) => {
      if (typeof entry !== "string" || !pattern.test(entry)) {
        problem(`/${field}/${i}`, `${JSON.stringify(entry)} does not match ${pattern}`);
      }
    });
    return value as string[];
  };
  const role = record.platformRoleName;
  if (typeof role !== "string" || !ROLE_PATTERN.test(role) || role.includes("*")) {
    problem("/platformRoleName", "must be an IAM role name without wildcards");
  }
  const slots = record.availablePolicySlots ?? SETTINGS_DEFAULTS.availablePolicySlots;
  if (typeof slots !== "number" || !Number.isInteger(slots) || slots < 1 || slots > 4) {
    problem("/availablePolicySlots", "must be 1 to 4 (5 SCPs per target, FullAWSAccess takes one)");
  }
  const settings: ScpSettings = {
    platformRoleName: role as string,
    exemptRoleNamePatterns: stringList("exemptRoleNamePatterns", ROLE_PATTERN),
    extraAllowedPrefixes: stringList("extraAllowedPrefixes", PREFIX_PATTERN),
    allowedRegions: stringList("allowedRegions", REGION_PATTERN),
    globalServiceActions: stringList("globalServiceActions", ACTION_PATTERN),
    landingZoneRoles: stringList("landingZoneRoles", ROLE_PATH_PATTERN, SETTINGS_DEFAULTS.landingZoneRoles),
    breakGlassRoles: stringList("breakGlassRoles", ROLE_PATH_PATTERN, SETTINGS_DEFAULTS.breakGlassRoles),
    securityServicePrefixes: stringList(
      "securityServicePrefixes",
      PREFIX_PATTERN,
      SETTINGS_DEFAULTS.securityServicePrefixes,
    ),
    availablePolicySlots: slots as number,
  };
  return problems.length === 0 ? { settings, problems } : { problems };
}

/** The settings of a check, or an InputError naming the file and its first problem's field (one line). */
export function settingsOrThrow(file: string, check: ScpSettingsCheck): ScpSettings {
  const first = check.problems[0];
  if (check.settings) return check.settings;
  throw new InputError(first?.pointer ? `${first.pointer} ${first.message}` : (first?.message ?? ""), file);
}

/** Parses and checks the settings text; `file` names it in errors (the first problem, one line). */
export function parseScpSettings(file: string, text: string): ScpSettings {
  return settingsOrThrow(file, checkScpSettings(file, text));
}

/** Reads `<dir>/scp.json`. */
export function readScpSettings(dir: string = DEFAULT_POLICIES_DIR): ScpSettings {
  const path = scpSettingsPath(dir);
  const shown = relative(process.cwd(), path) || path;
  if (!existsSync(path)) throw new InputError(`not found (the SCP settings file)`, shown);
  return parseScpSettings(shown, readFileSync(path, "utf8"));
}
