// The SCP settings file of a policies directory and the policies generated from it, checked
// together: what `compliance scp` and `synth` generate from, and what `compliance validate`
// reports, by the same code. Every problem is located in scp.json (file, line, JSON pointer).

import { existsSync, readFileSync } from "node:fs";
import { relative } from "node:path";
import { parseTree } from "jsonc-parser";
import type { Catalogue } from "../engine/catalogue.ts";
import type { PolicyProblem } from "../engine/errors.ts";
import { InputError } from "../engine/errors.ts";
import { locator } from "../engine/json-locate.ts";
import { buildServiceControlPolicies, isScpFitError, type ScpResult } from "./scp.ts";
import { checkScpSettings, type ScpSettings, scpSettingsPath, settingsOrThrow } from "./scp-settings.ts";

export interface ScpCheck {
  /** scp.json as named in problems (relative to the working directory when inside it). */
  file: string;
  /** False when the directory has no scp.json: `scp` and `synth` cannot run, `validate` warns. */
  found: boolean;
  /** The settings, when the file has no problem. */
  settings?: ScpSettings;
  /** The generated policies, when a catalogue was given and they fit. */
  result?: ScpResult;
  problems: PolicyProblem[];
}

/**
 * Reads and checks `<dir>/scp.json`, then (given the catalogue) generates the SCPs from it. A
 * policy that does not fit, or needs more slots than the settings leave free, is a problem of the
 * file at the field to change; any other error is a fault and is thrown.
 */
export function checkScp(dir: string, catalogue: Catalogue | undefined): ScpCheck {
  const path = scpSettingsPath(dir);
  const file = relative(process.cwd(), path) || path;
  if (!existsSync(path)) return { file, found: false, problems: [] };
  const text = readFileSync(path, "utf8");
  const { settings, problems } = checkScpSettings(file, text);
  if (!settings || !catalogue) return { file, found: true, ...(settings ? { settings } : {}), problems };
  try {
    return {
      file,
      found: true,
      settings,
      result: buildServiceControlPolicies(catalogue, settings),
      problems,
    };
  } catch (error) {
    if (!isScpFitError(error)) throw error;
    const pointer = `/${error.field}`;
    problems.push({
      file,
      pointer,
      message: error.message,
      level: "error",
      ...locator(text, parseTree(text))(pointer),
    });
    return { file, found: true, settings, problems };
  }
}

/**
 * The settings `scp` and `synth` generate from. A missing or invalid scp.json is unreadable input
 * to them (InputError naming the file and the first field at fault, exit 2), as it always was;
 * `validate` reports every problem instead.
 */
export function requireScpSettings(check: ScpCheck): ScpSettings {
  if (!check.found) throw new InputError("not found (the SCP settings file)", check.file);
  return settingsOrThrow(check.file, check);
}
