// Waivers added, removed and changed by a policy change: a reviewer must see every exception
// granted or extended, not only its effect on the snapshot. A waiver is identified by its control
// and scope (accounts, resources); anything else that differs is a change.

import type { Waiver } from "../../engine/waivers.ts";

export interface WaiverChange {
  waiver: Waiver;
  changes: string[];
}

export interface WaiverDiff {
  added: Waiver[];
  removed: Waiver[];
  changed: WaiverChange[];
}

const identity = (w: Waiver): string =>
  JSON.stringify([w.controlId, [...(w.accounts ?? [])].sort(), [...(w.resources ?? [])].sort()]);

const FIELDS = ["reason", "approver", "ticket", "granted", "expires"] as const;

export function diffWaivers(base: readonly Waiver[], head: readonly Waiver[]): WaiverDiff {
  const before = new Map(base.map((w) => [identity(w), w]));
  const after = new Map(head.map((w) => [identity(w), w]));
  const diff: WaiverDiff = { added: [], removed: [], changed: [] };
  for (const [key, w] of after) {
    const previous = before.get(key);
    if (!previous) {
      diff.added.push(w);
      continue;
    }
    const changes = FIELDS.filter((f) => (previous[f] ?? "") !== (w[f] ?? "")).map(
      (f) => `${f} ${previous[f] ?? "(none)"} -> ${w[f] ?? "(none)"}`,
    );
    if (changes.length) diff.changed.push({ waiver: w, changes });
  }
  for (const [key, w] of before) if (!after.has(key)) diff.removed.push(w);
  return diff;
}

/** `DDB.PITR for accounts 111111111111, resources arn:...*`. */
export function describeScope(w: Waiver): string {
  const scope = [
    w.accounts?.length ? `accounts ${w.accounts.join(", ")}` : "",
    w.resources?.length ? `resources ${w.resources.join(", ")}` : "",
  ].filter(Boolean);
  return scope.length ? scope.join("; ") : "every resource";
}

export const isEmptyWaiverDiff = (d: WaiverDiff): boolean =>
  d.added.length + d.removed.length + d.changed.length === 0;
