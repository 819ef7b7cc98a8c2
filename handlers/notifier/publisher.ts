// Publishes a rendered message to an SNS topic. A rejection becomes PublishError: the ledger
// keeps the message pending and the delivery fails, so it is sent by the next delivery. A message
// over SNS's size limit would be refused at every retry, so it is cut to fit first (render.ts).

import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import { describeError } from "../../engine/errors.ts";
import { PublishError } from "./errors.ts";
import { forceFit, type Message, snsAttributes } from "./render.ts";

export interface Publisher {
  /** Resolves with SNS's message id once SNS accepted the message. */
  publish(topicArn: string, message: Message): Promise<string>;
}

export function createPublisher(client: SNSClient): Publisher {
  return {
    async publish(topicArn, message) {
      // The renderers keep every message within SNS's limit; this only guards against a
      // message they did not, which SNS would refuse (and go on refusing at every retry).
      const sized = forceFit(message);
      try {
        const out = await client.send(
          new PublishCommand({
            TopicArn: topicArn,
            Subject: sized.subject,
            Message: sized.body,
            MessageAttributes: snsAttributes(sized.attributes),
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
