// AWS::ApiGateway::Stage as AWS Config records it: GetStage's fields. `methodSettings` keyed
// `<resource path without its leading slash>/<HTTP method>` as GetStage writes them ("*/*" for
// ResourcePath "/*" and HttpMethod "*"); the web ACL from the AWS::WAFv2::WebACLAssociation whose
// ResourceArn is the stage. Defaults from the AWS::ApiGateway::Stage reference and GetStage:
// tracing off, no access logs, no method settings, cache cluster off.

import { isObj } from "../types.ts";
import { companions, field, flag, type Mapper, num, own } from "./helpers.ts";

const METHOD_FIELDS: Record<string, string> = {
  LoggingLevel: "loggingLevel",
  DataTraceEnabled: "dataTraceEnabled",
  MetricsEnabled: "metricsEnabled",
  ThrottlingBurstLimit: "throttlingBurstLimit",
  ThrottlingRateLimit: "throttlingRateLimit",
  CachingEnabled: "cachingEnabled",
  CacheDataEncrypted: "cacheDataEncrypted",
  CacheTtlInSeconds: "cacheTtlInSeconds",
};

export const apiGatewayStage: Mapper = (r, id, p) => {
  const name = String(p.StageName ?? r.name(id));
  const api = String(p.RestApiId ?? "");
  const arn = `arn:${r.partition}:apigateway:${r.region}::/restapis/${api}/stages/${name}`;
  const methodSettings: Record<string, unknown> = {};
  for (const setting of Array.isArray(p.MethodSettings) ? p.MethodSettings.filter(isObj) : []) {
    const key = `${String(setting.ResourcePath ?? "/*").replace(/^\//, "")}/${String(setting.HttpMethod ?? "*")}`;
    const out: Record<string, unknown> = {};
    for (const [cfn, config] of Object.entries(METHOD_FIELDS)) {
      const v = setting[cfn];
      if (v === undefined) continue;
      out[config] =
        typeof v === "boolean" || v === "true" || v === "false"
          ? flag(v, false)
          : cfn === "LoggingLevel"
            ? v
            : num(v);
    }
    methodSettings[key] = out;
  }
  const associations = companions(r, "AWS::WAFv2::WebACLAssociation", "ResourceArn", [arn]);
  const configuration: Record<string, unknown> = {
    stageName: name,
    deploymentId: p.DeploymentId,
    description: p.Description ?? "",
    tracingEnabled: flag(p.TracingEnabled, false),
    cacheClusterEnabled: flag(p.CacheClusterEnabled, false),
    methodSettings,
  };
  const logs = p.AccessLogSetting;
  if (logs !== undefined) {
    configuration.accessLogSettings = {
      destinationArn: field(logs, "DestinationArn"),
      format: field(logs, "Format"),
    };
  }
  const acl = associations[0]
    ? r.properties(associations[0]).WebACLArn
    : r.missingCompanion(id, "AWS::WAFv2::WebACLAssociation");
  if (acl !== undefined) configuration.webAclArn = acl;
  return {
    configuration,
    arn,
    name,
    configResourceId: arn,
    origins: [
      ...own(id, {
        "configuration.methodSettings": "MethodSettings",
        "configuration.tracingEnabled": "TracingEnabled",
        "configuration.accessLogSettings": "AccessLogSetting",
      }),
      {
        path: "configuration.webAclArn",
        resource: associations[0] ?? id,
        property: associations[0] ? ["WebACLArn"] : [],
      },
    ],
  };
};
