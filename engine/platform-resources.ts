// The resource types AWS, the landing zone or the security team create in every account
// (policies/platform-resources.json): the default VPC and its parts, GuardDuty detectors, Backup
// vaults... Each entry gives an item of a service outside the catalogue a disposition instead of
// the critical allowed-service finding: `platform-managed` (allowed) or a finding of its own.
// Pure, and no schema compiler: the Lambda bundles import it (engine/platform-resources-check.ts
// checks the file for `compliance validate`, the CLI and the build).

import type { CiaRequirement, ConfigurationItem, Severity } from "./types.ts";

/** The file's name in a policies directory: recognised among the policy sources by it. */
export const PLATFORM_RESOURCES_FILE = "platform-resources.json";

export type PlatformDisposition = "platform-managed" | "finding";

export interface PlatformFinding {
  id: string;
  title: string;
  severity: Severity;
  cia: CiaRequirement;
  message: string;
  rationale: string;
  remediation: { console: string; cloudformation: string };
  /** The IAM actions the remediation takes (simulated under the SCP by the tests). */
  actions: string[];
  references: string[];
}

export interface PlatformCase {
  name: string;
  fixture: string;
  source?: string;
  set?: Record<string, unknown>;
  expect: PlatformDisposition | "none";
}

export interface PlatformEntry {
  resourceType: string;
  iamPrefix: string;
  /** JSON pointer -> the value the item must have there (`*`: any element of an array). */
  where?: Record<string, string | number | boolean | null>;
  disposition: PlatformDisposition;
  managedBy: string;
  finding?: PlatformFinding;
  cases?: PlatformCase[];
}

export interface PlatformResources {
  file: string;
  entries: PlatformEntry[];
  /** Entries by resource type, in file order (the first that matches decides). */
  byType: Map<string, PlatformEntry[]>;
}

/** Whether a policy source is the platform-resources file (by its name, in any directory). */
export function isPlatformResourcesFile(file: string): boolean {
  return (file.split(/[\\/]/).pop() ?? file) === PLATFORM_RESOURCES_FILE;
}

/** The list indexed by type; the entries as the file has them (checked already, or by the build). */
export function platformResources(file: string, entries: readonly PlatformEntry[]): PlatformResources {
  const byType = new Map<string, PlatformEntry[]>();
  for (const entry of entries) {
    const list = byType.get(entry.resourceType) ?? [];
    list.push(entry);
    byType.set(entry.resourceType, list);
  }
  return { file, entries: [...entries], byType };
}

/** The entries of the file's text (no check: the build or `checkPlatformResources` did it). */
export function parsePlatformResources(file: string, text: string): PlatformResources {
  const data = JSON.parse(text) as { resources?: PlatformEntry[] };
  return platformResources(file, data.resources ?? []);
}

const decode = (segment: string) => segment.replace(/~1/g, "/").replace(/~0/g, "~");

/** Whether some value at the pointer (`*` = any array element) equals `expected`. */
function hasValueAt(node: unknown, segments: readonly string[], expected: unknown): boolean {
  if (segments.length === 0) return node === expected;
  if (typeof node !== "object" || node === null) return false;
  const [head, ...rest] = segments as [string, ...string[]];
  if (head === "*") return Array.isArray(node) && node.some((element) => hasValueAt(element, rest, expected));
  // Own properties only: a pointer never reaches into the prototype.
  if (!Object.hasOwn(node, head)) return false;
  return hasValueAt((node as Record<string, unknown>)[head], rest, expected);
}

/** Whether the item matches every condition of the entry's `where`. */
export function entryMatches(entry: PlatformEntry, item: ConfigurationItem): boolean {
  if (!entry.where) return true;
  for (const [pointer, expected] of Object.entries(entry.where)) {
    if (!hasValueAt(item, pointer.split("/").slice(1).map(decode), expected)) return false;
  }
  return true;
}

/** The entry that decides the item's disposition: the first of its type that matches. */
export function platformEntryFor(
  platform: PlatformResources | undefined,
  item: ConfigurationItem,
): PlatformEntry | undefined {
  const entries = platform?.byType.get(item.resourceType);
  if (!entries) return undefined;
  for (const entry of entries) if (entryMatches(entry, item)) return entry;
  return undefined;
}

/** Every finding the list can give, with its resource type: for the reports' and notifier's lookups. */
export function platformFindings(
  platform: PlatformResources | undefined,
): (PlatformFinding & { resourceType: string })[] {
  const out: (PlatformFinding & { resourceType: string })[] = [];
  for (const entry of platform?.entries ?? []) {
    if (entry.finding) out.push({ ...entry.finding, resourceType: entry.resourceType });
  }
  return out;
}

/** The ids a waiver may name: every control's and every finding of the platform-resources list. */
export function waivableIds(catalogue: {
  controls: readonly { id: string }[];
  platform?: PlatformResources;
}): Set<string> {
  const ids = new Set(catalogue.controls.map((c) => c.id));
  for (const f of platformFindings(catalogue.platform)) ids.add(f.id);
  return ids;
}
