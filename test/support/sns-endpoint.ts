// A local Amazon SNS endpoint speaking the query protocol the SDK uses (form-encoded requests,
// XML answers): Publish, Subscribe, Unsubscribe, ListSubscriptionsByTopic,
// GetSubscriptionAttributes, SetSubscriptionAttributes. It records every call, enforces the SNS
// limits the notifier must respect (subject, size, attributes), keeps subscriptions, and injects
// faults. Listens on 127.0.0.1, port 0.

import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { listenOnLoopback } from "./loopback.ts";

export interface SnsCall {
  action: string;
  params: Record<string, string>;
}

export interface Published {
  messageId: string;
  topicArn: string;
  subject?: string;
  message: string;
  attributes: Record<string, string>;
  /** Each attribute's data type (`String`, `String.Array`). */
  attributeTypes: Record<string, string>;
  /** Endpoints of the confirmed subscriptions whose filter policy matched (exact strings only). */
  deliveredTo: string[];
}

export interface Subscription {
  subscriptionArn: string;
  topicArn: string;
  protocol: string;
  endpoint: string;
  confirmed: boolean;
  attributes: Record<string, string>;
}

export interface SnsFault {
  status: number;
  code: string;
  message?: string;
}

/** Decides per call whether it fails; undefined lets it through. */
export type SnsFaultRule = (call: SnsCall) => SnsFault | undefined;

export interface SnsEndpoint {
  endpoint: string;
  calls: SnsCall[];
  published: Published[];
  subscriptions: Subscription[];
  /** The next `count` calls of `action` fail with `fault`. */
  failNext(action: string, count: number, fault?: SnsFault): void;
  /** A rule consulted for every call (after failNext); replaces the previous rule. */
  setFaultRule(rule: SnsFaultRule | undefined): void;
  /** Confirms every pending subscription (as the owner clicking the link in the e-mail would). */
  confirmAll(): void;
  /** Page size of ListSubscriptionsByTopic (real SNS: 100). */
  pageSize: number;
  /** Subscriptions with a filter policy one topic may have (real SNS: 200 unless raised). */
  filterPolicyQuota: number;
  reset(): void;
  close(): Promise<void>;
}

const XMLNS = "http://sns.amazonaws.com/doc/2010-03-31/";
export const INTERNAL_ERROR: SnsFault = { status: 500, code: "InternalError", message: "injected fault" };
export const MAX_MESSAGE_BYTES = 256 * 1024;

const xmlEscape = (text: string): string =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

interface Reply {
  status: number;
  xml: string;
}

function respond(action: string, result: string): Reply {
  return {
    status: 200,
    xml:
      `<${action}Response xmlns="${XMLNS}"><${action}Result>${result}</${action}Result>` +
      `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`,
  };
}

