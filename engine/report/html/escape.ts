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

// Segments longer than this may break anywhere, so one odd id cannot push the page sideways.
const LONGEST_UNBROKEN = 40;

/**
 * An identifier (ARN, resource type, account id, e-mail address) that wraps only at its
 * separators (after `:` and `/`, before `@`), never inside a word: each segment is kept whole.
 */
export function ident(value: unknown): string {
  const text = String(value ?? "");
  const segments = text.split(/(?<=[:/])(?!:)|(?=@)/).filter((s) => s !== "");
  if (segments.length === 0) return "";
  return segments
    .map((s) =>
      s.length > LONGEST_UNBROKEN
        ? `<span class="seg long">${esc(s)}</span>`
        : `<span class="seg">${esc(s)}</span>`,
    )
    .join("<wbr>");
}
