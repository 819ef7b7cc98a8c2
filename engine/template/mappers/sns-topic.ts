// AWS::SNS::Topic as AWS Config records it: GetTopicAttributes names; `Policy` from the
// AWS::SNS::TopicPolicy naming the topic, else the default policy SNS gives a new topic (the
// topic owner's account may publish, subscribe and manage it: SNS developer guide, "Example cases
// for Amazon SNS access control"). Encryption only when KmsMasterKeyId is set (SNS topics are not
// encrypted by default).

import { companions, type Mapper, own } from "./helpers.ts";

export const snsTopic: Mapper = (r, id, p) => {
  const arn = r.ref(id);
  const policies = companions(r, "AWS::SNS::TopicPolicy", "Topics", [arn]);
  const defaultPolicy = {
    Version: "2008-10-17",
    Id: "__default_policy_ID",
    Statement: [
      {
        Sid: "__default_statement_ID",
        Effect: "Allow",
        Principal: { AWS: "*" },
        Action: [
          "SNS:GetTopicAttributes",
          "SNS:SetTopicAttributes",
          "SNS:AddPermission",
          "SNS:RemovePermission",
          "SNS:DeleteTopic",
          "SNS:Subscribe",
          "SNS:ListSubscriptionsByTopic",
          "SNS:Publish",
        ],
        Resource: arn,
        Condition: { StringEquals: { "AWS:SourceOwner": r.account } },
      },
    ],
  };
  const configuration: Record<string, unknown> = {
    TopicArn: arn,
    Owner: r.account,
    DisplayName: p.DisplayName ?? "",
    Policy: policies[0]
      ? JSON.stringify(r.properties(policies[0]).PolicyDocument)
      : (r.missingCompanion(id, "AWS::SNS::TopicPolicy") ?? JSON.stringify(defaultPolicy)),
  };
  if (p.KmsMasterKeyId !== undefined) configuration.KmsMasterKeyId = p.KmsMasterKeyId;
  if (p.FifoTopic !== undefined) configuration.FifoTopic = String(p.FifoTopic);
  return {
    configuration,
    arn,
    name: r.name(id),
    configResourceId: arn,
    origins: [
      ...own(id, { "configuration.KmsMasterKeyId": "KmsMasterKeyId" }),
      {
        path: "configuration.Policy",
        resource: policies[0] ?? id,
        property: policies[0] ? ["PolicyDocument"] : [],
      },
    ],
  };
};
