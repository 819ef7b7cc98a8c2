// AWS::Events::EventBus and AWS::Events::Rule as AWS Config records them: the CloudFormation-style
// names of their Config resource schemas. A rule's EventBusName defaults to "default" and its
// State to ENABLED (EventBridge API reference, PutRule). A global endpoint replicates events unless
// its ReplicationConfig says DISABLED (CreateEndpoint: "The default state is ENABLED").

import { field, type Mapper, own } from "./helpers.ts";

export const eventBus: Mapper = (r, id, p) => {
  const arn = r.attribute(id, "Arn");
  const name = r.name(id);
  const configuration: Record<string, unknown> = { Name: name, Arn: arn };
  if (p.Policy !== undefined) configuration.Policy = JSON.stringify(p.Policy);
  // A partner event bus names its SaaS event source (EVENTS.BUS-POLICY-ATTACHED skips it).
  if (p.EventSourceName !== undefined) configuration.EventSourceName = p.EventSourceName;
  if (p.KmsKeyIdentifier !== undefined) configuration.KmsKeyIdentifier = p.KmsKeyIdentifier;
  return {
    configuration,
    arn,
    name,
    configResourceId: name,
    origins: own(id, { "configuration.Policy": "Policy" }),
  };
};

export const eventRule: Mapper = (r, id, p) => {
  const arn = r.attribute(id, "Arn");
  const name = r.name(id);
  const configuration: Record<string, unknown> = {
    Name: name,
    Arn: arn,
    EventBusName: p.EventBusName ?? "default",
    State: p.State ?? "ENABLED",
    Targets: p.Targets ?? [],
  };
  if (p.Description !== undefined) configuration.Description = p.Description;
  if (p.EventPattern !== undefined) configuration.EventPattern = JSON.stringify(p.EventPattern);
  if (p.ScheduleExpression !== undefined) configuration.ScheduleExpression = p.ScheduleExpression;
  return {
    configuration,
    arn,
    name,
    configResourceId: name,
    origins: own(id, { "configuration.Targets": "Targets" }),
  };
};

export const eventEndpoint: Mapper = (r, id, p) => {
  const arn = r.attribute(id, "Arn");
  const name = r.name(id);
  const configuration: Record<string, unknown> = {
    Name: name,
    Arn: arn,
    EventBuses: p.EventBuses ?? [],
    ReplicationConfig: { State: field(p.ReplicationConfig, "State") ?? "ENABLED" },
  };
  if (p.Description !== undefined) configuration.Description = p.Description;
  if (p.RoleArn !== undefined) configuration.RoleArn = p.RoleArn;
  if (p.RoutingConfig !== undefined) configuration.RoutingConfig = p.RoutingConfig;
  return {
    configuration,
    arn,
    name,
    configResourceId: name,
    origins: own(id, { "configuration.ReplicationConfig": "ReplicationConfig" }),
  };
};
