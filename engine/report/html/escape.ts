// Escaping for the HTML report: every piece of text from records, tags or the catalogue goes
// through `esc` (element content and attribute values alike), so nothing in the data is markup.

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Text safe in element content and in quoted attribute values. */
export function esc(value: unknown): string {
  return String(value ?? "").replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** A value safe as an id or a fragment: letters, digits, `-` and `_` only. */
export function slug(value: string): string {
  return value.replace(/[^A-Za-z0-9_-]/g, "-");
}

/** Joins markup fragments, dropping empty ones. */
export const join = (parts: readonly (string | false | undefined | null)[]): string =>
  parts.filter((p): p is string => typeof p === "string" && p !== "").join("\n");
