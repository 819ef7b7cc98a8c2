// The quiet go-live (ROLLOUT_MODE, docs/NOTIFIER.md "Rollout mode"). In quiet mode every result is
// recorded in the ledger as usual but nobody gets a per-finding message: owners get the digest
// (every open finding of their account) and the CISO its summary. When the notifier first runs in
// normal mode after quiet mode, it records the switch time in one settings item of the ledger.
//
// Which findings stay silent after the switch is decided per ledger item, not by comparing clocks:
// an episode that opened while quiet is marked `backlog` and stays silent until it closes. The
// switch time is the record of when per-finding notices began (the CISO's digest shows it). It is
// not compared with results' times: it is taken at the first normal-mode run, which in an idle
// organisation is the processing of the first event after the stack update, so every result of
// that first batch would look older than the switch and be silenced.

import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from "@aws-sdk/client-dynamodb";
import { LEDGER_PARTITION_KEY } from "../../deploy/ledger-table.ts";
import { ConfigError, LedgerBusyError } from "./errors.ts";

export type RolloutMode = "quiet" | "normal";

export const ROLLOUT_MODES: readonly RolloutMode[] = ["quiet", "normal"];

/**
 * The settings item's key. Every finding's key has five `#`-separated parts, so a key without `#`
 * can never be a finding's.
 */
export const ROLLOUT_SETTINGS_KEY = "settings:rollout";

/** What the ledger records about the rollout, and what this execution environment runs in. */
export interface Rollout {
  mode: RolloutMode;
  /** ISO: when the notifier first ran quiet (the last time it went from normal to quiet). */
  quietSince?: string;
  /** ISO: when the notifier first ran in normal mode after quiet mode (the last such switch). */
  switchedAt?: string;
}

/** ROLLOUT_MODE: `quiet` or `normal`; unset or empty is `normal` (per-finding notices, as always). */
export function readRolloutMode(env: Record<string, string | undefined>): RolloutMode {
  const value = env.ROLLOUT_MODE?.trim().toLowerCase();
  if (!value) return "normal";
  if (value === "quiet" || value === "normal") return value;
  throw new ConfigError(`ROLLOUT_MODE: expected "quiet" or "normal", got ${env.ROLLOUT_MODE}`);
}

/** True when results are recorded without per-finding messages: the notifier runs quiet. */
export const isQuiet = (rollout: Rollout | undefined): boolean => rollout?.mode === "quiet";

/** The settings item: read and compare-and-set written like every ledger item. */
export interface RolloutStore {
  get(): Promise<(Rollout & { rev: number }) | undefined>;
  put(settings: Rollout & { rev: number }, expectedRev: number | undefined): Promise<boolean>;
}

const S = (value: string): AttributeValue => ({ S: value });

export function createRolloutStore(client: DynamoDBClient, tableName: string): RolloutStore {
  const Key = { [LEDGER_PARTITION_KEY]: S(ROLLOUT_SETTINGS_KEY) };
  return {
    async get() {
      const out = await client.send(new GetItemCommand({ TableName: tableName, Key, ConsistentRead: true }));
      const item = out.Item;
      if (!item) return undefined;
      const mode = item.mode?.S === "quiet" ? "quiet" : "normal";
      const settings: Rollout & { rev: number } = { mode, rev: Number(item.rev?.N ?? 0) };
      if (item.quietSince?.S) settings.quietSince = item.quietSince.S;
      if (item.switchedAt?.S) settings.switchedAt = item.switchedAt.S;
      return settings;
    },
    async put(settings, expectedRev) {
      const Item: Record<string, AttributeValue> = {
        ...Key,
        kind: S("settings"),
        mode: S(settings.mode),
        rev: { N: String(settings.rev) },
      };
      if (settings.quietSince) Item.quietSince = S(settings.quietSince);
      if (settings.switchedAt) Item.switchedAt = S(settings.switchedAt);
      try {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item,
            ...(expectedRev === undefined
              ? {
                  ConditionExpression: "attribute_not_exists(#pk)",
                  ExpressionAttributeNames: { "#pk": LEDGER_PARTITION_KEY },
                }
              : {
                  ConditionExpression: "#rev = :rev",
                  ExpressionAttributeNames: { "#rev": "rev" },
                  ExpressionAttributeValues: { ":rev": { N: String(expectedRev) } },
                }),
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },
  };
}

/**
 * Records a change of mode in the settings item and returns the rollout this environment runs
 * with. Quiet: the item says quiet (written with `quietSince` now if it said otherwise). Normal
 * after quiet: the item is switched to normal with `switchedAt` now. Normal and never quiet (no
 * item): nothing is written, so a notifier deployed without rollout mode behaves as before.
 * Concurrent cold starts: one write wins, the others read it and use its times.
 */
export async function settleRollout(
  store: RolloutStore,
  mode: RolloutMode,
  nowIso: string,
  attempts = 5,
): Promise<Rollout> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const stored = await store.get();
    if (stored?.mode === mode || (!stored && mode === "normal")) {
      const { rev: _rev, ...rollout } = stored ?? { rev: 0, mode };
      return { ...rollout, mode };
    }
    const next: Rollout & { rev: number } =
      mode === "quiet"
        ? {
            ...(stored?.switchedAt ? { switchedAt: stored.switchedAt } : {}),
            mode,
            quietSince: nowIso,
            rev: (stored?.rev ?? 0) + 1,
          }
        : {
            ...(stored?.quietSince ? { quietSince: stored.quietSince } : {}),
            mode,
            switchedAt: nowIso,
            rev: (stored?.rev ?? 0) + 1,
          };
    if (await store.put(next, stored?.rev)) {
      const { rev: _rev, ...rollout } = next;
      return rollout;
    }
  }
  throw new LedgerBusyError("the ledger's rollout settings item kept changing: could not record the mode");
}
