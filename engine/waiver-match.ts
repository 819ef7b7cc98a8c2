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

/**
 * Whether `text` matches the waiver glob `pattern`: `*` stands for any run of characters (none
 * included, `/` and `:` included), every other character for itself. Matched segment by segment,
 * each `*` taking the leftmost place its next literal run fits: a glob with many `*` never
 * backtracks, time stays proportional to the text times the pattern, not a power of it.
 */
export function globMatches(pattern: string, text: string): boolean {
  const parts = pattern.split("*");
  const first = parts[0] as string;
  if (parts.length === 1) return text === first;
  const last = parts[parts.length - 1] as string;
  if (text.length < first.length + last.length) return false;
  if (!text.startsWith(first) || !text.endsWith(last)) return false;
  let at = first.length;
  const end = text.length - last.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const part = parts[i] as string;
    if (part === "") continue;
    const found = text.indexOf(part, at);
    if (found < 0 || found + part.length > end) return false;
    at = found + part.length;
  }
  return true;
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
      if (!w.resources.some((p) => candidates.some((c) => globMatches(p, c)))) return false;
    }
    return true;
  });
}
