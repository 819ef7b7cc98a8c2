// A local AWS Config endpoint for handler tests: it speaks Config's JSON 1.1 protocol
// (`X-Amz-Target: StarlingDoveService.<Operation>`, epoch-second timestamps) and the Logs API's
// (`Logs_20140328.DescribeLogGroups`), so the real AWS SDK clients talk to it through
// AWS_ENDPOINT_URL. It records every call, keeps resources (with their history), log groups and the
// evaluations each rule has written, enforces the API limits AWS documents (so a test fails when
// the handler breaks one), and injects faults: 400 ThrottlingException, 500, FailedEvaluations
// and unprocessed keys, at a seeded random rate or queued for the next calls; an outage from a
// given call on (a sweep cut short); a list operation that returns the same page token forever.
// PutEvaluations refuses resource types AWS Config does not support (except AWS::::Account), as
// the real service does with InvalidParameterValueException.

import { createHash, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { isRecordedType } from "../../engine/catalogue.ts";
import { canonicalResourceType, toIsoTime } from "../../engine/normalise.ts";
import { toApiShape } from "./shapes.ts";

type Raw = Record<string, unknown>;

export type FaultKind = "throttle" | "server" | "failedEvaluations" | "unprocessed";

export interface FaultPlan {
  /** Probability that a call gets a fault. */
  rate: number;
  /** Seed of the deterministic random source. */
  seed?: number;
  /** Operations subject to faults; default every operation. */
  operations?: string[];
}

export interface RecordedCall {
  target: string;
  operation: string;
  body: Raw;
  status: number;
  fault?: FaultKind;
}

export interface StoredEvaluation {
  rule: string;
  resourceType: string;
  resourceId: string;
  complianceType: string;
  annotation?: string;
  /** Epoch seconds, as sent. */
  orderingTimestamp: number;
  resultToken: string;
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** The key of a resource in the endpoint's maps (and in `evaluationsOf`). */
export const resourceKey = (type: string, id: string) => `${type}\u0000${id}`;
const key = resourceKey;

/**
 * A number in [0, 1) from the seed and a text: fault decisions depend on what is asked and how
 * often the same thing was asked before, not on the order of concurrent calls, so a fault pattern
 * repeats exactly from run to run.
 */
function chance(seed: number, text: string): number {
  const digest = createHash("sha256").update(`${seed}\u0000${text}`).digest();
  return digest.readUInt32BE(0) / 4294967296;
}

const seconds = (value: unknown): number | undefined => {
  const iso = toIsoTime(value);
  return iso ? Date.parse(iso) / 1000 : undefined;
};

/** Any raw item -> the API shape the real service sends (timestamps epoch seconds, maps of strings). */
function apiItem(raw: Raw): Raw {
  const api = toApiShape(raw);
  // The service spells resource types one way (the 2014 documentation examples did not).
  if (typeof api.resourceType === "string") api.resourceType = canonicalResourceType(api.resourceType);
  api.configurationItemCaptureTime = seconds(raw.configurationItemCaptureTime);
  api.resourceCreationTime = seconds(raw.resourceCreationTime);
  const tags = api.tags;
  if (tags && typeof tags === "object" && !Array.isArray(tags)) {
    api.tags = Object.fromEntries(Object.entries(tags as Raw).map(([k, v]) => [k, String(v)]));
  } else delete api.tags;
  if (!Array.isArray(api.relationships)) delete api.relationships;
  if (!Array.isArray(api.relatedEvents)) delete api.relatedEvents;
  return Object.fromEntries(Object.entries(api).filter(([, v]) => v !== undefined && v !== null));
}

const BASE_ITEM_KEYS = [
  "version",
  "accountId",
  "configurationItemCaptureTime",
  "configurationItemStatus",
  "configurationStateId",
  "arn",
  "resourceType",
  "resourceId",
  "resourceName",
  "awsRegion",
  "availabilityZone",
  "resourceCreationTime",
  "configuration",
  "supplementaryConfiguration",
];

export class ConfigEndpoint {
  readonly calls: RecordedCall[] = [];
  /** Every PutEvaluations entry accepted (not in test mode), in order. */
  readonly accepted: StoredEvaluation[] = [];
  /** Entries validated in test mode (never stored). */
  readonly testModeEvaluations: StoredEvaluation[] = [];
  private readonly current = new Map<string, Raw>();
  private readonly history = new Map<string, Raw[]>();
  private readonly latest = new Map<string, StoredEvaluation>();
  private readonly ruleByToken = new Map<string, string>();
  private logGroupList: Raw[] = [];
  /** What Config's Describe* calls answer (the recorder and delivery channel of the account item). */
  recorder: { ConfigurationRecorders: Raw[]; ConfigurationRecordersStatus: Raw[]; DeliveryChannels: Raw[] } =
    {
      ConfigurationRecorders: [],
      ConfigurationRecordersStatus: [],
      DeliveryChannels: [],
    };
  /** Resource types ListDiscoveredResources refuses (as for a type the region does not support). */
  private refused = new Set<string>();
  private faultPlan: FaultPlan | undefined;
  /** How often each request body was seen (retries of a call repeat the body). */
  private readonly seen = new Map<string, number>();
  private readonly queued: { operation: string; kind: FaultKind; share: number }[] = [];
  /** Share of the entries a FailedEvaluations / unprocessed fault affects in the current call. */
  private share = 0.5;
  /** Operations down from a given number of successful calls on. */
  private readonly outages = new Map<string, { after: number; served: number }>();
  /** List operations that answer every call with the same next token. */
  private readonly stuckTokens = new Set<string>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<ConfigEndpoint> {
    let endpoint: ConfigEndpoint | undefined;
    const server = createServer((req, res) => void endpoint?.serve(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    endpoint = new ConfigEndpoint(server, `http://127.0.0.1:${port}`);
    return endpoint;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  // ---- state a test sets up -------------------------------------------------------------------

  /** Adds (or updates) a resource; every version is kept for GetResourceConfigHistory. */
  putResource(raw: Raw): Raw {
    const item = apiItem(raw);
    const k = key(String(item.resourceType), String(item.resourceId));
    this.current.set(k, item);
    const versions = this.history.get(k) ?? [];
    versions.push(item);
    this.history.set(k, versions);
    return item;
  }

  /** Deletes a resource: no longer listed nor returned by BatchGetResourceConfig (history stays). */
  deleteResource(resourceType: string, resourceId: string): void {
    this.current.delete(key(resourceType, resourceId));
  }

  setLogGroups(groups: Raw[]): void {
    this.logGroupList = groups;
  }

  /** ListDiscoveredResources answers these types with a ValidationException. */
  refuseTypes(types: string[]): void {
    this.refused = new Set(types);
  }

  /** A result token that files evaluations under `rule`. */
  tokenFor(rule: string): string {
    const token = `token-${rule}-${randomUUID()}`;
    this.ruleByToken.set(token, rule);
    return token;
  }

  /** An evaluation the rule wrote earlier (e.g. of a resource deleted since). */
  seedEvaluation(
    e: Omit<StoredEvaluation, "resultToken" | "orderingTimestamp"> & { orderingTimestamp?: number },
  ) {
    this.latest.set(`${e.rule}\u0000${key(e.resourceType, e.resourceId)}`, {
      orderingTimestamp: 0,
      resultToken: "seed",
      ...e,
    });
  }

  /** The latest evaluation of every resource by a rule. */
  evaluationsOf(rule: string): Map<string, StoredEvaluation> {
    const out = new Map<string, StoredEvaluation>();
    for (const e of this.latest.values()) if (e.rule === rule) out.set(key(e.resourceType, e.resourceId), e);
    return out;
  }

  /** Random faults from now on (undefined: none). */
  setFaults(plan: FaultPlan | undefined): void {
    this.faultPlan = plan;
  }

  /** Forgets resources, history, log groups, evaluations, calls and faults. */
  reset(): void {
    this.calls.length = 0;
    this.accepted.length = 0;
    this.testModeEvaluations.length = 0;
    this.current.clear();
    this.history.clear();
    this.latest.clear();
    this.seen.clear();
    this.queued.length = 0;
    this.logGroupList = [];
    this.recorder = { ConfigurationRecorders: [], ConfigurationRecordersStatus: [], DeliveryChannels: [] };
    this.refused.clear();
    this.faultPlan = undefined;
    this.outages.clear();
    this.stuckTokens.clear();
  }

  /** After `after` more successful calls, every call of `operation` fails with a 500 (an outage). */
  failFrom(operation: string, after: number): void {
    this.outages.set(operation, { after, served: 0 });
  }

  /** Every page of the list `operation` carries the same next token (a broken paginator). */
  repeatToken(operation: string): void {
    this.stuckTokens.add(operation);
  }

  /**
   * The next `count` calls of `operation` get this fault; for FailedEvaluations and unprocessed
   * keys, `share` is the part of the entries affected (1: all of them).
   */
  failNext(operation: string, kind: FaultKind, count = 1, share = 0.5): void {
    for (let i = 0; i < count; i++) this.queued.push({ operation, kind, share });
  }

  callsOf(operation: string): RecordedCall[] {
    return this.calls.filter((c) => c.operation === operation);
  }

  // ---- the protocol ---------------------------------------------------------------------------

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const target = String(req.headers["x-amz-target"] ?? "");
    const operation = target.split(".")[1] ?? "";
    let body: Raw = {};
    const call: RecordedCall = { target, operation, body, status: 200 };
    this.calls.push(call);
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Raw;
      call.body = body;
      if (!target.startsWith("StarlingDoveService.") && !target.startsWith("Logs_20140328.")) {
        throw new ApiError(400, "UnknownOperationException", `unknown target ${target}`);
      }
      const text = JSON.stringify(body);
      const occurrence = (this.seen.get(text) ?? 0) + 1;
      this.seen.set(text, occurrence);
      const draw = (salt: string) =>
        chance(this.faultPlan?.seed ?? 1, `${operation} ${occurrence} ${salt} ${text}`);
      const fault = this.pickFault(operation, draw);
      if (fault === "throttle") {
        call.fault = fault;
        throw new ApiError(400, "ThrottlingException", "Rate exceeded");
      }
      if (fault === "server") {
        call.fault = fault;
        throw new ApiError(500, "InternalFailure", "injected server error");
      }
      const outage = this.outages.get(operation);
      if (outage && outage.served >= outage.after) {
        call.fault = "server";
        throw new ApiError(500, "InternalFailure", "injected outage");
      }
      const result = this.operation(operation, body, fault, call, draw);
      if (outage) outage.served++;
      if (this.stuckTokens.has(operation) && result && typeof result === "object") {
        // Config's compliance APIs spell it NextToken, the resource and Logs APIs nextToken.
        const tokenKey = operation.startsWith("GetCompliance") ? "NextToken" : "nextToken";
        (result as Raw)[tokenKey] = "stuck";
      }
      this.send(res, 200, result);
    } catch (error) {
      if (error instanceof ApiError) {
        call.status = error.status;
        this.send(res, error.status, { __type: error.type, message: error.message }, error.type);
      } else {
        call.status = 500;
        this.send(res, 500, { __type: "InternalFailure", message: String(error) }, "InternalFailure");
      }
    }
  }

  private send(res: ServerResponse, status: number, payload: unknown, errorType?: string): void {
    const text = JSON.stringify(payload);
    res.writeHead(status, {
      "content-type": "application/x-amz-json-1.1",
      "content-length": Buffer.byteLength(text),
      "x-amzn-requestid": randomUUID(),
      ...(errorType ? { "x-amzn-errortype": errorType } : {}),
    });
    res.end(text);
  }

  private pickFault(operation: string, draw: (salt: string) => number): FaultKind | undefined {
    this.share = 0.5;
    const index = this.queued.findIndex((q) => q.operation === operation);
    if (index >= 0) {
      const queued = this.queued.splice(index, 1)[0]!;
      this.share = queued.share;
      return queued.kind;
    }
    const plan = this.faultPlan;
    if (!plan || (plan.operations && !plan.operations.includes(operation))) return undefined;
    if (draw("fault") >= plan.rate) return undefined;
    const kinds: FaultKind[] = ["throttle", "server"];
    if (operation === "PutEvaluations") kinds.push("failedEvaluations");
    if (operation === "BatchGetResourceConfig") kinds.push("unprocessed");
    return kinds[Math.floor(draw("kind") * kinds.length)];
  }

  private operation(
    operation: string,
    body: Raw,
    fault: FaultKind | undefined,
    call: RecordedCall,
    draw: (salt: string) => number,
  ): unknown {
    switch (operation) {
      case "PutEvaluations":
        return this.putEvaluations(body, fault, call, draw);
      case "GetResourceConfigHistory":
        return this.resourceHistory(body);
      case "ListDiscoveredResources":
        return this.listDiscovered(body);
      case "BatchGetResourceConfig":
        return this.batchGet(body, fault, call, draw);
      case "GetComplianceDetailsByConfigRule":
        return this.complianceDetails(body);
      case "GetDiscoveredResourceCounts":
        return this.resourceCounts(body);
      case "DescribeLogGroups":
        return this.describeLogGroups(body);
      case "DescribeConfigurationRecorders":
        return { ConfigurationRecorders: this.recorder.ConfigurationRecorders };
      case "DescribeConfigurationRecorderStatus":
        return {
          ConfigurationRecordersStatus: this.recorder.ConfigurationRecordersStatus.map((s) => {
            const out: Raw = { ...s };
            for (const k of ["lastStartTime", "lastStopTime", "lastStatusChangeTime"]) {
              if (typeof out[k] === "string") out[k] = seconds(out[k]);
            }
            return out;
          }),
        };
      case "DescribeDeliveryChannels":
        return { DeliveryChannels: this.recorder.DeliveryChannels };
      default:
        throw new ApiError(400, "UnknownOperationException", `operation ${operation} not supported`);
    }
  }

  private limit(value: unknown, max: number, name: string, fallback: number): number {
    if (value === undefined) return fallback;
    if (typeof value !== "number" || value < 0 || value > max) {
      throw new ApiError(
        400,
        "ValidationException",
        `${name} must be between 0 and ${max}, got ${String(value)}`,
      );
    }
    return value === 0 ? fallback : value;
  }

  private page<T>(all: T[], token: unknown, size: number): { items: T[]; next?: string } {
    const start = typeof token === "string" && token ? Number(token) : 0;
    const items = all.slice(start, start + size);
    return start + size < all.length ? { items, next: String(start + size) } : { items };
  }

  private putEvaluations(
    body: Raw,
    fault: FaultKind | undefined,
    call: RecordedCall,
    draw: (salt: string) => number,
  ): unknown {
    const token = body.ResultToken;
    if (typeof token !== "string" || token === "")
      throw new ApiError(400, "InvalidResultTokenException", "no token");
    const list = body.Evaluations;
    if (!Array.isArray(list)) throw new ApiError(400, "ValidationException", "Evaluations is required");
    if (list.length > 100) {
      throw new ApiError(400, "ValidationException", `at most 100 evaluations a call, got ${list.length}`);
    }
    const evaluations = list.map((raw: Raw) => {
      const type = raw.ComplianceResourceType;
      const id = raw.ComplianceResourceId;
      const compliance = raw.ComplianceType;
      const annotation = raw.Annotation;
      if (typeof type !== "string" || type.length < 1 || type.length > 256)
        throw new ApiError(400, "ValidationException", "ComplianceResourceType must be 1..256 characters");
      if (type !== "AWS::::Account" && !isRecordedType(type))
        throw new ApiError(
          400,
          "InvalidParameterValueException",
          `The resource type ${type} is invalid. Only the following values are permitted: [the types AWS Config supports, AWS::::Account]`,
        );
      if (typeof id !== "string" || id.length < 1 || id.length > 768)
        throw new ApiError(400, "ValidationException", "ComplianceResourceId must be 1..768 characters");
      if (compliance !== "COMPLIANT" && compliance !== "NON_COMPLIANT" && compliance !== "NOT_APPLICABLE")
        throw new ApiError(
          400,
          "InvalidParameterValueException",
          `ComplianceType ${String(compliance)} not accepted`,
        );
      if (
        annotation !== undefined &&
        (typeof annotation !== "string" || annotation.length < 1 || annotation.length > 256)
      )
        throw new ApiError(400, "ValidationException", "Annotation must be 1..256 characters");
      if (typeof raw.OrderingTimestamp !== "number")
        throw new ApiError(400, "ValidationException", "OrderingTimestamp must be epoch seconds");
      return { raw, type, id, compliance, annotation, at: raw.OrderingTimestamp };
    });
    const failed: Raw[] = [];
    const rule = this.ruleByToken.get(token) ?? token;
    evaluations.forEach((e) => {
      if (fault === "failedEvaluations" && draw(`${e.type} ${e.id}`) < this.share) {
        failed.push(e.raw);
        return;
      }
      const stored: StoredEvaluation = {
        rule,
        resourceType: e.type,
        resourceId: e.id,
        complianceType: e.compliance,
        orderingTimestamp: e.at as number,
        resultToken: token,
        ...(typeof e.annotation === "string" ? { annotation: e.annotation } : {}),
      };
      if (body.TestMode === true) {
        this.testModeEvaluations.push(stored);
        return;
      }
      this.accepted.push(stored);
      this.latest.set(`${rule}\u0000${key(e.type, e.id)}`, stored);
    });
    if (fault === "failedEvaluations") call.fault = fault;
    return { FailedEvaluations: failed };
  }

  private resourceHistory(body: Raw): unknown {
    const type = String(body.resourceType ?? "");
    const id = String(body.resourceId ?? "");
    const limit = this.limit(body.limit, 100, "limit", 10);
    const versions = this.history.get(key(type, id));
    if (!versions) throw new ApiError(400, "ResourceNotDiscoveredException", `${type} ${id} not discovered`);
    const later = typeof body.laterTime === "number" ? body.laterTime : Number.POSITIVE_INFINITY;
    const items = versions
      .filter((v) => Number(v.configurationItemCaptureTime ?? 0) <= later)
      .sort(
        (a, b) => Number(b.configurationItemCaptureTime ?? 0) - Number(a.configurationItemCaptureTime ?? 0),
      )
      .slice(0, limit);
    return { configurationItems: items };
  }

  private listDiscovered(body: Raw): unknown {
    const type = body.resourceType;
    if (typeof type !== "string") throw new ApiError(400, "ValidationException", "resourceType is required");
    if (this.refused.has(type)) {
      throw new ApiError(400, "ValidationException", `resourceType ${type} is not supported in this region`);
    }
    const limit = this.limit(body.limit, 100, "limit", 100);
    const all = [...this.current.values()]
      .filter((i) => i.resourceType === type)
      .map((i) => ({
        resourceType: i.resourceType,
        resourceId: i.resourceId,
        ...(i.resourceName ? { resourceName: i.resourceName } : {}),
      }));
    const { items, next } = this.page(all, body.nextToken, limit);
    return { resourceIdentifiers: items, ...(next ? { nextToken: next } : {}) };
  }

  private batchGet(
    body: Raw,
    fault: FaultKind | undefined,
    call: RecordedCall,
    draw: (salt: string) => number,
  ): unknown {
    const keys = body.resourceKeys;
    if (!Array.isArray(keys) || keys.length < 1 || keys.length > 100) {
      throw new ApiError(
        400,
        "ValidationException",
        `resourceKeys must hold 1..100 keys, got ${Array.isArray(keys) ? keys.length : "none"}`,
      );
    }
    const found: Raw[] = [];
    const unprocessed: Raw[] = [];
    for (const k of keys as Raw[]) {
      if (fault === "unprocessed" && draw(`${String(k.resourceType)} ${String(k.resourceId)}`) < this.share) {
        unprocessed.push(k);
        continue;
      }
      const item = this.current.get(key(String(k.resourceType), String(k.resourceId)));
      if (item)
        found.push(Object.fromEntries(BASE_ITEM_KEYS.filter((f) => f in item).map((f) => [f, item[f]])));
    }
    if (fault === "unprocessed") call.fault = fault;
    return { baseConfigurationItems: found, unprocessedResourceKeys: unprocessed };
  }

  private complianceDetails(body: Raw): unknown {
    const rule = body.ConfigRuleName;
    if (typeof rule !== "string")
      throw new ApiError(400, "ValidationException", "ConfigRuleName is required");
    const limit = this.limit(body.Limit, 100, "Limit", 10);
    const types = Array.isArray(body.ComplianceTypes) ? (body.ComplianceTypes as string[]) : undefined;
    const all = [...this.evaluationsOf(rule).values()]
      .filter((e) => !types || types.includes(e.complianceType))
      .map((e) => ({
        EvaluationResultIdentifier: {
          EvaluationResultQualifier: {
            ConfigRuleName: rule,
            ResourceType: e.resourceType,
            ResourceId: e.resourceId,
          },
          OrderingTimestamp: e.orderingTimestamp,
        },
        ComplianceType: e.complianceType,
        ResultRecordedTime: e.orderingTimestamp,
        ConfigRuleInvokedTime: e.orderingTimestamp,
        ...(e.annotation ? { Annotation: e.annotation } : {}),
      }));
    const { items, next } = this.page(all, body.NextToken, limit);
    return { EvaluationResults: items, ...(next ? { NextToken: next } : {}) };
  }

  private resourceCounts(body: Raw): unknown {
    const limit = this.limit(body.limit, 100, "limit", 100);
    const counts = new Map<string, number>();
    for (const i of this.current.values())
      counts.set(String(i.resourceType), (counts.get(String(i.resourceType)) ?? 0) + 1);
    const all = [...counts].sort().map(([resourceType, count]) => ({ resourceType, count }));
    const { items, next } = this.page(all, body.nextToken, limit);
    return {
      totalDiscoveredResources: this.current.size,
      resourceCounts: items,
      ...(next ? { nextToken: next } : {}),
    };
  }

  private describeLogGroups(body: Raw): unknown {
    const limit = this.limit(body.limit, 50, "limit", 50);
    const { items, next } = this.page(this.logGroupList, body.nextToken, limit);
    return { logGroups: items, ...(next ? { nextToken: next } : {}) };
  }
}
