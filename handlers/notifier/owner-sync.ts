// Scheduled mode `{"mode": "sync-owners"}`: reconciles the owner topic's e-mail subscriptions
// with the accounts' `owner` tags. One subscription per address, with the filter policy
// `{"accountId": [the accounts it owns]}`. Idempotent: a second run changes nothing. Every e-mail
// subscription of the owner topic belongs to this mode (the topic is for owners only); other
// protocols are left alone.

import {
  GetSubscriptionAttributesCommand,
  ListSubscriptionsByTopicCommand,
  SetSubscriptionAttributesCommand,
  type SNSClient,
  SubscribeCommand,
  UnsubscribeCommand,
} from "@aws-sdk/client-sns";
import { describeError } from "../../engine/errors.ts";
import type { AccountDirectory } from "./account-context.ts";

/** SNS allows at most 150 values in one filter policy. */
export const MAX_FILTER_VALUES = 150;
const EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;

export interface OwnerSyncReport {
  mode: "sync-owners";
  dryRun: boolean;
  accounts: number;
  subscribed: { address: string; accounts: string[] }[];
  updated: { address: string; from: string[]; to: string[] }[];
  unsubscribed: { address: string; subscriptionArn: string }[];
  unchanged: string[];
  /** Subscriptions awaiting the owner's confirmation: SNS lets nobody change them until confirmed. */
  pendingConfirmation: string[];
  problems: string[];
}

interface Subscription {
  arn: string;
  address: string;
  confirmed: boolean;
}

/** The addresses in an `owner` tag: one address, or several separated by commas or semicolons. */
export function ownerAddresses(tag: string | undefined): { addresses: string[]; invalid: string[] } {
  const parts = (tag ?? "")
    .split(/[,;]+/)
    .map((p) => p.trim().toLowerCase())
    .filter(Boolean);
  return { addresses: parts.filter((p) => EMAIL.test(p)), invalid: parts.filter((p) => !EMAIL.test(p)) };
}

export const filterPolicy = (accounts: readonly string[]): string =>
  JSON.stringify({ accountId: [...accounts].sort() });

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

const same = (a: readonly string[] | undefined, b: readonly string[]): boolean =>
  a !== undefined && a.length === b.length && a.every((v, i) => v === b[i]);

async function listEmailSubscriptions(sns: SNSClient, topicArn: string): Promise<Subscription[]> {
  const out: Subscription[] = [];
  let token: string | undefined;
  do {
    const page = await sns.send(
      new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken: token }),
    );
    for (const s of page.Subscriptions ?? []) {
      if (s.Protocol !== "email" || !s.Endpoint || !s.SubscriptionArn) continue;
      const confirmed = s.SubscriptionArn.startsWith("arn:");
      out.push({ arn: s.SubscriptionArn, address: s.Endpoint.toLowerCase(), confirmed });
    }
    token = page.NextToken;
  } while (token);
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
  for (const [address, ids] of wanted) {
    ids.sort();
    if (ids.length > MAX_FILTER_VALUES) {
      report.problems.push(
        `${address} owns ${ids.length} accounts: more than the ${MAX_FILTER_VALUES} values an SNS filter policy takes; left unchanged`,
      );
      wanted.delete(address);
    }
  }
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
    problems: [],
  };
  const wanted = await wantedSubscriptions(deps.accounts, report);
  const existing = await listEmailSubscriptions(sns, ownerTopicArn);
  const byAddress = new Map<string, Subscription[]>();
  for (const s of existing) byAddress.set(s.address, [...(byAddress.get(s.address) ?? []), s]);

  for (const [address, ids] of [...wanted].sort(([a], [b]) => a.localeCompare(b))) {
    const subs = byAddress.get(address) ?? [];
    const confirmed = subs.filter((s) => s.confirmed);
    const [keep, ...extra] = confirmed;
    for (const s of extra) {
      // More than one confirmed subscription for one address: the owner would get every message twice.
      if (!dryRun) await sns.send(new UnsubscribeCommand({ SubscriptionArn: s.arn }));
      report.unsubscribed.push({ address, subscriptionArn: s.arn });
    }
    if (keep) {
      const attrs = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: keep.arn }));
      const current = accountsOfPolicy(attrs.Attributes?.FilterPolicy);
      if (same(current, ids)) {
        report.unchanged.push(address);
        continue;
      }
      if (!dryRun) {
        await sns.send(
          new SetSubscriptionAttributesCommand({
            SubscriptionArn: keep.arn,
            AttributeName: "FilterPolicy",
            AttributeValue: filterPolicy(ids),
          }),
        );
      }
      report.updated.push({ address, from: current ?? [], to: ids });
    } else if (subs.length > 0) {
      report.pendingConfirmation.push(address);
    } else {
      if (!dryRun) {
        await sns.send(
          new SubscribeCommand({
            TopicArn: ownerTopicArn,
            Protocol: "email",
            Endpoint: address,
            Attributes: { FilterPolicy: filterPolicy(ids), FilterPolicyScope: "MessageAttributes" },
            ReturnSubscriptionArn: true,
          }),
        );
      }
      report.subscribed.push({ address, accounts: ids });
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
      if (!dryRun) await sns.send(new UnsubscribeCommand({ SubscriptionArn: s.arn }));
      report.unsubscribed.push({ address, subscriptionArn: s.arn });
    }
  }
  return report;
}
