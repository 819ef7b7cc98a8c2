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
import { identityFromConfiguration, inferResourceType, ownArn } from "./infer-resource-type.ts";
import { decodePolicyValue, setOwn } from "./policy-document.ts";
import type { ConfigurationItem, Relationship, UndecodablePolicy } from "./types.ts";

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

const knownTypeSet = new Set<string>(knownTypes as string[]);

/** Known resource type spelling (the 2014 docs write `AWS::EC2::VOLUME`). */
export function canonicalResourceType(type: string): string {
  // Nearly every item spells its type as AWS does: found as it is, without lower-casing it.
  if (knownTypeSet.has(type)) return type;
  return typeByLowerCase.get(type.toLowerCase()) ?? type;
}

/** The form toIsoTime returns (`2024-05-01T12:00:00.000Z`): the separator at each position, else a digit. */
const CANONICAL_TIME_SHAPE = "dddd-dd-ddTdd:dd:dd.dddZ";

/** Whether the string is in the form toIsoTime returns: such a value is returned as it is, not parsed again. */
function isCanonicalTime(value: string): boolean {
  if (value.length !== 24) return false;
  for (let i = 0; i < 24; i++) {
    const shape = CANONICAL_TIME_SHAPE.charCodeAt(i);
    const code = value.charCodeAt(i);
    if (shape === 100 /* d */ ? code < 48 || code > 57 : code !== shape) return false;
  }
  return true;
}

/** ISO 8601 of a time in milliseconds; undefined when it is no time (NaN, or beyond ±100,000,000 days). */
function isoOfMs(ms: number): string | undefined {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/**
 * ISO 8601 from an ISO string, epoch seconds or milliseconds, or a placebo-encoded datetime;
 * undefined when there is no value, or when the value is not a time (a string no date reading
 * accepts, a number out of the range of dates): the caller decides what that means.
 */
export function toIsoTime(value: unknown): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  // Days past the 28th go through Date.parse, which rolls an impossible date (Feb 30) over.
  if (typeof value === "string" && value.length === 24 && value[8]! <= "2" && isCanonicalTime(value))
    return value;
  if (value instanceof Date) return isoOfMs(value.getTime());
  if (typeof value === "number" || (typeof value === "string" && /^\d+(\.\d+)?$/.test(value))) {
    const n = Number(value);
    return isoOfMs(n > 1e11 ? n : n * 1000);
  }
  if (typeof value === "string") {
    // RDK samples carry Python reprs: datetime.datetime(2020, 4, 22, 13, 13, 17, 718000, tzinfo=tzlocal())
    const py = value.match(
      /^datetime\.datetime\((\d+), (\d+), (\d+)(?:, (\d+))?(?:, (\d+))?(?:, (\d+))?(?:, (\d+))?/,
    );
    if (py) {
      const [, y, mo, d, h, mi, s, us] = py.map((v) => Number(v ?? 0));
      return isoOfMs(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!, us! / 1000));
    }
    return isoOfMs(Date.parse(value));
  }
  if (isRecord(value) && value.__class__ === "datetime") {
    const n = (k: string) => Number(value[k] ?? 0);
    return isoOfMs(
      Date.UTC(
        n("year"),
        n("month") - 1,
        n("day"),
        n("hour"),
        n("minute"),
        n("second"),
        n("microsecond") / 1000,
      ),
    );
  }
  return undefined;
}

/** A value of the input in a one-line message: a string quoted (cut at 40 characters), a number or boolean as it is, else its kind. */
function shown(value: unknown): string {
  if (typeof value === "string")
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return Array.isArray(value) ? "an array" : "an object";
}

/** The time `field` of the item; undefined when it has none. A value that is not a time is an input error naming it. */
function timeField(value: unknown, field: string): string | undefined {
  const iso = toIsoTime(value);
  if (iso === undefined && value !== undefined && value !== null && value !== "") {
    throw new InputError(`\`${field}\` is not a time: ${shown(value)}`);
  }
  return iso;
}

/**
 * An identity field of the item (type, id, name, account, region, ARN): a string, or undefined
 * when it is absent or null. Any other value (a number, an object) would be read as something it
 * is not (an account id that lost its leading zero, "[object Object]"): an input error naming it.
 */
