// Every configuration item shape AWS produces becomes one canonical item (engine/types.ts):
//   1. notification shape (Lambda invokingEvent, EventBridge, SNS, snapshots): awsAccountId, ARN,
//      configurationItemVersion, `configuration` an object, relationships with `name`;
//   2. API shape (GetResourceConfigHistory, BatchGetResourceConfig): accountId, arn, version,
//      `configuration` and every `supplementaryConfiguration` value a JSON string,
//      relationships with `relationshipName`, timestamps as epoch seconds;
//   3. the mixed RDK sample shapes, SelectResourceConfig rows (no resourceType: a hint, or read
//      from the resource's own ARN, see infer-resource-type.ts),
//      and the 2014 documentation shape (upper-case resource types).
// Embedded documents are decoded so that a verdict never depends on the shape.

import knownTypes from "./data/config-resource-types.json" with { type: "json" };
import { InputError, MissingResourceTypeError } from "./errors.ts";
import { inferResourceType, ownArn } from "./infer-resource-type.ts";
import { decodePolicy } from "./policy-document.ts";
import type { ConfigurationItem, Relationship } from "./types.ts";

type Raw = Record<string, unknown>;

export interface NormaliseHints {
  /** Resource type to use when the item has none (SelectResourceConfig rows). */
  resourceType?: string;
  accountId?: string;
  awsRegion?: string;
}

const typeByLowerCase = new Map<string, string>(
  (knownTypes as string[]).map((t) => [t.toLowerCase(), t] as [string, string]),
);

function isRecord(value: unknown): value is Raw {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const str = (value: unknown): string | undefined =>
  value === undefined || value === null ? undefined : typeof value === "string" ? value : String(value);

/** Known resource type spelling (the 2014 docs write `AWS::EC2::VOLUME`). */
export function canonicalResourceType(type: string): string {
  return typeByLowerCase.get(type.toLowerCase()) ?? type;
}

/** ISO 8601 from an ISO string, epoch seconds or milliseconds, or a placebo-encoded datetime. */
export function toIsoTime(value: unknown): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  if (typeof value === "number" || (typeof value === "string" && /^\d+(\.\d+)?$/.test(value))) {
    const n = Number(value);
    const ms = n > 1e11 ? n : n * 1000;
    return new Date(ms).toISOString();
  }
  if (typeof value === "string") {
    // RDK samples carry Python reprs: datetime.datetime(2020, 4, 22, 13, 13, 17, 718000, tzinfo=tzlocal())
    const py = value.match(
      /^datetime\.datetime\((\d+), (\d+), (\d+)(?:, (\d+))?(?:, (\d+))?(?:, (\d+))?(?:, (\d+))?/,
    );
    if (py) {
      const [, y, mo, d, h, mi, s, us] = py.map((v) => Number(v ?? 0));
      return new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!, us! / 1000)).toISOString();
    }
    const parsed = Date.parse(value);
    return Number.isNaN(parsed) ? value : new Date(parsed).toISOString();
  }
  if (isRecord(value) && value.__class__ === "datetime") {
    const n = (k: string) => Number(value[k] ?? 0);
    return new Date(
      Date.UTC(
        n("year"),
        n("month") - 1,
        n("day"),
        n("hour"),
        n("minute"),
        n("second"),
        n("microsecond") / 1000,
      ),
    ).toISOString();
  }
  return undefined;
}

/** Decodes a value AWS Config recorded as a JSON string (sometimes encoded twice). */
function decodeJsonString(value: unknown): unknown {
  let current = value;
  for (let round = 0; round < 3 && typeof current === "string"; round++) {
    const t = current.trim();
    if (!(t.startsWith("{") || t.startsWith("[") || t.startsWith('"') || /^(true|false|null)$/.test(t)))
      break;
    try {
      current = JSON.parse(t);
    } catch {
      break;
    }
  }
  return current;
}

/** Keys under which AWS Config records policy documents, in any service. */
const POLICY_KEYS = new Set([
  "policy",
  "policytext",
  "policydocument",
  "assumerolepolicydocument",
  "document",
  "resourcepolicy",
  "keypolicy",
]);

/** Walks a decoded configuration and canonicalises every embedded policy document. */
function decodeEmbedded(value: unknown, key = ""): unknown {
  if (POLICY_KEYS.has(key.toLowerCase())) {
    const decoded = decodePolicy(value);
    if (decoded !== value) return decoded;
  }
  if (Array.isArray(value)) return value.map((v) => decodeEmbedded(v));
  if (isRecord(value)) {
    const out: Raw = {};
    for (const [k, v] of Object.entries(value)) out[k] = decodeEmbedded(v, k);
    return out;
  }
  return value;
}

