// AWS::SQS::Queue as AWS Config records it: GetQueueAttributes names, values as strings like the
// API's; `Policy` from the AWS::SQS::QueuePolicy naming the queue's URL. Defaults from the SQS API
// reference (CreateQueue): DelaySeconds 0, MaximumMessageSize 262144, MessageRetentionPeriod
// 345600, ReceiveMessageWaitTimeSeconds 0, VisibilityTimeout 30; and "SSE-SQS is enabled by
// default for newly created queues" (SQS developer guide, "Encryption at rest", since 2022-10),
// unless a KmsMasterKeyId is set or SqsManagedSseEnabled is false.

import { isUnknown } from "../unknown.ts";
import { companions, flag, type Mapper, own } from "./helpers.ts";

const text = (v: unknown) => (v === undefined || isUnknown(v) ? v : String(v));
const jsonText = (v: unknown) => (typeof v === "string" || isUnknown(v) ? v : JSON.stringify(v));

export const sqsQueue: Mapper = (r, id, p) => {
  const arn = r.attribute(id, "Arn");
  const url = r.ref(id);
  const name = r.name(id);
  const policies = companions(r, "AWS::SQS::QueuePolicy", "Queues", [url]);
  const configuration: Record<string, unknown> = {
    QueueName: name,
    QueueUrl: url,
    QueueArn: arn,
    DelaySeconds: text(p.DelaySeconds ?? 0),
    MaximumMessageSize: text(p.MaximumMessageSize ?? 262144),
    MessageRetentionPeriod: text(p.MessageRetentionPeriod ?? 345600),
    ReceiveMessageWaitTimeSeconds: text(p.ReceiveMessageWaitTimeSeconds ?? 0),
    VisibilityTimeout: text(p.VisibilityTimeout ?? 30),
  };
  if (p.FifoQueue !== undefined) configuration.FifoQueue = text(p.FifoQueue);
  if (p.KmsMasterKeyId !== undefined) {
    configuration.KmsMasterKeyId = p.KmsMasterKeyId;
    configuration.KmsDataKeyReusePeriodSeconds = text(p.KmsDataKeyReusePeriodSeconds ?? 300);
  } else {
    const sse = flag(p.SqsManagedSseEnabled, true);
    configuration.SqsManagedSseEnabled = typeof sse === "boolean" ? String(sse) : sse;
  }
  // Both are JSON objects in a template (or already JSON text) and JSON strings in the item.
  if (p.RedrivePolicy !== undefined) configuration.RedrivePolicy = jsonText(p.RedrivePolicy);
  if (p.RedriveAllowPolicy !== undefined) configuration.RedriveAllowPolicy = jsonText(p.RedriveAllowPolicy);
  const missing = r.missingCompanion(id, "AWS::SQS::QueuePolicy");
  if (policies[0]) configuration.Policy = JSON.stringify(r.properties(policies[0]).PolicyDocument);
  else if (missing) configuration.Policy = missing;
  return {
    configuration,
    arn,
    name,
    configResourceId: url,
    origins: [
      ...own(id, {
        "configuration.KmsMasterKeyId": "KmsMasterKeyId",
        "configuration.SqsManagedSseEnabled": "SqsManagedSseEnabled",
        "configuration.RedrivePolicy": "RedrivePolicy",
        "configuration.RedriveAllowPolicy": "RedriveAllowPolicy",
      }),
      {
        path: "configuration.Policy",
        resource: policies[0] ?? id,
        property: policies[0] ? ["PolicyDocument"] : [],
      },
    ],
  };
};