function identityField(value: unknown, field: string): string | undefined {
  if (typeof value === "string") return value;
  if (value === undefined || value === null) return undefined;
  throw new InputError(`\`${field}\` is not a string: ${shown(value)}`);
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

/** Keys under which AWS Config records policy documents, in any service (compared lower-cased). */
export const POLICY_KEYS: ReadonlySet<string> = new Set([
  "policy",
  "policytext",
  "policydocument",
  "assumerolepolicydocument",
  "document",
  "resourcepolicy",
  "keypolicy",
]);
/** Each policy key's length and first letter: length * 128 + the letter's code (lower case). */
const POLICY_KEY_STARTS = new Set([...POLICY_KEYS].map((k) => k.length * 128 + k.charCodeAt(0)));

/**
 * Case-insensitive. Most keys differ from every policy key in length or first letter and are never
 * lower-cased: `| 32` lower-cases an ASCII letter (any other ASCII character then matches no key);
 * a first character beyond ASCII takes the full comparison (the Kelvin sign lower-cases to `k`).
 */
function isPolicyKey(key: string): boolean {
  const first = key.charCodeAt(0);
  return (
    (first >= 128 || POLICY_KEY_STARTS.has(key.length * 128 + (first | 32))) &&
    POLICY_KEYS.has(key.toLowerCase())
  );
}

/** Where the walk is (for the path of an undecodable document) and what it found. */
interface Walk {
  path: (string | number)[];
  undecodable: UndecodablePolicy[];
}

function pathText(path: readonly (string | number)[]): string {
  let out = "";
  for (const part of path) out += typeof part === "number" ? `[${part}]` : out === "" ? part : `.${part}`;
  return out;
}

/** Canonicalises, in place, the policy document held under `key` of `container`, if there is one. */
function decodeAt(container: Raw | unknown[], key: string | number, walk: Walk): void {
  const value = (container as Raw)[key as string];
  if (typeof key === "string" && isPolicyKey(key)) {
    const decoded = decodePolicyValue(value);
    if (decoded.kind === "document") {
      // An own data property (also `__proto__`, which JSON.parse makes one): assignment keeps it data.
      setOwn(container as Raw, key, decoded.document);
      return;
    }
    if (decoded.kind === "undecodable") {
      walk.path.push(key);
      walk.undecodable.push({ path: pathText(walk.path), at: [...walk.path], reason: decoded.reason });
      walk.path.pop();
      return;
    }
  }
  if (typeof value === "object" && value !== null) {
    walk.path.push(key);
    decodeEmbedded(value as Raw | unknown[], walk);
    walk.path.pop();
  }
}

/** Walks a decoded configuration and canonicalises every embedded policy document, in place. */
function decodeEmbedded(value: Raw | unknown[], walk: Walk): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      if (typeof v === "object" && v !== null) {
        walk.path.push(i);
        decodeEmbedded(v as Raw | unknown[], walk);
        walk.path.pop();
      }
    }
    return;
  }
  for (const key of Object.keys(value)) decodeAt(value, key, walk);
}

/** A copy of parsed JSON that leaves the caller's object untouched (keys kept as own data). */
function copyJson(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return value.map(copyJson);
  const out: Raw = {};
  for (const key of Object.keys(value)) setOwn(out, key, copyJson((value as Raw)[key]));
  return out;
}

/**
 * A value the normaliser may decode in place: a JSON string is parsed (the result is ours either
 * way), parsed JSON is taken as it is when the caller handed it over (`inPlace`), else copied.
 */
function ownedValue(value: unknown, inPlace: boolean | undefined): unknown {
  if (typeof value === "string") return decodeJsonString(value);
  return inPlace ? value : copyJson(value);
}

function relationships(value: unknown): Relationship[] {
  if (!Array.isArray(value)) return [];
  const out: Relationship[] = [];
  for (const r of value) {
    if (!isRecord(r)) continue;
    const rel: Relationship = {
      resourceType: canonicalResourceType(str(r.resourceType) ?? ""),
      name: (str(r.name) ?? str(r.relationshipName) ?? "").trim(),
    };
    const id = str(r.resourceId);
    const name = str(r.resourceName);
    if (id !== undefined) rel.resourceId = id;
    if (name !== undefined) rel.resourceName = name;
    out.push(rel);
  }
  return out;
}

function addTags(out: Record<string, string>, source: unknown): void {
  if (Array.isArray(source)) {
    for (const t of source) {
      if (isRecord(t) && (t.key ?? t.Key) !== undefined)
        setOwn(out, String(t.key ?? t.Key), String(t.value ?? t.Value ?? ""));
    }
  } else if (isRecord(source)) {
    for (const k of Object.keys(source)) setOwn(out, k, String(source[k] ?? ""));
  }
}