function relationships(value: unknown): Relationship[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).map((r) => {
    const rel: Relationship = {
      resourceType: canonicalResourceType(str(r.resourceType) ?? ""),
      name: (str(r.name) ?? str(r.relationshipName) ?? "").trim(),
    };
    const id = str(r.resourceId);
    const name = str(r.resourceName);
    if (id !== undefined) rel.resourceId = id;
    if (name !== undefined) rel.resourceName = name;
    return rel;
  });
}

function tags(raw: Raw, supplementary: Raw): Record<string, string> {
  const out: Record<string, string> = {};
  const add = (source: unknown) => {
    if (Array.isArray(source)) {
      for (const t of source) {
        if (isRecord(t) && (t.key ?? t.Key) !== undefined)
          out[String(t.key ?? t.Key)] = String(t.value ?? t.Value ?? "");
      }
    } else if (isRecord(source)) {
      for (const [k, v] of Object.entries(source)) out[k] = String(v ?? "");
    }
  };
  add(supplementary.Tags);
  add(raw.tags);
  return out;
}

/** Derives the region from an ARN (`arn:aws:svc:REGION:...`), or `global` for global services. */
function regionFromArn(arn: string | undefined): string | undefined {
  const region = arn?.split(":")[3];
  return region === undefined ? undefined : region === "" ? "global" : region;
}

/** True when the object looks like a configuration item of any shape. */
export function looksLikeConfigurationItem(value: unknown): value is Raw {
  return (
    isRecord(value) &&
    ("configuration" in value || "configurationItemStatus" in value) &&
    ("resourceType" in value || "resourceId" in value || "configuration" in value)
  );
}

/**
 * The canonical form of a configuration item in any shape. Throws InputError, naming the missing
 * field, when the input is not a configuration item at all.
 */
export function normalise(input: unknown, hints: NormaliseHints = {}): ConfigurationItem {
  if (!isRecord(input)) throw new InputError("a configuration item must be a JSON object");
  if (!looksLikeConfigurationItem(input)) {
    throw new InputError(
      "not a configuration item: it has neither `configuration` nor `configurationItemStatus`",
    );
  }
  const configurationDecoded = decodeJsonString(input.configuration);
  const configuration = isRecord(configurationDecoded) ? (decodeEmbedded(configurationDecoded) as Raw) : null;

  const supplementary: Raw = {};
  const rawSupplementary = decodeJsonString(input.supplementaryConfiguration);
  if (isRecord(rawSupplementary)) {
    for (const [k, v] of Object.entries(rawSupplementary))
      supplementary[k] = decodeEmbedded(decodeJsonString(v), k);
  }

  // SelectResourceConfig rows carry no resourceType: a hint, else the resource's own ARN.
  const resourceTypeRaw =
    str(input.resourceType) ?? hints.resourceType ?? inferResourceType(input, configuration, supplementary);
  if (!resourceTypeRaw) {
    throw new MissingResourceTypeError();
  }
  const resourceType = canonicalResourceType(resourceTypeRaw);

  const arn = str(input.ARN) ?? str(input.arn) ?? "";
  const configArn = ownArn(input, configuration);
  const resourceId =
    str(input.resourceId) ?? str(input.resourceName) ?? (arn || configArn || undefined) ?? "unknown-resource";
  const accountId =
    str(input.awsAccountId) ??
    str(input.accountId) ??
    hints.accountId ??
    ((arn || configArn || "").split(":")[4] || "unknown");

  const item: ConfigurationItem = {
    version: str(input.configurationItemVersion) ?? str(input.version) ?? "1.3",
    accountId,
    arn: arn || configArn || "",
    resourceType,
    resourceId,
    awsRegion: str(input.awsRegion) ?? hints.awsRegion ?? regionFromArn(arn || configArn) ?? "unknown",
    configurationItemCaptureTime: toIsoTime(input.configurationItemCaptureTime) ?? new Date(0).toISOString(),
    configurationItemStatus: str(input.configurationItemStatus) ?? "OK",
    tags: tags(input, supplementary),
    relationships: relationships(input.relationships),
    configuration,
    supplementaryConfiguration: supplementary,
  };
  const name = str(input.resourceName);
  if (name !== undefined) item.resourceName = name;
  const az = str(input.availabilityZone) ?? str(input.availibilityZone);
  if (az !== undefined) item.availabilityZone = az;
  const stateId = str(input.configurationStateId) ?? str(input.configurationStateID);
  if (stateId !== undefined) item.configurationStateId = stateId;
  const created = toIsoTime(input.resourceCreationTime);
  if (created !== undefined) item.resourceCreationTime = created;
  return item;
}

/** True when the item describes a resource that is gone or no longer recorded. */
export function isGone(item: Pick<ConfigurationItem, "configurationItemStatus">): boolean {
  return (
    item.configurationItemStatus === "ResourceDeleted" ||
    item.configurationItemStatus === "ResourceDeletedNotRecorded" ||
    item.configurationItemStatus === "ResourceNotRecorded"
  );
}
