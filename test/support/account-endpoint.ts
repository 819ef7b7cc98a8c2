// A local endpoint for the account-level APIs the sweep reads to build an `AWS::::Account` item,
// each in its own wire protocol, so the real AWS SDK clients talk to it through
// AWS_ENDPOINT_URL_<SERVICE> (see `accountEndpointEnv`):
//   CloudTrail (JSON 1.1: DescribeTrails, GetTrailStatus, GetEventSelectors), S3 Control (REST-XML:
//   GetPublicAccessBlock), IAM (query, XML: GetAccountSummary, GetAccountPasswordPolicy,
//   GenerateCredentialReport, GetCredentialReport, ListVirtualMFADevices), IAM Access Analyzer (REST-JSON: ListAnalyzers),
//   Security Hub (REST-JSON: DescribeHub), GuardDuty (REST-JSON: ListDetectors, GetDetector),
//   Service Quotas (JSON 1.1: GetServiceQuota, GetAWSDefaultServiceQuota), CloudWatch (JSON 1.0:
//   GetMetricData), DynamoDB (JSON 1.0: ListTables), Systems Manager (JSON 1.1: GetServiceSetting),
//   Account Management (REST-JSON: GetAlternateContact).
// AWS Config's Describe* calls are served by the Config endpoint (config-endpoint.ts).
// The account is described in the shapes the SDK returns (dates as ISO strings); the endpoint
// writes each protocol's own forms (epoch seconds, camelCase JSON names, XML). It records every
// call and fails the operations a test names (AccessDenied by default). S3 Control would put the
// account id in the host name; on a loopback endpoint such as this one the handler's client leaves
// it off (handlers/config/account/clients.ts), so every call arrives with this host.

import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

type Raw = Record<string, unknown>;

export interface QuotaState {
  ServiceCode: string;
  QuotaCode: string;
  QuotaName: string;
  Value: number;
  Unit?: string;
  UsageMetric?: Raw;
  /** False: no applied value, GetServiceQuota answers NoSuchResourceException. */
  applied: boolean;
}

export interface AccountState {
  trails: Raw[];
  publicAccessBlock: Raw | null;
  accountSummary: Record<string, number>;
  /** ListVirtualMFADevices (assigned): `{SerialNumber, User: {UserId, Arn, CreateDate...}, EnableDate}`. */
  virtualMFADevices: Raw[];
  passwordPolicy: Raw | null;
  credentialReportCsv: string;
  analyzers: Raw[];
  securityHub: Raw | null;
  guardDutyDetectors: Raw[];
  quotas: QuotaState[];
  /** GetMetricData values by metric name. */
  metrics: Record<string, number[]>;
  tables: string[];
  /** GetServiceSetting's `ServiceSetting` by SettingId; an id not listed answers ServiceSettingNotFound. */
  serviceSettings: Record<string, Raw>;
  /** GetAlternateContact SECURITY's `AlternateContact`; null answers ResourceNotFoundException. */
  securityContact: Raw | null;
}

export interface AccountCall {
  service: string;
  operation: string;
  host: string;
  body: string;
}

export interface AccountFault {
  status: number;
  code: string;
  message: string;
}

export const ACCESS_DENIED: AccountFault = {
  status: 403,
  code: "AccessDeniedException",
  message:
    "User: arn:aws:sts::111111111111:assumed-role/compliance-evaluator/fn is not authorized to perform this action",
};

class ApiError extends Error {
  constructor(readonly fault: AccountFault) {
    super(fault.message);
  }
}

const seconds = (iso: unknown) => (typeof iso === "string" && iso !== "" ? Date.parse(iso) / 1000 : iso);

/** ISO strings of the named members as epoch seconds (JSON 1.x protocols send timestamps so). */
function epochMembers(value: Raw, members: readonly string[]): Raw {
  const out: Raw = { ...value };
  for (const m of members) if (m in out) out[m] = seconds(out[m]);
  return out;
}

/** GuardDuty's JSON names are camelCase (`Status` is `status` on the wire). */
const camel = (value: Raw): Raw =>
  Object.fromEntries(Object.entries(value).map(([k, v]) => [k[0]!.toLowerCase() + k.slice(1), v]));

const xmlEscape = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const xmlFields = (value: Raw) =>
  Object.entries(value)
    .map(([k, v]) => `<${k}>${xmlEscape(String(v))}</${k}>`)
    .join("");

/** Nested members as query-protocol XML: objects as elements, lists as `<member>` elements. */
const xmlValue = (value: unknown): string =>
  Array.isArray(value)
    ? value.map((v) => `<member>${xmlValue(v)}</member>`).join("")
    : value !== null && typeof value === "object"
      ? Object.entries(value as Raw)
          .map(([k, v]) => `<${k}>${xmlValue(v)}</${k}>`)
          .join("")
      : xmlEscape(String(value));

