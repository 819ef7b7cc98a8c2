// One compliance result through the ledger: apply it if it is the newest the ledger has seen,
// then send whatever the ledger owes for the finding, marking each message sent only after SNS
// accepted it. Duplicates, older results and concurrent deliveries all end up in the same place:
// a compare-and-set on the item's revision decides who writes, and a claim decides who publishes.

import { randomUUID } from "node:crypto";
import { type AccountDirectory, type AccountInfo, accountForRouting } from "./account-context.ts";
import { assess } from "./assess.ts";
import type { ControlLookup } from "./controls.ts";
import { LedgerBusyError } from "./errors.ts";
import { ledgerKey } from "./event.ts";
import type { Ledger } from "./ledger.ts";
import type { Publisher } from "./publisher.ts";
import { renderFinding, renderResolved } from "./render.ts";
import { isQuiet, type Rollout } from "./rollout.ts";
import { applyResult, isClaimed, isNewer, markSent, withClaim, withoutClaim } from "./transition.ts";
import type { ComplianceResult, LedgerItem, Target } from "./types.ts";

export interface NotifierDeps {
  ledger: Ledger;
  accounts: AccountDirectory;
  publisher: Publisher;
  controls: ControlLookup;
  topics: Record<Target, string>;
  now: () => number;
  /** How long a claim to publish holds (ms); must exceed the Lambda timeout. */
  claimMs: number;
  /** Waits between attempts when the item is claimed or was changed by another writer. */
  sleep: (ms: number) => Promise<void>;
  log?: (level: "info" | "warn", message: string, details?: Record<string, unknown>) => void;
  /**
   * The rollout mode and switch time (rollout.ts), settled once per execution environment.
   * Absent: normal mode, no switch recorded (every transition notifies).
   */
  rollout?: () => Promise<Rollout>;
}

export type Outcome = "applied" | "duplicate-or-older";

export interface ResultReport {
  key: string;
  outcome: Outcome;
  state: LedgerItem["state"];
  /** Messages this invocation got SNS to accept. */
  sent: { target: Target; kind: "finding" | "resolved"; messageId: string }[];
  /** Messages still owed (another invocation is sending them). */
  pending: Target[];
}

/** Attempts at the compare-and-set before the delivery is failed (and so retried later). */
export const MAX_ATTEMPTS = 8;

const backoff = (attempt: number): number => Math.min(1_000, 20 * 2 ** attempt);

export async function processResult(result: ComplianceResult, deps: NotifierDeps): Promise<ResultReport> {
  const key = ledgerKey(result);
  const account = await accountForRouting(deps.accounts, result.accountId, deps.log);
  const assessment = assess(result, account, deps.controls);
  const quiet = isQuiet(await deps.rollout?.());
  let item: LedgerItem | undefined;
  let outcome: Outcome | undefined;
  for (let attempt = 0; attempt < MAX_ATTEMPTS && !outcome; attempt++) {
    const prev = await deps.ledger.get(key);
    if (prev && !isNewer(result, prev)) {
      item = prev;
      outcome = "duplicate-or-older";
    } else if (prev && isClaimed(prev, deps.now())) {
      // Messages of the previous state are in flight: let them land before the state moves on.
      await deps.sleep(backoff(attempt));
    } else {
      const next = applyResult(prev, result, assessment, account, quiet);
      if (await deps.ledger.put(next, prev?.rev)) {
        item = next;
        outcome = "applied";
      }
    }
  }
  if (!item || !outcome)
    throw new LedgerBusyError(`ledger item ${key} stayed busy after ${MAX_ATTEMPTS} attempts`);
  // Quiet mode publishes nothing per finding, not even what an earlier normal-mode result still owes.
  if (quiet) return { key, outcome, state: item.state, sent: [], pending: item.pending };
  const sent = await sendPending(item, deps, account);
  const after = sent.item;
  return { key, outcome, state: after.state, sent: sent.sent, pending: after.pending };
}

/**
 * Sends what the item owes, if no other invocation is already doing so. Throws PublishError when
 * SNS refuses a message: the claim is released and the message stays pending.
 */
export async function sendPending(
  start: LedgerItem,
  deps: NotifierDeps,
  knownAccount?: AccountInfo,
): Promise<{ item: LedgerItem; sent: ResultReport["sent"] }> {
  const sent: ResultReport["sent"] = [];
  let item = start;
  let claimed = false;
  for (let attempt = 0; attempt < MAX_ATTEMPTS && !claimed; attempt++) {
    if (item.pending.length === 0 || isClaimed(item, deps.now())) return { item, sent };
    const next = withClaim(item, randomUUID(), deps.now() + deps.claimMs);
    if (await deps.ledger.put(next, item.rev)) {
      item = next;
      claimed = true;
    } else {
      const fresh = await deps.ledger.get(item.pk);
      if (!fresh) return { item, sent };
      item = fresh;
    }
  }
  if (!claimed) throw new LedgerBusyError(`could not claim ledger item ${item.pk} to send its messages`);
  const account = knownAccount ?? (await accountForRouting(deps.accounts, item.accountId, deps.log));
  for (const target of [...item.pending]) {
    const kind = item.pendingKind ?? "finding";
    const message =
      kind === "finding"
        ? renderFinding(item, account, deps.controls)
        : renderResolved(item, account, deps.controls);
    let messageId: string;
    try {
      messageId = await deps.publisher.publish(deps.topics[target], message);
    } catch (error) {
      // Give the claim back at once so the next delivery can send without waiting for it to lapse.
      await deps.ledger.put(withoutClaim(item), item.rev).catch(() => false);
      throw error;
    }
    sent.push({ target, kind, messageId });
    const next = markSent(item, target, new Date(deps.now()).toISOString());
    if (!(await deps.ledger.put(next, item.rev))) {
      // Only possible when the claim lapsed and another invocation took over: stop here.
      deps.log?.("warn", "claim lapsed while publishing; another invocation took over", {
        key: item.pk,
        target,
      });
      return { item: next, sent };
    }
    item = next;
  }
  return { item, sent };
}
