// What the notifier must have sent for a timeline of results of one finding, however the results
// were delivered. Used by the property tests.

import type { Target } from "../../../handlers/notifier/types.ts";

export type Verdict = "COMPLIANT" | "NON_COMPLIANT" | "NOT_APPLICABLE";

export interface Sent {
  target: Target;
  kind: "finding" | "resolved";
  /** The ordering timestamp of the result the message was rendered from. */
  ordering: string;
}

/** The messages of an in-order delivery: one per real transition between open and closed. */
export function expectedInOrder(timeline: readonly Verdict[], targets: readonly Target[]): Sent[][] {
  const perTarget: Sent[][] = targets.map(() => []);
  let open = false;
  timeline.forEach((verdict, i) => {
    const now = verdict === "NON_COMPLIANT";
    if (now !== open) {
      targets.forEach((target, t) => {
        perTarget[t]!.push({ target, kind: now ? "finding" : "resolved", ordering: orderingOf(i) });
      });
    }
    open = now;
  });
  return perTarget;
}

export const BASE = Date.parse("2025-01-01T00:00:00.000Z");
export const orderingOf = (i: number): string => new Date(BASE + i * 60_000).toISOString();

/**
 * The invariants of any delivery order, for one target's messages:
 * - they alternate finding / resolved, starting with a finding (never the same news twice);
 * - each was rendered from a real result of the matching verdict, and they move forward in time
 *   (nothing is sent for a state older than one already announced);
 * - the last one agrees with the final state (open: finding; closed: resolved or nothing at all).
 */
export function checkAnyOrder(timeline: readonly Verdict[], sent: readonly Sent[]): string | undefined {
  let previous: Sent | undefined;
  for (const [n, m] of sent.entries()) {
    const index = timeline.findIndex((_, i) => orderingOf(i) === m.ordering);
    if (index < 0) return `message ${n} rendered from an unknown result ${m.ordering}`;
    const open = timeline[index] === "NON_COMPLIANT";
    if ((m.kind === "finding") !== open)
      return `message ${n} is a ${m.kind} but result ${index} is ${timeline[index]}`;
    if (previous?.kind === m.kind) return `message ${n} repeats "${m.kind}"`;
    if (!previous && m.kind === "resolved") return "the first message is a resolution";
    if (previous && previous.ordering >= m.ordering) return `message ${n} goes back in time`;
    previous = m;
  }
  const finalOpen = timeline[timeline.length - 1] === "NON_COMPLIANT";
  if (finalOpen && previous?.kind !== "finding")
    return "the finding is open but the last message is not a finding";
  if (!finalOpen && previous?.kind === "finding")
    return "the finding is closed but the last message is a finding";
  return undefined;
}
