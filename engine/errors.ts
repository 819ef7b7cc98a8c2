// Errors of the engine layer. Authoring errors (a bad policy or waiver file) are kept apart from
// input errors (an unreadable configuration item) and from faults while evaluating.

/** A configuration item, snapshot or event the engine cannot read. The CLI exits 2. */
export class InputError extends Error {
  override name = "InputError";
  constructor(
    message: string,
    /** The file (or other source) the input came from, when known. */
    readonly source?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** An item without `resourceType` whose own ARN does not tell it either (SelectResourceConfig rows). */
export class MissingResourceTypeError extends InputError {
  override name = "MissingResourceTypeError";
  constructor() {
    super(
      "configuration item has no `resourceType`, and its ARN does not tell it: select resourceType too in SelectResourceConfig",
    );
  }
}

/** One problem in a policy or waiver file, located by file, JSON pointer and (when known) line. */
export interface PolicyProblem {
  file: string;
  pointer: string;
  message: string;
  line?: number;
  column?: number;
  /** `error` makes `validate` fail; `warning` is reported only. */
  level: "error" | "warning";
}

/** The catalogue cannot be loaded or compiled. Carries every problem found, not just the first. */
export class CatalogueError extends Error {
  override name = "CatalogueError";
  constructor(readonly problems: PolicyProblem[]) {
    super(problems.map(formatProblem).join("\n"));
  }
}

export function formatProblem(problem: PolicyProblem): string {
  const where = problem.line ? `${problem.file}:${problem.line}:${problem.column ?? 1}` : problem.file;
  return `${where} ${problem.pointer || "/"}: ${problem.message}`;
}

/** A one-line description of any thrown value, for messages that must not carry a stack. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message.split("\n")[0] ?? error.name;
  return String(error);
}
