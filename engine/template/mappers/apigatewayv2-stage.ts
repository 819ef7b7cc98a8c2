// AWS::ApiGatewayV2::Stage as AWS Config records it: GetStage's fields (camelCase;
// `defaultRouteSettings` always with detailedMetricsEnabled, `routeSettings` and `stageVariables`
// maps, as the real items have them). Defaults from the API Gateway V2 API reference (CreateStage):
// AutoDeploy false, no access logs, DetailedMetricsEnabled false, no stage-level throttling (the
// account's limits apply, which GetStage does not show).

import { isUnknown } from "../unknown.ts";
import { camel, field, flag, type Mapper, num, own } from "./helpers.ts";

const ROUTE_FIELDS: Record<string, string> = {
  DataTraceEnabled: "dataTraceEnabled",
  LoggingLevel: "loggingLevel",
  ThrottlingBurstLimit: "throttlingBurstLimit",
  ThrottlingRateLimit: "throttlingRateLimit",
};

export const apiGatewayV2Stage: Mapper = (r, id, p) => {
  const name = String(p.StageName ?? r.name(id));
  const api = String(p.ApiId ?? "");
  const arn = `arn:${r.partition}:apigateway:${r.region}::/apis/${api}/stages/${name}`;
  const route = p.DefaultRouteSettings;
  const defaultRouteSettings: Record<string, unknown> = {
    detailedMetricsEnabled: flag(field(route, "DetailedMetricsEnabled"), false),
  };
  for (const [cfn, config] of Object.entries(ROUTE_FIELDS)) {
    const v = field(route, cfn);
    if (v === undefined) continue;
    defaultRouteSettings[config] = cfn.startsWith("Throttling")
      ? num(v)
      : cfn === "DataTraceEnabled"
        ? flag(v, false)
        : v;
  }
  const configuration: Record<string, unknown> = {
    stageName: name,
    defaultRouteSettings: isUnknown(route) ? route : defaultRouteSettings,
    routeSettings: camel(p.RouteSettings ?? {}),
    stageVariables: p.StageVariables ?? {},
    autoDeploy: flag(p.AutoDeploy, false),
  };
  if (p.DeploymentId !== undefined) configuration.deploymentId = p.DeploymentId;
  if (p.Description !== undefined) configuration.description = p.Description;
  if (p.ClientCertificateId !== undefined) configuration.clientCertificateId = p.ClientCertificateId;
  if (p.AccessLogSettings !== undefined) configuration.accessLogSettings = camel(p.AccessLogSettings);
  return {
    configuration,
    arn,
    name,
    configResourceId: arn,
    origins: own(id, {
      "configuration.accessLogSettings": "AccessLogSettings",
      "configuration.defaultRouteSettings": "DefaultRouteSettings",
    }),
  };
};
