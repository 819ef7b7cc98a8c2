// The engine's public types: what goes in (configuration items, the catalogue, an account rating)
// and what comes out (evaluation records). Reporters, handlers and the CLI read only these.

/** AWS Config's own words for a resource's result. */
export type Compliance = "COMPLIANT" | "NON_COMPLIANT" | "NOT_APPLICABLE";

/** A control's outcome on one resource. */
export type FindingStatus = "PASS" | "FAIL" | "WAIVED" | "SKIP";

export type Severity = "low" | "medium" | "high" | "critical";

/** The three CIA dimensions. */
export type Dimension = "c" | "i" | "a";
export const DIMENSIONS: readonly Dimension[] = ["c", "i", "a"];

/** A level in every dimension: 1 low, 2 medium, 3 high (the most critical). */
export interface CiaRating {
  c: 1 | 2 | 3;
  i: 1 | 2 | 3;
  a: 1 | 2 | 3;
}

/** What a resource achieves: 0 when a level-1 control of that dimension fails. */
export interface CiaAchieved {
  c: 0 | 1 | 2 | 3;
  i: 0 | 1 | 2 | 3;
  a: 0 | 1 | 2 | 3;
}

/** The level from which a control is required, in each dimension it protects. */
export type CiaRequirement = Partial<Record<Dimension, 1 | 2 | 3>>;

/** Where an account's rating came from, for reports and routing. */
export interface AccountContext {
  accountId: string;
  name?: string;
  rating: CiaRating;
  /** `production`, `development`, ... from the `environment` tag; undefined when untagged. */
  environment?: string;
  owner?: string;
  /** True when the rating tag was missing or malformed and the highest was applied. */
  unclassified: boolean;
  /** Every tag of the account, as read. */
  tags: Record<string, string>;
}

/** A relationship of a configuration item, canonical form. */
export interface Relationship {
  resourceType: string;
  resourceId?: string;
  resourceName?: string;
  name: string;
}

export type ConfigurationItemStatus =
  | "OK"
  | "ResourceDiscovered"
  | "ResourceNotRecorded"
  | "ResourceDeleted"
  | "ResourceDeletedNotRecorded";

/**
 * The one canonical configuration item every shape becomes (engine/normalise.ts).
 * `configuration` and `supplementaryConfiguration` are objects, embedded documents decoded,
 * policy documents in canonical form (see engine/policy-document.ts).
 */
export interface ConfigurationItem {
  version: string;
  accountId: string;
  arn: string;
  resourceType: string;
  resourceId: string;
  resourceName?: string;
  awsRegion: string;
  availabilityZone?: string;
  /** ISO 8601, UTC. */
  configurationItemCaptureTime: string;
  configurationItemStatus: ConfigurationItemStatus | string;
  configurationStateId?: string;
  resourceCreationTime?: string;
  tags: Record<string, string>;
  relationships: Relationship[];
  configuration: Record<string, unknown> | null;
  supplementaryConfiguration: Record<string, unknown>;
}

export interface Finding {
  controlId: string;
  title: string;
  status: FindingStatus;
  severity: Severity;
  /** What was wrong and what was expected (FAIL), why it was waived (WAIVED), why skipped (SKIP). */
  message: string;
  cia: CiaRequirement;
  /** True when the account's rating requires this control. */
  required: boolean;
  /** The waiver that applied, when WAIVED. */
  waiver?: { reason: string; approver: string; expires: string };
}

/** One resource's evaluation: what the JSON output, reports, PutEvaluations and SNS read. */
export interface EvaluationRecord {
  resourceType: string;
  resourceId: string;
  resourceName?: string;
  arn?: string;
  accountId: string;
  region: string;
  compliance: Compliance;
  /** 1..256 characters: what AWS Config shows. */
  annotation: string;
  required: CiaRating;
  achieved: CiaAchieved;
  findings: Finding[];
  /** The item's capture time: Config's OrderingTimestamp for change-triggered evaluations. */
  capturedAt: string;
}
