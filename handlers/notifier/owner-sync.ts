// Scheduled mode `{"mode": "sync-owners"}`: reconciles the owner topic's e-mail subscriptions
// with the accounts' `owner` tags. One subscription per address, with the filter policy
// `{"accountId": [the accounts it owns]}`; an owner of more accounts than one filter policy can
// list (150 values) gets `{"owner": [address]}` instead, which matches the `owner` message
// attribute every owner message carries. Idempotent: a second run changes nothing. Every e-mail
// subscription of the owner topic belongs to this mode (the topic is for owners only); other
// protocols are left alone.
//
// Scale: SNS allows 200 filter policies per topic by default (a Service Quotas setting that can be
// raised). The design stays one topic, one subscription per distinct address: the publisher then
// needs no knowledge of who subscribes where, and each owner gets each message once. An
// organisation with more owners than the quota raises it; until then, what SNS refuses
// (FilterPolicyLimitExceeded) is reported for those addresses, with the quota named, and every
// other owner is still synced. One failing address (refused, throttled past the SDK's retries)
// never stops the others: it is reported in `failed` and `problems`.

import {
  GetSubscriptionAttributesCommand,
  ListSubscriptionsByTopicCommand,
  SetSubscriptionAttributesCommand,
  type SNSClient,
  SubscribeCommand,
  UnsubscribeCommand,
} from "@aws-sdk/client-sns";
import { describeError } from "../../engine/errors.ts";
import { pages } from "../shared/paging.ts";
import type { AccountDirectory } from "./account-context.ts";
import { ownerAddresses } from "./owner-addresses.ts";

export { ownerAddresses };

/** SNS allows at most 150 values in one filter policy. */
export const MAX_FILTER_VALUES = 150;

export interface OwnerSyncReport {
  mode: "sync-owners";
  dryRun: boolean;
  accounts: number;
  /** `filter: "owner"`: subscribed on the owner attribute (more accounts than one policy lists). */
  subscribed: { address: string; accounts: string[]; filter?: "owner" }[];
  updated: { address: string; from: string[]; to: string[]; filter?: "owner" }[];
  unsubscribed: { address: string; subscriptionArn: string }[];
  unchanged: string[];
  /** Subscriptions awaiting the owner's confirmation: SNS lets nobody change them until confirmed. */
  pendingConfirmation: string[];
  /** Addresses SNS refused a change for; every other address was synced. */
  failed: { address: string; action: string; error: string }[];
  problems: string[];
}

interface Subscription {
  arn: string;
  address: string;
  confirmed: boolean;
}

export const filterPolicy = (accounts: readonly string[]): string =>
  JSON.stringify({ accountId: [...accounts].sort() });

/** The filter policy of an address: its accounts, or its address when they are too many to list. */
export function desiredPolicy(address: string, accounts: readonly string[]): string {
  return accounts.length > MAX_FILTER_VALUES ? JSON.stringify({ owner: [address] }) : filterPolicy(accounts);
}

/** A filter policy in one spelling (keys and values sorted), for comparison. */
function canonicalPolicy(policy: string | undefined): string | undefined {
  if (!policy) return undefined;
  try {
    const parsed = JSON.parse(policy) as Record<string, unknown>;
    const sorted = Object.keys(parsed)
      .sort()
      .map((k) => [
        k,
        Array.isArray(parsed[k]) ? [...(parsed[k] as unknown[])].map(String).sort() : parsed[k],
      ]);
    return JSON.stringify(Object.fromEntries(sorted));
  } catch {
    return policy;
  }
}

/** The accounts a filter policy selects; undefined when it is not a plain accountId policy. */
function accountsOfPolicy(policy: string | undefined): string[] | undefined {
  if (!policy) return undefined;
  try {
    const parsed = JSON.parse(policy) as Record<string, unknown>;
    const keys = Object.keys(parsed);
    const ids = parsed.accountId;
    if (keys.length !== 1 || !Array.isArray(ids) || !ids.every((v) => typeof v === "string"))
      return undefined;
    return [...(ids as string[])].sort();
  } catch {
    return undefined;
  }
}

async function listEmailSubscriptions(sns: SNSClient, topicArn: string): Promise<Subscription[]> {
  const out: Subscription[] = [];
  const listed = pages(
    "SNS ListSubscriptionsByTopic",
    (token) => sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken: token })),
    (page) => page.NextToken,
  );
  for await (const page of listed) {
    for (const s of page.Subscriptions ?? []) {
      if (s.Protocol !== "email" || !s.Endpoint || !s.SubscriptionArn) continue;
      const confirmed = s.SubscriptionArn.startsWith("arn:");
      out.push({ arn: s.SubscriptionArn, address: s.Endpoint.toLowerCase(), confirmed });
    }
  }
  return out;
}

