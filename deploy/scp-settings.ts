// The SCP settings file (policies/scp.json): data the platform team edits by pull request.
// Checked here, with a one-line error naming the file and the field.

import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { InputError } from "../engine/errors.ts";
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
}

const PREFIX_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
const ROLE_PATTERN = /^[\w+=,.@*-]{1,64}$/;
const REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;
const ACTION_PATTERN = /^[a-z0-9-]+:[A-Za-z0-9*]+$/;

/** The settings file of a policies directory. */
export function scpSettingsPath(dir: string = DEFAULT_POLICIES_DIR): string {
  return join(dir, "scp.json");
}

function stringList(file: string, data: Record<string, unknown>, field: string, pattern: RegExp): string[] {
  const value = data[field];
  if (!Array.isArray(value)) throw new InputError(`/${field} must be an array of strings`, file);
  return value.map((entry, i) => {
    if (typeof entry !== "string" || !pattern.test(entry)) {
      throw new InputError(`/${field}/${i} ${JSON.stringify(entry)} does not match ${pattern}`, file);
    }
    return entry;
  });
}

/** Parses and checks the settings text; `file` names it in errors. */
export function parseScpSettings(file: string, text: string): ScpSettings {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(`not valid JSON: ${(error as Error).message}`, file);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new InputError(`must be a JSON object`, file);
  }
  const record = data as Record<string, unknown>;
  const known = new Set([
    "$schema",
    "description",
    "platformRoleName",
    "exemptRoleNamePatterns",
    "extraAllowedPrefixes",
    "allowedRegions",
    "globalServiceActions",
  ]);
  for (const key of Object.keys(record)) {
    if (!known.has(key)) throw new InputError(`unknown property "${key}"`, file);
  }
  const role = record.platformRoleName;
  if (typeof role !== "string" || !ROLE_PATTERN.test(role) || role.includes("*")) {
    throw new InputError(`/platformRoleName must be an IAM role name without wildcards`, file);
  }
  return {
    platformRoleName: role,
    exemptRoleNamePatterns: stringList(file, record, "exemptRoleNamePatterns", ROLE_PATTERN),
    extraAllowedPrefixes: stringList(file, record, "extraAllowedPrefixes", PREFIX_PATTERN),
    allowedRegions: stringList(file, record, "allowedRegions", REGION_PATTERN),
    globalServiceActions: stringList(file, record, "globalServiceActions", ACTION_PATTERN),
  };
}

/** Reads `<dir>/scp.json`. */
export function readScpSettings(dir: string = DEFAULT_POLICIES_DIR): ScpSettings {
  const path = scpSettingsPath(dir);
  const shown = relative(process.cwd(), path) || path;
  if (!existsSync(path)) throw new InputError(`not found (the SCP settings file)`, shown);
  return parseScpSettings(shown, readFileSync(path, "utf8"));
}
