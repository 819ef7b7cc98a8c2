// The annotation AWS Config shows next to a result (at most 256 characters), built from structured
// findings and read back by the notifier. This module is the only writer and the only reader of
// the format:
//   "[HIGH] DDB.PITR: <failure>; [MEDIUM] DDB.ON-DEMAND: <failure>; and 2 more. Achieved C3I1A1 of required C3I3A3."
// The EventBridge event of a compliance change carries only this text, so the notifier learns the
// failing controls from `parseAnnotation`.

import { formatRating } from "./cia.ts";
import { bySeverity, SEVERITY_ORDER } from "./severity.ts";
import type { CiaAchieved, CiaRating, Severity } from "./types.ts";

/** AWS Config's limit for an evaluation's annotation. */
export const MAX_ANNOTATION = 256;

/**
 * A failure in words, with its property paths kept apart from the rest of the text so that
 * shortening touches paths only, never values: `lead` (the control's own failure message), then
 * sentences, each optionally starting with the property path it is about.
 */
export interface FailureText {
  lead?: string;
  sentences: readonly { path?: string; rest: string }[];
}

/** One failing control as the annotation lists it. */
export interface AnnotationFailure {
  severity: Severity;
  controlId: string;
  text: FailureText;
}

/** What an annotation says, as structured data. */
export type AnnotationInput =
  | { kind: "failing"; failures: readonly AnnotationFailure[]; achieved: CiaAchieved; required: CiaRating }
  | { kind: "passing"; passed: number; waived: number; achieved: CiaAchieved; required: CiaRating }
  | { kind: "note"; text: string };

/** A failure as read back from an annotation. */
export interface AnnotatedFailure {
  severity: Severity;
  controlId: string;
}

export interface ParsedAnnotation {
  /** Failing controls in the order written (most severe first). */
  failures: AnnotatedFailure[];
  /** Failures the annotation had no room for ("and N more"). */
  more: number;
  /** What the resource achieves and the rating it was evaluated against, e.g. C3I1A1 / C3I3A3. */
  achieved?: string;
  evaluatedAgainst?: string;
}

/** A plain sentence as a FailureText (waiver notes, controls that failed to evaluate). */
export const plainText = (text: string): FailureText => ({ sentences: [{ rest: text }] });

/** The failure in full, as the finding's `message` says it. */
export function fullText(text: FailureText, shorten?: (path: string) => string): string {
  let body = "";
  const sentences = text.sentences;
  for (let i = 0; i < sentences.length; i++) {
    const s = sentences[i]!;
    if (i > 0) body += "; ";
    if (s.path !== undefined) body += shorten === undefined ? s.path : shorten(s.path);
    body += s.rest;
  }
  return text.lead === undefined ? body : `${text.lead}: ${body}`;
}

// One segment of a rendered property path: a name, optionally one `[n]` index.
const SEGMENT = /^[\w*/-]+(?:\[\d+\])?$/;

function shortenedPath(path: string): string {
  const segments = path.split(".");
  if (segments.length < 4 || !segments.every((s) => SEGMENT.test(s))) return path;
  return `…${segments.slice(-2).join(".")}`;
}

// Paths repeat across items (they are the checks' own paths): each is shortened once.
const SHORTENED_CACHE_LIMIT = 10_000;
const shortened = new Map<string, string>();

/**
 * A property path of four or more segments shortened to its last two (`…a.b`), to fit more
 * findings. Paths with segments that are not plain names stay whole.
 */
export function shortenPath(path: string): string {
  let out = shortened.get(path);
  if (out === undefined) {
    if (shortened.size >= SHORTENED_CACHE_LIMIT) shortened.clear();
    out = shortenedPath(path);
    shortened.set(path, out);
  }
  return out;
}

/** At most `max` characters, ending in an ellipsis when cut; never splits a surrogate pair. */
export function truncate(text: string, max: number = MAX_ANNOTATION): string {
  if (text.length <= max) return text;
  let cut = max - 1;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  return `${text.slice(0, cut)}…`;
}

const levels = (achieved: CiaAchieved, required: CiaRating) =>
  `Achieved ${formatRating(achieved)} of required ${formatRating(required)}.`;

const part = (f: AnnotationFailure) =>
  `[${f.severity.toUpperCase()}] ${f.controlId}: ${fullText(f.text, shortenPath)}`;

const more = (n: number) => (n > 0 ? `; and ${n} more.` : ".");

/** The annotation for a result: at most 256 characters, the most severe failures first. */
export function buildAnnotation(input: AnnotationInput): string {
  if (input.kind === "note") return truncate(input.text);
  const suffix = ` ${levels(input.achieved, input.required)}`;
  if (input.kind === "passing") {
    if (input.passed === 0 && input.waived === 0) {
      return truncate(`No control of this resource is required at ${formatRating(input.required)}.${suffix}`);
    }
    const waived = input.waived ? ` (${input.waived} waived)` : "";
    return truncate(`All ${input.passed} required controls pass${waived}.${suffix}`);
  }
  const failures = [...input.failures].sort(bySeverity);
  // As many failures as fit, most severe first, then how many did not.
  let text = "";
  let shown = 0;
  for (const f of failures) {
    const candidate = shown === 0 ? part(f) : `${text}; ${part(f)}`;
    if (candidate.length + more(failures.length - shown - 1).length + suffix.length > MAX_ANNOTATION) break;
    text = candidate;
    shown++;
  }
  if (shown === 0 && failures[0]) {
    // The most severe failure always shows, shortened to fit (its ellipsis ends the sentence).
    const tail = failures.length > 1 ? more(failures.length - 1) : "";
    const first = truncate(part(failures[0]), MAX_ANNOTATION - suffix.length - tail.length);
    return truncate(`${first}${tail}${suffix}`);
  }
  return truncate(`${text}${more(failures.length - shown)}${suffix}`);
}

const SEVERITY_WORD = SEVERITY_ORDER.map((s) => s.toUpperCase()).join("|");
// A failure's head at the start of the annotation or after the separator "; ".
const HEAD = new RegExp(`(?:^|; )\\[(${SEVERITY_WORD})\\] ([A-Z][A-Z0-9]*(?:\\.[A-Z0-9][A-Z0-9-]*)+): `, "g");
// The end: how many failures had no room, then the levels (either may be missing in foreign text).
const TAIL =
  /(?:;? and (\d+) more\.)?(?:\s?Achieved (C[0-3]I[0-3]A[0-3]) of required (C[1-3]I[1-3]A[1-3])\.?)?\s*$/;

/**
 * Reads an annotation this module wrote: the failing controls, how many had no room, the levels.
 * A failure head counts only at the start or after the separator "; ". Text from a rule outside the
 * engine gives no failures.
 */
export function parseAnnotation(annotation: string | undefined): ParsedAnnotation {
  if (!annotation) return { failures: [], more: 0 };
  const tail = annotation.match(TAIL);
  const body = annotation.slice(0, tail?.index);
  const failures: AnnotatedFailure[] = [];
  const seen = new Set<string>();
  for (const m of body.matchAll(HEAD)) {
    const controlId = m[2]!;
    if (seen.has(controlId)) continue;
    seen.add(controlId);
    failures.push({ severity: m[1]!.toLowerCase() as Severity, controlId });
  }
  const out: ParsedAnnotation = { failures, more: Number(tail?.[1] ?? 0) };
  if (tail?.[2] && tail[3]) {
    out.achieved = tail[2];
    out.evaluatedAgainst = tail[3];
  }
  return out;
}