function tags(raw: Raw, supplementary: Raw): Record<string, string> {
  const out: Record<string, string> = {};
  addTags(out, supplementary.Tags);
  addTags(out, raw.tags);
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

export interface NormaliseOptions {
  /**
   * The caller hands the parsed item over (a reader that parsed it for this call): embedded
   * documents are decoded in place on its `configuration` and `supplementaryConfiguration`, and
   * the item shares them. Default false: they are copied first, the input is left as it was.
   */
  inPlace?: boolean;
}

/**
 * The canonical form of a configuration item in any shape. Throws InputError, naming the missing
 * field, when the input is not a configuration item at all.
 */
export function normalise(
  input: unknown,
  hints: NormaliseHints = {},
  options: NormaliseOptions = {},
): ConfigurationItem {
  if (!isRecord(input)) throw new InputError("a configuration item must be a JSON object");
  if (!looksLikeConfigurationItem(input)) {
    throw new InputError(
      "not a configuration item: it has neither `configuration` nor `configurationItemStatus`",
    );
  }
  const walk: Walk = { path: ["configuration"], undecodable: [] };
  const configurationDecoded = ownedValue(input.configuration, options.inPlace);
  const configuration = isRecord(configurationDecoded) ? configurationDecoded : null;
  if (configuration) decodeEmbedded(configuration, walk);

  const rawSupplementary = ownedValue(input.supplementaryConfiguration, options.inPlace);
  const supplementary: Raw = isRecord(rawSupplementary) ? rawSupplementary : {};
  walk.path[0] = "supplementaryConfiguration";
  for (const key of Object.keys(supplementary)) {
    const value = supplementary[key];
    if (typeof value === "string") setOwn(supplementary, key, decodeJsonString(value));
    decodeAt(supplementary, key, walk);
  }

  // SelectResourceConfig rows carry no resourceType: a hint, else the resource's own ARN.
  const resourceTypeRaw =
    identityField(input.resourceType, "resourceType") ??
    hints.resourceType ??
    inferResourceType(input, configuration, supplementary);
  if (!resourceTypeRaw) {
    throw new MissingResourceTypeError();
  }
  const resourceType = canonicalResourceType(resourceTypeRaw);

  const arn = identityField(input.ARN, "ARN") ?? identityField(input.arn, "arn") ?? "";
  const configArn = ownArn(input, configuration);
  const name = identityField(input.resourceName, "resourceName");
  let resourceId = identityField(input.resourceId, "resourceId") ?? name ?? (arn || configArn || undefined);
  let accountId =
    identityField(input.awsAccountId, "awsAccountId") ??
    identityField(input.accountId, "accountId") ??
    hints.accountId ??
    ((arn || configArn || "").split(":")[4] || undefined);
  if (resourceId === undefined || accountId === undefined) {
    // A row with neither an id nor an ARN: what its configuration records of it (a security
    // group's id and owner, a bucket's name).
    const recorded = identityFromConfiguration(resourceType, configuration);
    resourceId ??= recorded.resourceId ?? "unknown-resource";
    accountId ??= recorded.accountId ?? "unknown";
  }

  const item: ConfigurationItem = {
    version: str(input.configurationItemVersion) ?? str(input.version) ?? "1.3",
    accountId,
    arn: arn || configArn || "",
    resourceType,
    resourceId,
    awsRegion:
      identityField(input.awsRegion, "awsRegion") ??
      hints.awsRegion ??
      regionFromArn(arn || configArn) ??
      "unknown",
    configurationItemCaptureTime:
      timeField(input.configurationItemCaptureTime, "configurationItemCaptureTime") ??
      new Date(0).toISOString(),
    configurationItemStatus: str(input.configurationItemStatus) ?? "OK",
    tags: tags(input, supplementary),
    relationships: relationships(input.relationships),
    configuration,
    supplementaryConfiguration: supplementary,
  };
  if (name !== undefined) item.resourceName = name;
  const az = str(input.availabilityZone) ?? str(input.availibilityZone);
  if (az !== undefined) item.availabilityZone = az;
  const stateId = str(input.configurationStateId) ?? str(input.configurationStateID);
  if (stateId !== undefined) item.configurationStateId = stateId;
  const created = timeField(input.resourceCreationTime, "resourceCreationTime");
  if (created !== undefined) item.resourceCreationTime = created;
  if (walk.undecodable.length > 0) item.undecodablePolicies = walk.undecodable;
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