function respondError(fault: SnsFault): Reply {
  return {
    status: fault.status,
    xml:
      `<ErrorResponse xmlns="${XMLNS}"><Error><Type>${fault.status >= 500 ? "Receiver" : "Sender"}</Type>` +
      `<Code>${fault.code}</Code><Message>${xmlEscape(fault.message ?? fault.code)}</Message></Error>` +
      `<RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
  };
}

/** `Prefix.entry.N.<key>` / `.<value>` pairs of a query-protocol map. */
function mapParam(params: Record<string, string>, prefix: string, keyName: string, valueName: string) {
  const out: Record<string, string> = {};
  for (let n = 1; params[`${prefix}.entry.${n}.${keyName}`] !== undefined; n++) {
    out[params[`${prefix}.entry.${n}.${keyName}`]!] = params[`${prefix}.entry.${n}.${valueName}`] ?? "";
  }
  return out;
}

/**
 * SNS filter policies on message attributes, the subset the notifier's subscribers use: each key
 * lists the accepted string values; every key must match (a String.Array attribute matches when
 * any of its values is accepted). No policy: everything matches.
 */
export function matchesFilterPolicy(
  policy: string | undefined,
  attributes: Record<string, string>,
  types: Record<string, string> = {},
): boolean {
  if (!policy) return true;
  const parsed = JSON.parse(policy) as Record<string, unknown[]>;
  return Object.entries(parsed).every(([key, accepted]) => {
    const value = attributes[key];
    if (value === undefined) return false;
    const values = types[key] === "String.Array" ? (JSON.parse(value) as unknown[]) : [value];
    return values.some((v) => accepted.some((a) => a === v));
  });
}

const invalid = (message: string): SnsFault => ({ status: 400, code: "InvalidParameter", message });

/** The limits real SNS enforces on Publish. */
function checkPublish(
  params: Record<string, string>,
  attributes: Record<string, string>,
  types: Record<string, string>,
): SnsFault | undefined {
  const subject = params.Subject;
  if (subject !== undefined) {
    if (subject.length === 0 || subject.length > 100) return invalid("Subject must be 1 to 100 characters");
    if (!/^[\x20-\x7e]+$/.test(subject)) return invalid("Subject must be ASCII without line breaks");
  }
  const message = params.Message ?? "";
  if (message.length === 0) return invalid("Empty message");
  // Every part of an attribute counts: its name, data type and value, in UTF-8.
  const attributeBytes = Object.entries(attributes).reduce(
    (n, [k, v]) => n + Buffer.byteLength(k + (types[k] ?? "") + v),
    0,
  );
  if (Buffer.byteLength(message) + attributeBytes > MAX_MESSAGE_BYTES) return invalid("Message too long");
  if (Object.keys(attributes).length > 10) return invalid("More than 10 message attributes");
  for (const [name, value] of Object.entries(attributes)) {
    if (value === "") return invalid(`Message attribute ${name} has an empty value`);
  }
  return undefined;
}

export async function startSnsEndpoint(): Promise<SnsEndpoint> {
  const state = {
    calls: [] as SnsCall[],
    published: [] as Published[],
    subscriptions: [] as Subscription[],
    queued: [] as { action: string; fault: SnsFault }[],
    rule: undefined as SnsFaultRule | undefined,
  };
  const api: SnsEndpoint = {
    endpoint: "",
    close: async () => {},
    get calls() {
      return state.calls;
    },
    get published() {
      return state.published;
    },
    get subscriptions() {
      return state.subscriptions;
    },
    pageSize: 100,
    filterPolicyQuota: 200,
    failNext(action, count, fault = INTERNAL_ERROR) {
      for (let i = 0; i < count; i++) state.queued.push({ action, fault });
    },
    setFaultRule(rule) {
      state.rule = rule;
    },
    confirmAll() {
      for (const s of state.subscriptions) s.confirmed = true;
    },
    reset() {
      state.calls.length = 0;
      state.published.length = 0;
      state.subscriptions.length = 0;
      state.queued.length = 0;
      state.rule = undefined;
      api.pageSize = 100;
      api.filterPolicyQuota = 200;
    },
  };

  /** Real SNS refuses a filter policy beyond the topic's quota (FilterPolicyLimitExceeded). */
  function overQuota(topicArn: string, except?: Subscription): Reply | undefined {
    const used = state.subscriptions.filter(
      (s) => s.topicArn === topicArn && s.attributes.FilterPolicy && s !== except,
    ).length;
    if (used < api.filterPolicyQuota) return undefined;
    return respondError({
      status: 403,
      code: "FilterPolicyLimitExceeded",
      message: `Filter policy limit exceeded: at most ${api.filterPolicyQuota} filter policies per topic`,
    });
  }

  function handle(call: SnsCall): Reply {
    const { action, params } = call;
    const queued = state.queued.findIndex((q) => q.action === action);
    const fault = queued >= 0 ? state.queued.splice(queued, 1)[0]!.fault : state.rule?.(call);
    if (fault) return respondError(fault);
    switch (action) {
      case "Publish": {
        const attributes = mapParam(params, "MessageAttributes", "Name", "Value.StringValue");
        const types = mapParam(params, "MessageAttributes", "Name", "Value.DataType");
        const problem = checkPublish(params, attributes, types);
        if (problem) return respondError(problem);
        const messageId = randomUUID();
        const published: Published = {
          messageId,
          topicArn: params.TopicArn ?? "",
          message: params.Message ?? "",
          attributes,
          attributeTypes: types,
          deliveredTo: state.subscriptions
            .filter((sub) => sub.topicArn === params.TopicArn && sub.confirmed)
            .filter((sub) => matchesFilterPolicy(sub.attributes.FilterPolicy, attributes, types))
            .map((sub) => sub.endpoint),
        };
        if (params.Subject !== undefined) published.subject = params.Subject;
        state.published.push(published);
        return respond(action, `<MessageId>${messageId}</MessageId>`);
      }
      case "Subscribe": {
        const attributesGiven = mapParam(params, "Attributes", "key", "value");
        if (attributesGiven.FilterPolicy) {
          const refused = overQuota(params.TopicArn ?? "");
          if (refused) return refused;
        }
        const subscriptionArn = `${params.TopicArn}:${randomUUID()}`;
        const confirmed = params.Protocol !== "email" && params.Protocol !== "email-json";
        state.subscriptions.push({
          subscriptionArn,
          topicArn: params.TopicArn ?? "",
          protocol: params.Protocol ?? "",
          endpoint: params.Endpoint ?? "",
          confirmed,
          attributes: attributesGiven,
        });
        const shown =
          confirmed || params.ReturnSubscriptionArn === "true" ? subscriptionArn : "pending confirmation";
        return respond(action, `<SubscriptionArn>${xmlEscape(shown)}</SubscriptionArn>`);
      }
      case "Unsubscribe": {
        const index = state.subscriptions.findIndex((s) => s.subscriptionArn === params.SubscriptionArn);
        if (index < 0)
          return respondError({ status: 404, code: "NotFound", message: "Subscription does not exist" });
        state.subscriptions.splice(index, 1);
        return respond(action, "");
      }
      case "ListSubscriptionsByTopic": {
        const all = state.subscriptions.filter((s) => s.topicArn === params.TopicArn);
        const start = Number(params.NextToken ?? 0);
        const page = all.slice(start, start + api.pageSize);
        const next =
          start + api.pageSize < all.length ? `<NextToken>${start + api.pageSize}</NextToken>` : "";
        const members = page
          .map(
            (s) =>
              `<member><TopicArn>${xmlEscape(s.topicArn)}</TopicArn><Protocol>${s.protocol}</Protocol>` +
              `<SubscriptionArn>${xmlEscape(s.confirmed ? s.subscriptionArn : "PendingConfirmation")}</SubscriptionArn>` +
              `<Owner>111111111111</Owner><Endpoint>${xmlEscape(s.endpoint)}</Endpoint></member>`,
          )
          .join("");
        return respond(action, `<Subscriptions>${members}</Subscriptions>${next}`);
      }
      case "GetSubscriptionAttributes":
      case "SetSubscriptionAttributes": {
        const sub = state.subscriptions.find((s) => s.subscriptionArn === params.SubscriptionArn);
        if (!sub)
          return respondError({ status: 404, code: "NotFound", message: "Subscription does not exist" });
        if (action === "SetSubscriptionAttributes") {
          if (params.AttributeName === "FilterPolicy" && !sub.attributes.FilterPolicy) {
            const refused = overQuota(sub.topicArn, sub);
            if (refused) return refused;
          }
          sub.attributes[params.AttributeName ?? ""] = params.AttributeValue ?? "";
          return respond(action, "");
        }
        const entries = Object.entries({
          ...sub.attributes,
          SubscriptionArn: sub.subscriptionArn,
          Protocol: sub.protocol,
        })
          .map(([k, v]) => `<entry><key>${xmlEscape(k)}</key><value>${xmlEscape(v)}</value></entry>`)
          .join("");
        return respond(action, `<Attributes>${entries}</Attributes>`);
      }
      default:
        return respondError({
          status: 400,
          code: "InvalidAction",
          message: `not implemented: ${action}`,
        });
    }
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const params = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString("utf8")));
      const call: SnsCall = { action: params.Action ?? "", params };
      state.calls.push(call);
      const reply = handle(call);
      res.writeHead(reply.status, { "content-type": "text/xml" });
      res.end(reply.xml);
    });
  });
  Object.assign(api, await listenOnLoopback(server));
  return api;
}