/** Who owns what, from the owner tags of every active account. */
async function wantedSubscriptions(
  accounts: AccountDirectory,
  report: OwnerSyncReport,
): Promise<Map<string, string[]>> {
  const wanted = new Map<string, string[]>();
  const all = (await accounts.list()).filter((a) => (a.status ?? "ACTIVE") === "ACTIVE");
  report.accounts = all.length;
  for (const summary of all) {
    try {
      const account = await accounts.get(summary.id);
      const { addresses, invalid } = ownerAddresses(account.owner);
      for (const bad of invalid)
        report.problems.push(`account ${summary.id}: owner tag value "${bad}" is not an e-mail address`);
      for (const address of addresses) wanted.set(address, [...(wanted.get(address) ?? []), summary.id]);
    } catch (error) {
      // One unreadable account must not unsubscribe its owner: stop before changing anything.
      throw new Error(`account ${summary.id}: cannot read its tags: ${describeError(error)}`, {
        cause: error,
      });
    }
  }
  for (const ids of wanted.values()) ids.sort();
  return wanted;
}

export async function syncOwnerSubscriptions(
  deps: { sns: SNSClient; accounts: AccountDirectory; ownerTopicArn: string },
  options: { dryRun?: boolean } = {},
): Promise<OwnerSyncReport> {
  const { sns, ownerTopicArn } = deps;
  const dryRun = options.dryRun ?? false;
  const report: OwnerSyncReport = {
    mode: "sync-owners",
    dryRun,
    accounts: 0,
    subscribed: [],
    updated: [],
    unsubscribed: [],
    unchanged: [],
    pendingConfirmation: [],
    failed: [],
    problems: [],
  };
  const wanted = await wantedSubscriptions(deps.accounts, report);
  const existing = await listEmailSubscriptions(sns, ownerTopicArn);
  const byAddress = new Map<string, Subscription[]>();
  for (const s of existing) byAddress.set(s.address, [...(byAddress.get(s.address) ?? []), s]);

  const failure = (address: string, action: string, error: unknown) => {
    const text = describeError(error);
    const quota = /FilterPolicyLimitExceeded/.test(`${(error as Error | undefined)?.name} ${text}`)
      ? " (the owner topic holds as many filter policies as SNS allows per topic: 200 unless raised in Service Quotas, 'Filter policies per topic')"
      : "";
    report.failed.push({ address, action, error: text });
    const name = (error as Error | undefined)?.name;
    const code = name && name !== "Error" ? ` (${name})` : "";
    report.problems.push(
      `${address}: ${action} failed${code}: ${text}${quota}; the other owners were synced`,
    );
  };

  for (const [address, ids] of [...wanted].sort(([a], [b]) => a.localeCompare(b))) {
    const policy = desiredPolicy(address, ids);
    const byOwner = ids.length > MAX_FILTER_VALUES ? { filter: "owner" as const } : {};
    const subs = byAddress.get(address) ?? [];
    const confirmed = subs.filter((s) => s.confirmed);
    const [keep, ...extra] = confirmed;
    let action = "Unsubscribe (duplicate)";
    try {
      for (const s of extra) {
        // More than one confirmed subscription for one address: the owner would get every message twice.
        if (!dryRun) await sns.send(new UnsubscribeCommand({ SubscriptionArn: s.arn }));
        report.unsubscribed.push({ address, subscriptionArn: s.arn });
      }
      if (keep) {
        action = "GetSubscriptionAttributes";
        const attrs = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: keep.arn }));
        const currentText = attrs.Attributes?.FilterPolicy;
        if (canonicalPolicy(currentText) === canonicalPolicy(policy)) {
          report.unchanged.push(address);
          continue;
        }
        action = "SetSubscriptionAttributes";
        if (!dryRun) {
          await sns.send(
            new SetSubscriptionAttributesCommand({
              SubscriptionArn: keep.arn,
              AttributeName: "FilterPolicy",
              AttributeValue: policy,
            }),
          );
        }
        report.updated.push({ address, from: accountsOfPolicy(currentText) ?? [], to: ids, ...byOwner });
      } else if (subs.length > 0) {
        report.pendingConfirmation.push(address);
      } else {
        action = "Subscribe";
        if (!dryRun) {
          await sns.send(
            new SubscribeCommand({
              TopicArn: ownerTopicArn,
              Protocol: "email",
              Endpoint: address,
              Attributes: { FilterPolicy: policy, FilterPolicyScope: "MessageAttributes" },
              ReturnSubscriptionArn: true,
            }),
          );
        }
        report.subscribed.push({ address, accounts: ids, ...byOwner });
      }
    } catch (error) {
      failure(address, action, error);
    }
  }
  for (const [address, subs] of [...byAddress].sort(([a], [b]) => a.localeCompare(b))) {
    if (wanted.has(address)) continue;
    for (const s of subs) {
      if (!s.confirmed) {
        report.problems.push(
          `${address} no longer owns an account but its subscription awaits confirmation; SNS removes it if it stays unconfirmed`,
        );
        continue;
      }
      try {
        if (!dryRun) await sns.send(new UnsubscribeCommand({ SubscriptionArn: s.arn }));
        report.unsubscribed.push({ address, subscriptionArn: s.arn });
      } catch (error) {
        failure(address, "Unsubscribe", error);
      }
    }
  }
  return report;
}