const TRAIL_STATUS_TIMES = [
  "LatestDeliveryTime",
  "LatestNotificationTime",
  "StartLoggingTime",
  "StopLoggingTime",
  "LatestCloudWatchLogsDeliveryTime",
  "LatestDigestDeliveryTime",
];

export class AccountEndpoint {
  readonly calls: AccountCall[] = [];
  /** Operations (`Service.Operation`, e.g. `CloudTrail.DescribeTrails`) that fail, and how. */
  readonly failing = new Map<string, AccountFault>();

  private constructor(
    private readonly server: ReturnType<typeof createServer>,
    readonly port: number,
    public state: AccountState,
  ) {}

  static async start(state: AccountState): Promise<AccountEndpoint> {
    let endpoint: AccountEndpoint | undefined;
    const server = createServer((req, res) => void endpoint?.serve(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    endpoint = new AccountEndpoint(server, (server.address() as AddressInfo).port, state);
    return endpoint;
  }

  /** `http://localhost:PORT` (S3 Control's client adds no account prefix to a loopback host). */
  get url(): string {
    return `http://localhost:${this.port}`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  fail(operation: string, fault: AccountFault = ACCESS_DENIED): void {
    this.failing.set(operation, fault);
  }

  reset(state: AccountState): void {
    this.state = state;
    this.calls.length = 0;
    this.failing.clear();
  }

  callsOf(service: string): AccountCall[] {
    return this.calls.filter((c) => c.service === service);
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const target = String(req.headers["x-amz-target"] ?? "");
    const url = new URL(req.url ?? "/", "http://localhost");
    const host = String(req.headers.host ?? "");
    const route = this.route(req.method ?? "GET", url, target, body);
    this.calls.push({ service: route.service, operation: route.operation, host, body });
    try {
      const fault = this.failing.get(`${route.service}.${route.operation}`);
      if (fault) throw new ApiError(fault);
      const result = route.run();
      this.send(res, route.protocol, 200, result);
    } catch (error) {
      const fault =
        error instanceof ApiError
          ? error.fault
          : { status: 500, code: "InternalFailure", message: String((error as Error).message) };
      this.sendError(res, route.protocol, fault);
    }
  }

  private route(
    method: string,
    url: URL,
    target: string,
    body: string,
  ): { service: string; operation: string; protocol: Protocol; run: () => unknown } {
    const json = () => (body ? (JSON.parse(body) as Raw) : {});
    const s = this.state;
    if (/(^|\.)CloudTrail_20131101\./.test(target)) {
      const operation = target.split(".").pop() ?? "";
      return {
        service: "CloudTrail",
        operation,
        protocol: "json1.1",
        run: () => this.cloudTrail(operation, json()),
      };
    }
    if (target.startsWith("ServiceQuotasV20190624.")) {
      const operation = target.split(".")[1] ?? "";
      return {
        service: "ServiceQuotas",
        operation,
        protocol: "json1.1",
        run: () => this.quota(operation, json()),
      };
    }
    if (target === "GraniteServiceVersion20100801.GetMetricData") {
      return {
        service: "CloudWatch",
        operation: "GetMetricData",
        protocol: "json1.0",
        run: () => this.metricData(json()),
      };
    }
    if (target === "DynamoDB_20120810.ListTables") {
      return {
        service: "DynamoDB",
        operation: "ListTables",
        protocol: "json1.0",
        run: () => ({ TableNames: s.tables }),
      };
    }
    if (target === "AmazonSSM.GetServiceSetting") {
      return {
        service: "SSM",
        operation: "GetServiceSetting",
        protocol: "json1.1",
        run: () => {
          const id = String(json().SettingId);
          const setting = s.serviceSettings[id];
          if (!setting) {
            throw new ApiError({
              status: 400,
              code: "ServiceSettingNotFound",
              message: `The specified service setting wasn't found: ${id}`,
            });
          }
          return { ServiceSetting: epochMembers(setting, ["LastModifiedDate"]) };
        },
      };
    }
    if (method === "POST" && url.pathname === "/getAlternateContact") {
      return {
        service: "Account",
        operation: "GetAlternateContact",
        protocol: "restJson",
        run: () => {
          const type = json().AlternateContactType;
          if (type !== "SECURITY") {
            throw new ApiError({ status: 400, code: "ValidationException", message: `not served: ${type}` });
          }
          if (!s.securityContact) {
            throw new ApiError({
              status: 404,
              code: "ResourceNotFoundException",
              message: "No contact of the inputted alternate contact type found.",
            });
          }
          return { AlternateContact: s.securityContact };
        },
      };
    }
    if (method === "GET" && url.pathname === "/v20180820/configuration/publicAccessBlock") {
      return {
        service: "S3Control",
        operation: "GetPublicAccessBlock",
        protocol: "restXml",
        run: () => {
          if (!s.publicAccessBlock) {
            throw new ApiError({
              status: 404,
              code: "NoSuchPublicAccessBlockConfiguration",
              message: "The public access block configuration was not found",
            });
          }
          return `<?xml version="1.0" encoding="UTF-8"?><PublicAccessBlockConfiguration xmlns="http://awss3control.amazonaws.com/doc/2018-08-20/">${xmlFields(s.publicAccessBlock)}</PublicAccessBlockConfiguration>`;
        },
      };
    }
    if (method === "POST" && url.pathname === "/" && body.includes("Version=2010-05-08")) {
      const operation = new URLSearchParams(body).get("Action") ?? "";
      return { service: "IAM", operation, protocol: "query", run: () => this.iam(operation) };
    }
    if (method === "GET" && url.pathname === "/analyzer") {
      return {
        service: "AccessAnalyzer",
        operation: "ListAnalyzers",
        protocol: "restJson",
        run: () => ({ analyzers: s.analyzers }),
      };
    }
    if (method === "GET" && url.pathname === "/accounts") {
      return {
        service: "SecurityHub",
        operation: "DescribeHub",
        protocol: "restJson",
        run: () => {
          if (!s.securityHub) {
            throw new ApiError({
              status: 401,
              code: "InvalidAccessException",
              message: "Account 111111111111 is not subscribed to AWS Security Hub",
            });
          }
          return s.securityHub;
        },
      };
    }
    if (method === "GET" && url.pathname === "/detector") {
      return {
        service: "GuardDuty",
        operation: "ListDetectors",
        protocol: "restJson",
        run: () => ({ detectorIds: s.guardDutyDetectors.map((d) => d.DetectorId) }),
      };
    }
    const detector = url.pathname.match(/^\/detector\/([^/]+)$/);
    if (method === "GET" && detector) {
      return {
        service: "GuardDuty",
        operation: "GetDetector",
        protocol: "restJson",
        run: () => {
          const found = s.guardDutyDetectors.find((d) => d.DetectorId === detector[1]);
          if (!found)
            throw new ApiError({ status: 400, code: "BadRequestException", message: "detector not found" });
          const { DetectorId: _id, Features, ...rest } = found;
          return {
            ...camel(rest),
            ...(Array.isArray(Features) ? { features: (Features as Raw[]).map(camel) } : {}),
          };
        },
      };
    }
    return {
      service: "Unknown",
      operation: `${method} ${url.pathname} ${target}`,
      protocol: "json1.1",
      run: () => {
        throw new ApiError({
          status: 400,
          code: "UnknownOperationException",
          message: `not served: ${method} ${url.pathname} ${target}`,
        });
      },
    };
  }

  private cloudTrail(operation: string, input: Raw): unknown {
    const trails = this.state.trails;
    const find = (name: unknown) => {
      const trail = trails.find((t) => t.TrailARN === name || t.Name === name);
      if (!trail)
        throw new ApiError({
          status: 400,
          code: "TrailNotFoundException",
          message: `Unknown trail: ${String(name)}`,
        });
      return trail;
    };
    switch (operation) {
      case "DescribeTrails":
        return {
          trailList: trails.map(
            ({ status: _s, eventSelectors: _e, advancedEventSelectors: _a, ...trail }) => trail,
          ),
        };
      case "GetTrailStatus":
        return epochMembers(find(input.Name).status as Raw, TRAIL_STATUS_TIMES);
      case "GetEventSelectors": {
        const trail = find(input.TrailName);
        return {
          TrailARN: trail.TrailARN,
          ...(trail.eventSelectors ? { EventSelectors: trail.eventSelectors } : {}),
          ...(trail.advancedEventSelectors ? { AdvancedEventSelectors: trail.advancedEventSelectors } : {}),
        };
      }
      default:
        throw new ApiError({ status: 400, code: "UnknownOperationException", message: operation });
    }
  }

  private quota(operation: string, input: Raw): unknown {
    const quota = this.state.quotas.find(
      (q) => q.ServiceCode === input.ServiceCode && q.QuotaCode === input.QuotaCode,
    );
    if (!quota || (operation === "GetServiceQuota" && !quota.applied)) {
      throw new ApiError({
        status: 400,
        code: "NoSuchResourceException",
        message: "The request failed because the specified resource does not exist.",
      });
    }
    if (operation !== "GetServiceQuota" && operation !== "GetAWSDefaultServiceQuota") {
      throw new ApiError({ status: 400, code: "UnknownOperationException", message: operation });
    }
    const { applied: _applied, ...rest } = quota;
    return {
      Quota: {
        ...rest,
        ServiceName: quota.ServiceCode,
        QuotaArn: `arn:aws:servicequotas:eu-west-1:111111111111:${quota.ServiceCode}/${quota.QuotaCode}`,
        Adjustable: true,
        GlobalQuota: false,
      },
    };
  }

  private metricData(input: Raw): unknown {
    const queries = (input.MetricDataQueries as Raw[] | undefined) ?? [];
    if (typeof input.StartTime !== "number" || typeof input.EndTime !== "number") {
      throw new ApiError({
        status: 400,
        code: "ValidationError",
        message: "StartTime and EndTime are required",
      });
    }
    return {
      MetricDataResults: queries.map((q) => {
        const metric = ((q.MetricStat as Raw | undefined)?.Metric ?? {}) as Raw;
        const values = this.state.metrics[String(metric.MetricName)] ?? [];
        return {
          Id: q.Id,
          Label: metric.MetricName,
          Timestamps: values.map((_, i) => (input.EndTime as number) - 3600 * (i + 1)),
          Values: values,
          StatusCode: "Complete",
        };
      }),
      Messages: [],
    };
  }

  private iam(operation: string): string {
    const s = this.state;
    const wrap = (result: string) =>
      `<${operation}Response xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><${operation}Result>${result}</${operation}Result><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${operation}Response>`;
    switch (operation) {
      case "GetAccountSummary":
        return wrap(
          `<SummaryMap>${Object.entries(s.accountSummary)
            .map(([k, v]) => `<entry><key>${k}</key><value>${v}</value></entry>`)
            .join("")}</SummaryMap>`,
        );
      case "GetAccountPasswordPolicy":
        if (!s.passwordPolicy) {
          throw new ApiError({
            status: 404,
            code: "NoSuchEntity",
            message: "The Password Policy with domain name 111111111111 cannot be found.",
          });
        }
        return wrap(`<PasswordPolicy>${xmlFields(s.passwordPolicy)}</PasswordPolicy>`);
      case "ListVirtualMFADevices":
        // One page: the sweep pages on IsTruncated/Marker.
        return wrap(
          `<VirtualMFADevices>${xmlValue(s.virtualMFADevices)}</VirtualMFADevices><IsTruncated>false</IsTruncated>`,
        );
      case "GenerateCredentialReport":
        return wrap(
          "<State>COMPLETE</State><Description>No report exists. Starting a new report generation task</Description>",
        );
      case "GetCredentialReport":
        return wrap(
          `<Content>${Buffer.from(s.credentialReportCsv).toString("base64")}</Content><ReportFormat>text/csv</ReportFormat><GeneratedTime>2026-11-01T05:59:00Z</GeneratedTime>`,
        );
      default:
        throw new ApiError({ status: 400, code: "InvalidAction", message: operation });
    }
  }

  private send(res: ServerResponse, protocol: Protocol, status: number, payload: unknown): void {
    const xml = protocol === "query" || protocol === "restXml";
    const text = xml ? String(payload) : JSON.stringify(payload);
    res.writeHead(status, {
      "content-type": CONTENT_TYPE[protocol],
      "content-length": Buffer.byteLength(text),
      "x-amzn-requestid": randomUUID(),
    });
    res.end(text);
  }

  private sendError(res: ServerResponse, protocol: Protocol, fault: AccountFault): void {
    let text: string;
    if (protocol === "query") {
      text = `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>${fault.code}</Code><Message>${xmlEscape(fault.message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
    } else if (protocol === "restXml") {
      text = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${fault.code}</Code><Message>${xmlEscape(fault.message)}</Message></Error>`;
    } else {
      text = JSON.stringify({ __type: fault.code, message: fault.message, Message: fault.message });
    }
    res.writeHead(fault.status, {
      "content-type": CONTENT_TYPE[protocol],
      "content-length": Buffer.byteLength(text),
      "x-amzn-requestid": randomUUID(),
      ...(protocol === "restJson" || protocol.startsWith("json") ? { "x-amzn-errortype": fault.code } : {}),
    });
    res.end(text);
  }
}

type Protocol = "json1.0" | "json1.1" | "restJson" | "restXml" | "query";

const CONTENT_TYPE: Record<Protocol, string> = {
  "json1.0": "application/x-amz-json-1.0",
  "json1.1": "application/x-amz-json-1.1",
  restJson: "application/json",
  restXml: "application/xml",
  query: "text/xml",
};

/** The environment that sends every account-level client to this endpoint. */
export function accountEndpointEnv(url: string): Record<string, string> {
  const services = [
    "CLOUDTRAIL",
    "S3_CONTROL",
    "IAM",
    "ACCESSANALYZER",
    "SECURITYHUB",
    "GUARDDUTY",
    "SERVICE_QUOTAS",
    "CLOUDWATCH",
    "DYNAMODB",
    "SSM",
    "ACCOUNT",
  ];
  return Object.fromEntries(services.map((s) => [`AWS_ENDPOINT_URL_${s}`, url]));
}
