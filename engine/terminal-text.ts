// Text from items and policies (resource ids, names, tags, messages, titles) is written where a
// terminal may interpret it. A resource named "\x1b]0;...\x07" or "\x1b[2J" would retitle or clear
// the reader's terminal, and a bare carriage return can overwrite a failing line with a passing
// one. Every control character is shown as a visible escape instead.

/**
 * C0 controls (U+0000-U+001F, line breaks and tabs included: each call site prints one line), DEL,
 * C1 controls (U+0080-U+009F, CSI among them), the Unicode line and paragraph separators, and the
 * bidirectional overrides and isolates that reorder what a reader sees (U+202A-U+202E,
 * U+2066-U+2069). ESC is one of them, so an ANSI sequence loses its introducer and prints as text.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const hex = (code: number, width: number): string => code.toString(16).padStart(width, "0");

/** `text` with every control character written as `\xNN` (below U+0100) or `\uNNNN`. */
export function escapeControl(text: string): string {
  return text.replace(CONTROL, (ch) => {
    const code = ch.charCodeAt(0);
    return code < 0x100 ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`;
  });
}
