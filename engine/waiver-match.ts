// Waivers at evaluation time: which waiver applies to a finding, and when one expires. No file
// checking here (engine/waivers.ts), so evaluation and the Lambda bundles need no schema compiler.

export interface Waiver {
  controlId: string;
  accounts?: string[];
  resources?: string[];
  reason: string;
  approver: string;
  ticket?: string;
  granted: string;
  expires: string;
}

export const DAY_MS = 86_400_000;
/** The instant a waiver stops applying: the end of its expiry day, UTC. */
export const waiverEnd = (waiver: Waiver): number => Date.parse(`${waiver.expires}T00:00:00Z`) + DAY_MS;

export function isExpired(waiver: Waiver, now: Date): boolean {
  return now.getTime() >= waiverEnd(waiver);
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
  return new RegExp(`^${escaped}$`);
}

/** The waiver (if any) that applies to this control on this resource at `now`. */
export function findWaiver(
  waivers: readonly Waiver[],
  controlId: string,
  resource: { accountId: string; arn?: string; resourceId: string },
  now: Date,
): Waiver | undefined {
  return waivers.find((w) => {
    if (w.controlId !== controlId || isExpired(w, now)) return false;
    if (w.accounts && !w.accounts.includes(resource.accountId)) return false;
    if (w.resources) {
      const candidates = [resource.arn, resource.resourceId].filter((x): x is string => !!x);
      if (!w.resources.some((p) => candidates.some((c) => globToRegExp(p).test(c)))) return false;
    }
    return true;
  });
}
