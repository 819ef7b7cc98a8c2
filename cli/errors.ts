// Errors of the CLI layer: bad usage (exit 2) apart from everything else.

/** Wrong arguments or an unreadable input file: a one-line message, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Exit codes of every command (README "Evaluating"). */
export const EXIT = {
  /** Ran, and nothing non-compliant / nothing wrong with the catalogue. */
  OK: 0,
  /** Ran, and found non-compliance or catalogue errors. */
  FINDINGS: 1,
  /** Bad usage or unreadable input. */
  USAGE: 2,
} as const;

/**
 * The reason of a file-system error without Node's code and path (the caller names the file):
 * `ENOENT: no such file or directory, open 'x.json'` -> `no such file or directory`.
 */
export function describeFsError(error: unknown): string {
  const message = error instanceof Error ? (error.message.split("\n")[0] ?? error.name) : String(error);
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (!code) return message;
  if (code === "EISDIR") return "is a directory";
  return message.match(/^[A-Z]+: (.*?)(?:, \w+ '.*')?$/)?.[1] ?? message;
}
