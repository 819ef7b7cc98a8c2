// Values a template alone cannot tell (an `Fn::ImportValue`, a parameter without a default or a
// given value, a condition on such a parameter, an attribute AWS assigns at deploy time...).
//
// The resolver puts an opaque marker string in their place: lower-case letters and digits only,
// so it survives everything the configuration item goes through on its way to a check (JSON
// encoding of embedded documents, URL encoding of IAM documents, lower-casing of policy actions)
// and can be found again in the canonical item. The marker's number keys the reason it is unknown.

/** Why a value is unknown, and whether the property may be absent altogether. */
export interface UnknownValue {
  /** What the template says instead of a value, e.g. `Fn::ImportValue "shared-key-arn"`. */
  reason: string;
  /** True when the value may also be no value at all (`Fn::If` on an unknown condition with `AWS::NoValue`). */
  maybeAbsent: boolean;
  /** True when it is surely a non-empty string (an export, an ARN, a pseudo parameter), else any value. */
  text: boolean;
}

const MARKER = /cfnunknown(\d+)x/;
const MARKERS = /cfnunknown(\d+)x/g;

/** The registry of one template's unknown values: marker string <-> reason. */
export class Unknowns {
  private readonly values: UnknownValue[] = [];

  /** A fresh marker standing for an unknown value. */
  mark(reason: string, maybeAbsent = false, text = false): string {
    this.values.push({ reason, maybeAbsent, text });
    return `cfnunknown${this.values.length - 1}x`;
  }

  get(index: number): UnknownValue | undefined {
    return this.values[index];
  }

  /** The unknown values a string carries (a marker alone, or inside a longer string). */
  in(text: string): UnknownValue[] {
    return [...text.matchAll(MARKERS)].map((m) => this.values[Number(m[1])]).filter((v) => v !== undefined);
  }

  get size(): number {
    return this.values.length;
  }
}

/** True when the value is, or (a string) contains, an unknown value's marker. */
export function isUnknown(value: unknown): value is string {
  return typeof value === "string" && MARKER.test(value);
}

/** A string with every marker written as `<unknown>`, for names shown to people. */
export function showUnknown(text: string): string {
  return text.replace(MARKERS, "<unknown>");
}
