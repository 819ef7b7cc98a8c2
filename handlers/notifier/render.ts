// Renders a ledger item into an SNS message: a subject (at most 100 ASCII characters), a readable
// body (what, where, the account's rating against what the resource achieves, why it matters, how
// to fix it, a link to the resource in the AWS Config console), a JSON part for machines, and the
// message attributes subscribers filter on (docs/NOTIFIER.md).

import { parseAnnotation } from "../../engine/annotation.ts";
import type { AccountInfo } from "./account-context.ts";
import type { ControlInfo, ControlLookup } from "./controls.ts";
import { ownerAddresses } from "./owner-addresses.ts";
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
  /**
   * The owner tag's addresses (SNS type String.Array): an owner of more accounts than an
   * `accountId` filter policy can list (150 values) subscribes with `{"owner": [address]}`.
   */
  owner?: string[];
}

/** The `owner` attribute of an account's messages, when its owner tag names an address. */
export function ownerAttribute(owner: string | undefined): { owner?: string[] } {
  const { addresses } = ownerAddresses(owner);
  return addresses.length > 0 ? { owner: addresses } : {};
}

export const MAX_SUBJECT = 100;
/**
 * SNS refuses a Publish whose message is larger than the topic's MaximumMessageSize, 262,144
 * bytes (256 KiB) by default: the body in UTF-8 plus every attribute's name, data type and value.
 */
export const SNS_MAX_MESSAGE_BYTES = 262_144;
/**
 * What a message may count against that limit. The subject does not count, but is included
 * (at most 100 bytes), and so is a margin for any framing SNS adds: a message at this size is
 * always accepted.
 */
export const MAX_MESSAGE_BYTES = SNS_MAX_MESSAGE_BYTES - 1024;
/** An attribute value is a filter key, never prose: longer values are cut (see attributesOf). */
export const MAX_ATTRIBUTE_VALUE = 256;
export const JSON_MARKER = "--- JSON ---";

/** The message attributes as Publish sends them (publisher.ts): SNS data type and string value. */
export function snsAttributes(
  attributes: MessageAttributes,
): Record<string, { DataType: "String" | "String.Array"; StringValue: string }> {
  return Object.fromEntries(
    Object.entries(attributes)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [
        k,
        Array.isArray(v)
          ? { DataType: "String.Array" as const, StringValue: JSON.stringify(v) }
          : { DataType: "String" as const, StringValue: v as string },
      ]),
  );
}

/** The bytes of the attributes SNS counts: each name, data type and value, in UTF-8. */
export function attributeBytes(attributes: MessageAttributes): number {
  return Object.entries(snsAttributes(attributes)).reduce(
    (n, [name, v]) =>
      n + Buffer.byteLength(name) + Buffer.byteLength(v.DataType) + Buffer.byteLength(v.StringValue),
    0,
  );
}

/** The size SNS measures against its limit, plus the subject (see MAX_MESSAGE_BYTES). */
export function messageBytes(message: Message): number {
  return (
    Buffer.byteLength(message.body) + attributeBytes(message.attributes) + Buffer.byteLength(message.subject)
  );
}

export const fitsSns = (message: Message): boolean => messageBytes(message) <= MAX_MESSAGE_BYTES;

/** `text` cut to at most `max` characters, saying so. */
export function clip(text: string, max: number): string {
  return text.length <= max
    ? text
    : `${text.slice(0, Math.max(0, max - 20))}... (${text.length - max + 20} cut)`;
}

/** `value` with every string in it cut to `max` characters (the JSON part of a shortened message). */
function clipStrings(value: unknown, max: number): unknown {
  if (typeof value === "string") return clip(value, max);
  if (Array.isArray(value)) return value.map((v) => clipStrings(v, max));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clipStrings(v, max)]));
  }
  return value;
}

/**
 * The last resort of the publisher (publisher.ts): a message every renderer should already have
 * kept within the limit, cut to fit rather than refused. The body is cut at a character
 * boundary, the attributes' values to MAX_ATTRIBUTE_VALUE.
 */
export function forceFit(message: Message): Message {
  if (fitsSns(message)) return message;
  const attributes = clipAttributes(message.attributes);
  const note = "\n... (cut: the message exceeded the SNS size limit)\n";
  const room =
    MAX_MESSAGE_BYTES -
    attributeBytes(attributes) -
    Buffer.byteLength(message.subject) -
    Buffer.byteLength(note);
  const bytes = Buffer.from(message.body, "utf8");
  if (bytes.length + Buffer.byteLength(note) <= room) return { ...message, attributes };
  // Back up to the start of a UTF-8 character (not a continuation byte 10xxxxxx).
  let end = Math.max(0, room);
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return { ...message, attributes, body: bytes.subarray(0, end).toString("utf8") + note };
}

function clipAttributes(attributes: MessageAttributes): MessageAttributes {
  const out = { ...attributes } as Record<string, string | string[] | undefined>;
  for (const [k, v] of Object.entries(out)) {
    if (typeof v === "string") out[k] = clip(v, MAX_ATTRIBUTE_VALUE);
    else if (Array.isArray(v)) {
      // The owner tag's addresses: at most 256 characters in all, unless the tag is hostile.
      const kept: string[] = [];
      for (const a of v) if (JSON.stringify([...kept, a]).length <= MAX_ATTRIBUTE_VALUE * 4) kept.push(a);
      out[k] = kept.length > 0 ? kept : undefined;
    }
  }
  return out as unknown as MessageAttributes;
}

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
  account?: AccountInfo,
): MessageAttributes {
  return clipAttributes({
    accountId: item.accountId,
    severity: item.severity,
    compliance: item.state,
    controlId: item.controlIds[0] ?? "none",
    resourceType: item.resourceType,
    environment: item.environment ?? "untagged",
    notificationType: kind,
    ...ownerAttribute(account?.owner),
  });
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

/**
 * The body: the text, then the JSON part, within SNS's size limit together with the subject and
 * attributes. Only an event with a pathological annotation or resource id (AWS Config keeps
 * annotations to 256 characters) gets past the first form: then the text is shortened, the JSON
 * part made compact, and at last every long string in both cut.
 */
function withJson(lines: string[], json: unknown, subject: string, attributes: MessageAttributes): string {
  const fits = (body: string) => fitsSns({ subject, body, attributes });
  const body = `${lines.join("\n")}\n\n${JSON_MARKER}\n${JSON.stringify(json, null, 2)}\n`;
  if (fits(body)) return body;
  const head = lines.slice(0, 12);
  let shortened = `${head.join("\n")}\n(shortened)\n\n${JSON_MARKER}\n${JSON.stringify(json)}\n`;
  for (const max of [16_384, 4096, 1024, 256]) {
    if (fits(shortened)) return shortened;
    shortened = `${head.map((l) => clip(l, max)).join("\n")}\n(shortened: long values cut)\n\n${JSON_MARKER}\n${JSON.stringify(clipStrings(json, max))}\n`;
  }
  return shortened;
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
  const attributes = attributesOf(item, "finding", account);
  return {
    subject,
    body: withJson(lines, machinePart(item, "finding", account, controls), subject, attributes),
    attributes,
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
  const subject = subjectLine(
    `RESOLVED: ${item.resourceType} ${item.resourceId} in ${item.accountId} (${primary})`,
  );
  const attributes = attributesOf(item, "resolved", account);
  return {
    subject,
    body: withJson(lines, machinePart(item, "resolved", account, controls), subject, attributes),
    attributes,
  };
}
