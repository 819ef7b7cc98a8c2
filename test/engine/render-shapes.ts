// Renders one configuration item in any mix of the shapes AWS Config uses (notification, API, RDK sample), field
// by field, and embedded policy documents in any encoding, for the property tests in
// shapes.test.ts: a verdict must not depend on any of these choices.

import { POLICY_KEYS } from "../../engine/normalise.ts";

type Raw = Record<string, unknown>;

export type PolicyEncoding = "object" | "json" | "json-twice" | "url";

/** One choice per field that differs between the shapes. */
export interface Style {
  accountKey: "awsAccountId" | "accountId";
  arnKey: "ARN" | "arn";
  versionKey: "configurationItemVersion" | "version";
  relationshipKey: "name" | "relationshipName";
  time: "iso" | "seconds";
  /** API shape: `configuration` is a JSON string. */
  configurationAsString: boolean;
  /** Bit i set: the i-th supplementaryConfiguration value is a JSON string (API shape). */
  supplementaryStrings: number;
  /** How embedded policy documents are written (IAM through the API: URL-encoded). */
  policy: PolicyEncoding;
}

export const NOTIFICATION: Style = {
  accountKey: "awsAccountId",
  arnKey: "ARN",
  versionKey: "configurationItemVersion",
  relationshipKey: "name",
  time: "iso",
  configurationAsString: false,
  supplementaryStrings: 0,
  policy: "json",
};

export const API: Style = {
  accountKey: "accountId",
  arnKey: "arn",
  versionKey: "version",
  relationshipKey: "relationshipName",
  time: "seconds",
  configurationAsString: true,
  supplementaryStrings: -1,
  policy: "url",
};

function isRecord(value: unknown): value is Raw {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const isDocument = (value: unknown): value is Raw => isRecord(value) && "Statement" in value;

/** The policy document a recorded value holds, in whatever encoding; undefined if none. */
export function documentOf(value: unknown): Raw | undefined {
  if (isDocument(value)) return value;
  if (Array.isArray(value) && value.length === 1 && isDocument(value[0])) return value[0];
  let current = value;
  for (let round = 0; round < 4 && typeof current === "string"; round++) {
    const text = current.trim();
    try {
      current = text.startsWith("%7B") ? decodeURIComponent(text) : JSON.parse(text);
    } catch {
      return undefined;
    }
  }
  return isDocument(current) ? current : undefined;
}

export function encodeDocument(document: Raw, encoding: PolicyEncoding): unknown {
  switch (encoding) {
    case "object":
      return document;
    case "json":
      return JSON.stringify(document);
    case "json-twice":
      return JSON.stringify(JSON.stringify(document));
    case "url":
      return encodeURIComponent(JSON.stringify(document));
  }
}

/** Re-encodes every embedded policy document under a policy key. */
function reencode(value: unknown, encoding: PolicyEncoding, key = ""): unknown {
  if (POLICY_KEYS.has(key.toLowerCase())) {
    const document = documentOf(value);
    if (document) return encodeDocument(document, encoding);
  }
  if (Array.isArray(value)) return value.map((v) => reencode(v, encoding));
  if (isRecord(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reencode(v, encoding, k)]));
  return value;
}

const parsed = (value: unknown): unknown => {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
};

function time(value: unknown, style: Style["time"]): unknown {
  if (typeof value !== "string" || style === "iso") return value;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : ms / 1000;
}

const first = (raw: Raw, ...keys: string[]): unknown => keys.map((k) => raw[k]).find((v) => v !== undefined);

/** The item in the given mix of shapes. */
export function render(raw: Raw, style: Style): Raw {
  const rest: Raw = { ...raw };
  for (const k of ["awsAccountId", "accountId", "ARN", "arn", "configurationItemVersion", "version"])
    delete rest[k];
  const out: Raw = {
    ...rest,
    [style.accountKey]: first(raw, "awsAccountId", "accountId"),
    [style.arnKey]: first(raw, "ARN", "arn"),
    [style.versionKey]: first(raw, "configurationItemVersion", "version"),
    configurationItemCaptureTime: time(raw.configurationItemCaptureTime, style.time),
    resourceCreationTime: time(raw.resourceCreationTime, style.time),
  };
  if (Array.isArray(raw.relationships)) {
    out.relationships = raw.relationships.map((r: Raw) => {
      const { name, relationshipName, ...other } = r;
      return { ...other, [style.relationshipKey]: name ?? relationshipName };
    });
  }
  const configuration = reencode(parsed(raw.configuration), style.policy);
  out.configuration =
    style.configurationAsString && isRecord(configuration) ? JSON.stringify(configuration) : configuration;
  const supplementary = parsed(raw.supplementaryConfiguration);
  if (isRecord(supplementary)) {
    out.supplementaryConfiguration = Object.fromEntries(
      Object.entries(supplementary).map(([k, v], i) => {
        const value = reencode(parsed(v), style.policy, k);
        return [k, style.supplementaryStrings & (1 << i) ? JSON.stringify(value) : value];
      }),
    );
  }
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
}
