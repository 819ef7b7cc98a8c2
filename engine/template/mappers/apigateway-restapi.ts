// AWS::ApiGateway::RestApi as AWS Config records it: GetRestApi's fields. The endpoint types from
// EndpointConfiguration.Types, else from the `endpointConfigurationTypes` import parameter (an API
// imported from an OpenAPI Body), else EDGE: "edge-optimized ... is the default endpoint type for
// API Gateway REST APIs" (API Gateway developer guide, "API endpoint types for REST APIs").
// ApiKeySourceType defaults to HEADER (API Gateway API reference, CreateRestApi).

import { field, type Mapper, own } from "./helpers.ts";

export const apiGatewayRestApi: Mapper = (r, id, p) => {
  const apiId = r.ref(id);
  const arn = `arn:${r.partition}:apigateway:${r.region}::/restapis/${apiId}`;
  const name = String(p.Name ?? field(field(p.Body, "info"), "title") ?? r.name(id));
  const fromParameters = field(p.Parameters, "endpointConfigurationTypes");
  const types =
    field(p.EndpointConfiguration, "Types") ??
    (fromParameters === undefined ? ["EDGE"] : String(fromParameters).split(","));
  const configuration: Record<string, unknown> = {
    id: apiId,
    name,
    apiKeySource: p.ApiKeySourceType ?? "HEADER",
    endpointConfiguration: { types },
  };
  const vpcEndpoints = field(p.EndpointConfiguration, "VpcEndpointIds");
  if (vpcEndpoints !== undefined)
    (configuration.endpointConfiguration as Record<string, unknown>).vpcEndpointIds = vpcEndpoints;
  if (p.Description !== undefined) configuration.description = p.Description;
  if (p.BinaryMediaTypes !== undefined) configuration.binaryMediaTypes = p.BinaryMediaTypes;
  if (p.MinimumCompressionSize !== undefined) configuration.minimumCompressionSize = p.MinimumCompressionSize;
  return {
    configuration,
    arn,
    name,
    configResourceId: arn,
    origins: own(id, { "configuration.endpointConfiguration": "EndpointConfiguration" }),
  };
};
