// AWS::StepFunctions::StateMachine as AWS Config records it (CloudFormation-style names of its
// Config resource schema). Without LoggingConfiguration DescribeStateMachine reports level OFF
// without execution data, and without TracingConfiguration tracing is off (Step Functions API
// reference, DescribeStateMachine); StateMachineType defaults to STANDARD.

import { field, flag, type Mapper, own } from "./helpers.ts";

export const stateMachine: Mapper = (r, id, p) => {
  const arn = r.attribute(id, "Arn");
  const name = r.name(id);
  const logging = p.LoggingConfiguration;
  return {
    configuration: {
      Arn: arn,
      StateMachineName: name,
      StateMachineType: p.StateMachineType ?? "STANDARD",
      RoleArn: p.RoleArn,
      LoggingConfiguration: {
        Level: field(logging, "Level") ?? "OFF",
        IncludeExecutionData: flag(field(logging, "IncludeExecutionData"), false),
        ...(field(logging, "Destinations") === undefined
          ? {}
          : { Destinations: field(logging, "Destinations") }),
      },
      TracingConfiguration: { Enabled: flag(field(p.TracingConfiguration, "Enabled"), false) },
    },
    arn,
    name,
    configResourceId: arn,
    origins: own(id, {
      "configuration.LoggingConfiguration": "LoggingConfiguration",
      "configuration.TracingConfiguration": "TracingConfiguration",
    }),
  };
};
