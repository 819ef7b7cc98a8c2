// Renders a ledger item into an SNS message: a subject (at most 100 ASCII characters), a readable
// body (what, where, the account's rating against what the resource achieves, why it matters, how
// to fix it, a link to the resource in the AWS Config console), a JSON part for machines, and the
// message attributes subscribers filter on (docs/NOTIFIER.md).

import { parseAnnotation } from "../../engine/annotation.ts";
import type { AccountInfo } from "./account-context.ts";
import type { ControlInfo, ControlLookup } from "./controls.ts";
import type { LedgerItem } from "./types.ts";

export interface Message {
  subject: string;
  body: string;
  attributes: MessageAttributes;
}

export interface MessageAttributes {
  accountId: string;
  severity: string;
  compliance: string;
  controlId: string;
  resourceType: string;
  environment: string;
  notificationType: "finding" | "resolved" | "digest";
}

export const MAX_SUBJECT = 100;
/** SNS accepts 256 KiB; stay well below so attributes and encoding always fit. */
export const MAX_BODY_BYTES = 200 * 1024;
export const JSON_MARKER = "--- JSON ---";

/** SNS subjects: ASCII, no line breaks or control characters, at most 100 characters. */
export function subjectLine(text: string): string {
  const ascii = text
    .replace(/[\r\n\t]+/g, " ")
    .replace(/[^\x20-\x7e]/g, "?")
    .trim();
  return ascii.length <= MAX_SUBJECT ? ascii : `${ascii.slice(0, MAX_SUBJECT - 3)}...`;
}

/** The resource's page in the AWS Config console of its account and region. */
export function configConsoleUrl(item: Pick<LedgerItem, "region" | "resourceId" | "resourceType">): string {
  const query = `resourceId=${encodeURIComponent(item.resourceId)}&resourceType=${encodeURIComponent(item.resourceType)}`;
  return `https://${item.region}.console.aws.amazon.com/config/home?region=${item.region}#/resources/details?${query}`;
}

function ratingSource(item: LedgerItem, account: AccountInfo | undefined): string {
  if ((item.environment ?? "") === "production") return "production account: always the highest rating";
  if (account?.lookupError) {
    return `AWS Organizations could not be asked (${account.lookupError}): the highest rating applies (fail safe)`;
  }
  if (account && !account.found) {
    return "the account is not in AWS Organizations: the highest rating applies (fail safe)";
  }
  if (item.unclassified) return "no valid cia-rating tag: the highest rating applies (fail safe)";
  return "from the account's cia-rating tag";
}

function accountLine(item: LedgerItem, account: AccountInfo | undefined): string {
  const details = [
    `environment ${item.environment ?? "untagged"}`,
    `owner ${account?.owner ?? "untagged"}`,
    ...(account?.parentId ? [`parent ${account.parentId}`] : []),
  ];
  const name = account?.name ? ` "${account.name}"` : "";
  return `${item.accountId}${name} (${details.join(", ")})`;
}

export function attributesOf(
  item: LedgerItem,
  kind: MessageAttributes["notificationType"],
): MessageAttributes {
  return {
    accountId: item.accountId,
    severity: item.severity,
    compliance: item.state,
    controlId: item.controlIds[0] ?? "none",
    resourceType: item.resourceType,
    environment: item.environment ?? "untagged",
    notificationType: kind,
  };
}

function machinePart(
  item: LedgerItem,
  kind: string,
  account: AccountInfo | undefined,
  controls: ControlInfo[],
) {
  const parsed = parseAnnotation(item.annotation);
  return {
    schema: "compliance-notifier/1",
    kind,
    accountId: item.accountId,
    accountName: account?.name ?? null,
    environment: item.environment ?? null,
    owner: account?.owner ?? null,
    region: item.region,
    resourceType: item.resourceType,
    resourceId: item.resourceId,
    ruleName: item.ruleName,
    ruleArn: item.ruleArn ?? null,
    compliance: item.state,
    severity: item.severity,
    controls: item.controlIds.map((id) => {
      const c = controls.find((x) => x.id === id);
      return { id, title: c?.title ?? null, severity: c?.severity ?? null, cia: c?.cia ?? null };
    }),
    accountRating: item.rating,
    unclassified: item.unclassified,
    achieved: parsed.achieved ?? null,
    evaluatedAgainst: parsed.evaluatedAgainst ?? null,
    openedAt: item.openedAt ?? null,
    resolvedAt: item.state === "NON_COMPLIANT" ? null : (item.resolvedAt ?? null),
    orderingTimestamp: item.orderingTimestamp,
    annotation: item.annotation ?? null,
    cisoReasons: item.cisoReasons,
    consoleUrl: configConsoleUrl(item),
  };
}

function withJson(lines: string[], json: unknown): string {
  let body = `${lines.join("\n")}\n\n${JSON_MARKER}\n${JSON.stringify(json, null, 2)}\n`;
  if (Buffer.byteLength(body) > MAX_BODY_BYTES) {
    // Only a pathological annotation or catalogue text gets here: keep the JSON part whole.
    body = `${lines.slice(0, 12).join("\n")}\n(shortened)\n\n${JSON_MARKER}\n${JSON.stringify(json)}\n`;
  }
  return body;
}

