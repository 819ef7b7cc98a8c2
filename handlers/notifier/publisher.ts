// Publishes a rendered message to an SNS topic. A rejection becomes PublishError: the ledger
// keeps the message pending and the delivery fails, so it is sent by the next delivery.

import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import { describeError } from "../../engine/errors.ts";
import { PublishError } from "./errors.ts";
import type { Message } from "./render.ts";

export interface Publisher {
  /** Resolves with SNS's message id once SNS accepted the message. */
  publish(topicArn: string, message: Message): Promise<string>;
}

export function createPublisher(client: SNSClient): Publisher {
  return {
    async publish(topicArn, message) {
      try {
        const out = await client.send(
          new PublishCommand({
            TopicArn: topicArn,
            Subject: message.subject,
            Message: message.body,
            MessageAttributes: Object.fromEntries(
              Object.entries(message.attributes).map(([k, v]) => [
                k,
                Array.isArray(v)
                  ? { DataType: "String.Array", StringValue: JSON.stringify(v) }
                  : { DataType: "String", StringValue: v },
              ]),
            ),
          }),
        );
        return out.MessageId ?? "";
      } catch (error) {
        throw new PublishError(
          `SNS did not accept the message for ${topicArn}: ${describeError(error)}`,
          topicArn,
          {
            cause: error,
          },
        );
      }
    },
  };
}
