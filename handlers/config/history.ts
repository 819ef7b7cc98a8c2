// Oversized change notifications carry only a summary of the item: the item itself is fetched with
// GetResourceConfigHistory(resourceType, resourceId, laterTime = the summary's capture time,
// limit = 1). It comes back in the API shape (configuration a JSON string, timestamps as Date
// objects from the SDK); the engine's normaliser reads that shape like any other.

import {
  type ConfigServiceClient,
  type ConfigurationItem,
  GetResourceConfigHistoryCommand,
  type ResourceType,
} from "@aws-sdk/client-config-service";
import { ConfigDataUnavailableError } from "./errors.ts";

export type HistoryResult = { found: true; item: ConfigurationItem } | { found: false; reason: string };

export async function fetchItemAt(
  client: ConfigServiceClient,
  resourceType: string,
  resourceId: string,
  captureTime: Date,
): Promise<HistoryResult> {
  try {
    const out = await client.send(
      new GetResourceConfigHistoryCommand({
        resourceType: resourceType as ResourceType,
        resourceId,
        laterTime: captureTime,
        limit: 1,
      }),
    );
    const item = out.configurationItems?.[0];
    if (!item) {
      // Config has not made the item readable yet: fail, so that Lambda retries the invocation.
      throw new ConfigDataUnavailableError(
        `GetResourceConfigHistory returned no item for ${resourceType} ${resourceId} at ${captureTime.toISOString()}`,
      );
    }
    return { found: true, item };
  } catch (error) {
    if ((error as Error | undefined)?.name === "ResourceNotDiscoveredException") {
      return { found: false, reason: "AWS Config no longer has this resource (ResourceNotDiscovered)" };
    }
    throw error;
  }
}
