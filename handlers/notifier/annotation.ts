// Reads what the engine writes into a Config annotation (engine/evaluate.ts `annotate`):
//   "[HIGH] DDB.PITR: <message>; [MEDIUM] DDB.ON-DEMAND: <message> and 2 more. Achieved C3I1A1 of required C3I3A3."
// The EventBridge event carries only this text, so it is where the failing controls come from.

import type { Severity } from "../../engine/types.ts";

export interface AnnotatedFailure {
  severity: Severity;
  controlId: string;
}

export interface ParsedAnnotation {
  /** Failing controls in the order written (the engine writes the most severe first). */
  failures: AnnotatedFailure[];
  /** Failures the annotation had no room for ("and N more"). */
  more: number;
  /** What the resource achieves and the rating the rule evaluated against, e.g. C3I1A1 / C3I3A3. */
  achieved?: string;
  evaluatedAgainst?: string;
}

const FAILURE = /\[(CRITICAL|HIGH|MEDIUM|LOW)\] ([A-Z][A-Z0-9]*(?:\.[A-Z0-9][A-Z0-9-]*)+):/g;
const MORE = / and (\d+) more\./;
const LEVELS = /Achieved (C[0-3]I[0-3]A[0-3]) of required (C[1-3]I[1-3]A[1-3])\.?\s*$/;

export function parseAnnotation(annotation: string | undefined): ParsedAnnotation {
  if (!annotation) return { failures: [], more: 0 };
  const failures: AnnotatedFailure[] = [];
  const seen = new Set<string>();
  for (const m of annotation.matchAll(FAILURE)) {
    const controlId = m[2]!;
    if (seen.has(controlId)) continue;
    seen.add(controlId);
    failures.push({ severity: m[1]!.toLowerCase() as Severity, controlId });
  }
  const out: ParsedAnnotation = { failures, more: Number(annotation.match(MORE)?.[1] ?? 0) };
  const levels = annotation.match(LEVELS);
  if (levels) {
    out.achieved = levels[1]!;
    out.evaluatedAgainst = levels[2]!;
  }
  return out;
}
