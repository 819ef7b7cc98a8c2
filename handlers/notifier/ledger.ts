// The findings ledger in DynamoDB. Every write is a compare-and-set on the item's revision
// (`rev`), after a strongly consistent read: two invocations that read the same revision cannot
// both write, so the loser re-reads and decides again. That is the whole locking scheme.

import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
} from "@aws-sdk/client-dynamodb";
import { LEDGER_PARTITION_KEY, LEDGER_TTL_ATTRIBUTE } from "../../deploy/ledger-table.ts";
import { pages } from "../shared/paging.ts";
import { ROLLOUT_SETTINGS_KEY } from "./rollout.ts";
import type { LedgerItem } from "./types.ts";

export interface Ledger {
  /** Strongly consistent read. */
  get(pk: string): Promise<LedgerItem | undefined>;
  /**
   * Writes `item` only if the stored revision is still `expectedRev` (undefined: the item must
   * not exist yet). False when another writer got there first.
   */
  put(item: LedgerItem, expectedRev: number | undefined): Promise<boolean>;
  /** Every finding, strongly consistent, page by page (digest mode); not the settings item. */
  scan(): AsyncIterable<LedgerItem>;
}

type Item = Record<string, AttributeValue>;

const S = (value: string): AttributeValue => ({ S: value });
const N = (value: number): AttributeValue => ({ N: String(value) });
const L = (values: readonly string[]): AttributeValue => ({ L: values.map(S) });

function toItem(item: LedgerItem): Item {
  const out: Item = {};
  for (const [key, value] of Object.entries(item)) {
    if (value === undefined) continue;
    if (typeof value === "string") out[key] = S(value);
    else if (typeof value === "number") out[key] = N(value);
    else if (typeof value === "boolean") out[key] = { BOOL: value };
    else if (Array.isArray(value)) out[key] = L(value as string[]);
  }
  out[LEDGER_PARTITION_KEY] = S(item.pk);
  if (item.expiresAt !== undefined) out[LEDGER_TTL_ATTRIBUTE] = N(item.expiresAt);
  return out;
}

const STRINGS = [
  "accountId",
  "region",
  "ruleName",
  "ruleArn",
  "resourceType",
  "resourceId",
  "state",
  "severity",
  "annotation",
  "rating",
  "environment",
  "seq",
  "orderingTimestamp",
  "firstSeenAt",
  "lastSeenAt",
  "openedAt",
  "resolvedAt",
  "lastNotifiedAt",
  "pendingKind",
  "claimId",
] as const;
const LISTS = ["controlIds", "cisoReasons", "told", "pending"] as const;

export function fromItem(raw: Item): LedgerItem {
  const out: Record<string, unknown> = {
    pk: raw[LEDGER_PARTITION_KEY]?.S ?? "",
    rev: Number(raw.rev?.N ?? 0),
    required: raw.required?.BOOL ?? false,
    unclassified: raw.unclassified?.BOOL ?? false,
  };
  for (const key of STRINGS) if (raw[key]?.S !== undefined) out[key] = raw[key].S;
  for (const key of LISTS) out[key] = (raw[key]?.L ?? []).map((v) => v.S ?? "");
  if (raw.backlog?.BOOL) out.backlog = true;
  if (raw.claimUntil?.N) out.claimUntil = Number(raw.claimUntil.N);
  if (raw[LEDGER_TTL_ATTRIBUTE]?.N) out.expiresAt = Number(raw[LEDGER_TTL_ATTRIBUTE].N);
  return out as unknown as LedgerItem;
}

export function createLedger(client: DynamoDBClient, tableName: string): Ledger {
  return {
    async get(pk) {
      const out = await client.send(
        new GetItemCommand({
          TableName: tableName,
          Key: { [LEDGER_PARTITION_KEY]: S(pk) },
          ConsistentRead: true,
        }),
      );
      return out.Item ? fromItem(out.Item) : undefined;
    },
    async put(item, expectedRev) {
      try {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: toItem(item),
            ...(expectedRev === undefined
              ? {
                  ConditionExpression: "attribute_not_exists(#pk)",
                  ExpressionAttributeNames: { "#pk": LEDGER_PARTITION_KEY },
                }
              : {
                  ConditionExpression: "#rev = :rev",
                  ExpressionAttributeNames: { "#rev": "rev" },
                  ExpressionAttributeValues: { ":rev": N(expectedRev) },
                }),
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },
    async *scan() {
      // The start key travels as JSON text, so the repeated-token guard of `pages` covers it too.
      const scanned = pages(
        "DynamoDB Scan",
        (token) =>
          client.send(
            new ScanCommand({
              TableName: tableName,
              ConsistentRead: true,
              ...(token ? { ExclusiveStartKey: JSON.parse(token) as Item } : {}),
            }),
          ),
        (page) => (page.LastEvaluatedKey ? JSON.stringify(page.LastEvaluatedKey) : undefined),
      );
      for await (const page of scanned) {
        for (const raw of page.Items ?? []) {
          // The rollout settings item (rollout.ts) shares the table; it is not a finding.
          if (raw[LEDGER_PARTITION_KEY]?.S !== ROLLOUT_SETTINGS_KEY) yield fromItem(raw);
        }
      }
    },
  };
}
