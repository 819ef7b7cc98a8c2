// AWS::ApiGatewayV2::Api (HTTP and WebSocket APIs) as AWS Config records it: GetApi's fields
// (camelCase, `corsConfiguration` only when CORS is configured). CORS from CorsConfiguration, else
// from the `x-amazon-apigateway-cors` extension of an OpenAPI Body; an API whose definition is
// in S3 (BodyS3Location) may configure CORS there, so without CorsConfiguration its CORS is
// unknown. Defaults from the API Gateway V2 API reference (CreateApi): RouteSelectionExpression
// "$request.method $request.path" for HTTP APIs, ApiKeySelectionExpression
// "$request.header.x-api-key", DisableExecuteApiEndpoint false.

import { camel, field, flag, type Mapper, own } from "./helpers.ts";

export const apiGatewayV2Api: Mapper = (r, id, p) => {
  const apiId = r.ref(id);
  const arn = `arn:${r.partition}:apigateway:${r.region}::/apis/${apiId}`;
  const name = String(p.Name ?? field(field(p.Body, "info"), "title") ?? r.name(id));
  const protocol = p.ProtocolType ?? "HTTP";
  const scheme = protocol === "WEBSOCKET" ? "wss" : "https";
  const configuration: Record<string, unknown> = {
    apiId,
    name,
    protocolType: protocol,
    routeSelectionExpression: p.RouteSelectionExpression ?? "$request.method $request.path",
    apiKeySelectionExpression: p.ApiKeySelectionExpression ?? "$request.header.x-api-key",
    apiEndpoint: `${scheme}://${apiId}.execute-api.${r.region}.amazonaws.com`,
    disableExecuteApiEndpoint: flag(p.DisableExecuteApiEndpoint, false),
  };
  if (p.Description !== undefined) configuration.description = p.Description;
  const cors =
    p.CorsConfiguration ??
    field(p.Body, "x-amazon-apigateway-cors") ??
    (p.BodyS3Location === undefined
      ? undefined
      : r.external(id, "CORS of the OpenAPI definition in S3 (BodyS3Location)"));
  if (cors !== undefined) configuration.corsConfiguration = camel(cors);
  return {
    configuration,
    arn,
    name,
    configResourceId: arn,
    origins: own(id, { "configuration.corsConfiguration": "CorsConfiguration" }),
  };
};