function durationText(fromIso: string | undefined, toIso: string | undefined): string | undefined {
  if (!fromIso || !toIso) return undefined;
  const ms = Date.parse(toIso) - Date.parse(fromIso);
  if (!(ms >= 0)) return undefined;
  const hours = ms / 3_600_000;
  return hours < 48 ? `${Math.round(hours * 10) / 10} hours` : `${Math.round((hours / 24) * 10) / 10} days`;
}

/** The message telling a target that a finding is open. */
export function renderFinding(
  item: LedgerItem,
  account: AccountInfo | undefined,
  lookup: ControlLookup,
): Message {
  const controls = item.controlIds
    .map((id) => lookup.control(id))
    .filter((c): c is ControlInfo => c !== undefined);
  const parsed = parseAnnotation(item.annotation);
  const primary = item.controlIds[0] ?? item.ruleName;
  const subject = subjectLine(
    `[${item.severity.toUpperCase()}] NON_COMPLIANT ${item.resourceType} ${item.resourceId} in ${item.accountId} (${primary})`,
  );
  const lines = [
    `AWS Config finds ${item.resourceType} "${item.resourceId}" NON_COMPLIANT (severity ${item.severity}).`,
    "",
    "What",
    ...(item.controlIds.length > 0
      ? item.controlIds.map((id) => {
          const c = lookup.control(id);
          return `  ${id}${c ? ` (${c.severity}): ${c.title}` : ""}`;
        })
      : [`  Rule ${item.ruleName} reports the resource non-compliant.`]),
    ...(parsed.more > 0
      ? [`  and ${parsed.more} more failing control(s): see the resource in AWS Config.`]
      : []),
    ...(item.annotation ? [`  AWS Config says: ${item.annotation}`] : []),
    "",
    "Where",
    `  Account:    ${accountLine(item, account)}`,
    `  Region:     ${item.region}`,
    `  Resource:   ${item.resourceType} ${item.resourceId}`,
    `  Rule:       ${item.ruleName}`,
    `  Open since: ${item.openedAt ?? item.orderingTimestamp}`,
    "",
    "Rating",
    `  The account requires ${item.rating} (${ratingSource(item, account)}).`,
    parsed.achieved
      ? `  The resource achieves ${parsed.achieved} (the rule evaluated it against ${parsed.evaluatedAgainst}).`
      : "  The rule did not say what the resource achieves.",
    "",
    "Why it matters",
    ...(controls.length > 0
      ? controls.map((c) => `  ${c.id}: ${c.rationale}`)
      : ["  See the rule's description in AWS Config."]),
    "",
    "How to fix",
    ...(controls.length > 0
      ? controls.flatMap((c) => [
          `  ${c.id}`,
          `    Console:        ${c.remediation.console}`,
          `    CloudFormation: ${c.remediation.cloudformation}`,
        ])
      : ["  See the rule's remediation guidance in AWS Config."]),
    "",
    `The resource in AWS Config (sign in to account ${item.accountId}):`,
    `  ${configConsoleUrl(item)}`,
    ...(item.cisoReasons.length > 0
      ? ["", `The platform/CISO topic gets this finding: ${item.cisoReasons.join(", ")}.`]
      : []),
  ];
  return {
    subject,
    body: withJson(lines, machinePart(item, "finding", account, controls)),
    attributes: attributesOf(item, "finding"),
  };
}

/**
 * The short message telling whoever got the finding that it is resolved. `previousAt` (stateless
 * mode, where nobody knows when the finding opened): when Config last reported it NON_COMPLIANT.
 */
export function renderResolved(
  item: LedgerItem,
  account: AccountInfo | undefined,
  lookup: ControlLookup,
  previousAt?: string,
): Message {
  const controls = item.controlIds
    .map((id) => lookup.control(id))
    .filter((c): c is ControlInfo => c !== undefined);
  const primary = item.controlIds[0] ?? item.ruleName;
  const how =
    item.state === "NOT_APPLICABLE"
      ? "AWS Config reports it NOT_APPLICABLE (the resource was deleted or left the rule's scope)"
      : "AWS Config reports it COMPLIANT";
  const open = durationText(item.openedAt, item.resolvedAt);
  const lines = [
    `Resolved: ${item.resourceType} "${item.resourceId}" in account ${accountLine(item, account)}, ${item.region}.`,
    "",
    `${how} at ${item.resolvedAt ?? item.orderingTimestamp}.`,
    `The finding (${item.controlIds.join(", ") || item.ruleName}, severity ${item.severity}) ${
      item.openedAt || !previousAt
        ? `was open since ${item.openedAt ?? "unknown"}${open ? ` (${open})` : ""}`
        : `was last reported NON_COMPLIANT for the evaluation of ${previousAt}`
    }.`,
    `Rule: ${item.ruleName}. Resource: ${configConsoleUrl(item)}`,
  ];
  return {
    subject: subjectLine(
      `RESOLVED: ${item.resourceType} ${item.resourceId} in ${item.accountId} (${primary})`,
    ),
    body: withJson(lines, machinePart(item, "resolved", account, controls)),
    attributes: attributesOf(item, "resolved"),
  };
}
