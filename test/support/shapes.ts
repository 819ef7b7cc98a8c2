// Renders a raw configuration item in the other shapes AWS Config uses, to check that a verdict
// never depends on the shape.

type Raw = Record<string, unknown>;

const pick = (raw: Raw, ...keys: string[]): unknown => keys.map((k) => raw[k]).find((v) => v !== undefined);

const stringify = (value: unknown): unknown =>
  value === undefined || value === null || typeof value === "string" ? value : JSON.stringify(value);

function captureSeconds(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : ms / 1000;
}

/** The API shape (GetResourceConfigHistory / BatchGetResourceConfig). */
export function toApiShape(raw: Raw): Raw {
  const out: Raw = {
    version: pick(raw, "version", "configurationItemVersion"),
    accountId: pick(raw, "accountId", "awsAccountId"),
    configurationItemCaptureTime: captureSeconds(raw.configurationItemCaptureTime),
    configurationItemStatus: raw.configurationItemStatus,
    configurationStateId: raw.configurationStateId,
    configurationItemMD5Hash: pick(raw, "configurationItemMD5Hash", "configurationStateMd5Hash"),
    arn: pick(raw, "arn", "ARN"),
    resourceType: raw.resourceType,
    resourceId: raw.resourceId,
    resourceName: raw.resourceName,
    awsRegion: raw.awsRegion,
    availabilityZone: raw.availabilityZone,
    resourceCreationTime: captureSeconds(raw.resourceCreationTime),
    tags: raw.tags,
    relatedEvents: raw.relatedEvents,
    relationships: Array.isArray(raw.relationships)
      ? raw.relationships.map((r: Raw) => {
          const { name, relationshipName, ...rest } = r;
          return { ...rest, relationshipName: relationshipName ?? name };
        })
      : raw.relationships,
    configuration: stringify(raw.configuration),
    supplementaryConfiguration:
      raw.supplementaryConfiguration && typeof raw.supplementaryConfiguration === "object"
        ? Object.fromEntries(
            Object.entries(raw.supplementaryConfiguration as Raw).map(([k, v]) => [k, stringify(v)]),
          )
        : raw.supplementaryConfiguration,
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
}

/** The notification shape (Lambda invokingEvent, EventBridge, SNS, snapshots). */
export function toNotificationShape(raw: Raw): Raw {
  const parse = (v: unknown) => {
    if (typeof v !== "string") return v;
    try {
      return JSON.parse(v);
    } catch {
      return v;
    }
  };
  const out: Raw = {
    configurationItemVersion: pick(raw, "configurationItemVersion", "version"),
    awsAccountId: pick(raw, "awsAccountId", "accountId"),
    configurationItemCaptureTime: raw.configurationItemCaptureTime,
    configurationItemStatus: raw.configurationItemStatus,
    configurationStateId: raw.configurationStateId,
    configurationStateMd5Hash: pick(raw, "configurationStateMd5Hash", "configurationItemMD5Hash"),
    ARN: pick(raw, "ARN", "arn"),
    resourceType: raw.resourceType,
    resourceId: raw.resourceId,
    resourceName: raw.resourceName,
    awsRegion: raw.awsRegion,
    availabilityZone: raw.availabilityZone,
    tags: raw.tags,
    relatedEvents: raw.relatedEvents,
    relationships: Array.isArray(raw.relationships)
      ? raw.relationships.map((r: Raw) => {
          const { name, relationshipName, ...rest } = r;
          return { ...rest, name: name ?? relationshipName };
        })
      : raw.relationships,
    configuration: parse(raw.configuration),
    supplementaryConfiguration: raw.supplementaryConfiguration,
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
}
