// Why a text is not JSON, in words that never quote it: `JSON.parse`'s own messages repeat the
// input (`Unexpected token 'h', "hunter2-SE"... is not valid JSON`), and configuration items carry
// secrets such as Lambda environment variables. Runs only after `JSON.parse` failed.

export interface JsonSyntaxError {
  /** What is wrong, e.g. "unterminated string". */
  kind: string;
  /** Offset in the text (UTF-16 code units) where it is wrong. */
  offset: number;
}

const WS = new Set([" ", "\t", "\n", "\r"]);

function describeChar(ch: string | undefined): string {
  if (ch === undefined) return "end of input";
  const code = ch.charCodeAt(0);
  if (/[A-Za-z]/.test(ch)) return "letter";
  if (/[0-9]/.test(ch)) return "digit";
  if (ch === "}" || ch === "]") return "closing bracket";
  if (ch === "{" || ch === "[") return "opening bracket";
  if (ch === "," || ch === ":") return "separator";
  if (ch === '"') return "quote";
  if (code < 0x20 || code === 0x7f) return "control character";
  if (code === 0xfffd) return "byte that is not UTF-8";
  if (code > 0x7f) return "non-ASCII character";
  return "character";
}

/** The first syntax error of `text`, or undefined when it is valid JSON. */
export function findJsonError(text: string): JsonSyntaxError | undefined {
  let i = 0;
  const n = text.length;
  const err = (kind: string, at = i): JsonSyntaxError => ({ kind, offset: at });
  const unexpected = (at = i): JsonSyntaxError =>
    at >= n ? err("unexpected end of input", n) : err(`unexpected ${describeChar(text[at])}`, at);
  const skipWs = () => {
    while (i < n && WS.has(text[i]!)) i++;
  };
  const string = (): JsonSyntaxError | undefined => {
    const start = i;
    i++;
    while (i < n) {
      const code = text.charCodeAt(i);
      if (code === 0x22) {
        i++;
        return undefined;
      }
      if (code === 0x5c) {
        const next = text[i + 1];
        if (next === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6)))
            return err("invalid \\u escape in a string");
          i += 6;
          continue;
        }
        if (next === undefined || !'"\\/bfnrt'.includes(next)) return err("invalid escape in a string");
        i += 2;
        continue;
      }
      if (code < 0x20) return err("control character in a string (a line break?)");
      i++;
    }
    return err("unterminated string", start);
  };
  const number = (): JsonSyntaxError | undefined => {
    const match = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 400));
    if (!match || match[0] === "-" || match[0].length === 0) return err("invalid number");
    i += match[0].length;
    return undefined;
  };
  // A member's name and its colon, the cursor at the name's opening quote (whitespace skipped).
  const propertyName = (): JsonSyntaxError | undefined => {
    if (text[i] !== '"') return err(i >= n ? "unexpected end of input" : "expected a property name");
    const k = string();
    if (k) return k;
    skipWs();
    if (text[i] !== ":")
      return err(i >= n ? "unexpected end of input" : "expected ':' after a property name");
    i++;
    return undefined;
  };
  // An explicit stack instead of recursion: a deeply nested text must not overflow the call stack.
  const stack: ("{" | "[")[] = [];
  const value = (): JsonSyntaxError | undefined => {
    skipWs();
    const ch = text[i];
    if (ch === '"') return string();
    if (ch === "-" || (ch !== undefined && ch >= "0" && ch <= "9")) return number();
    for (const word of ["true", "false", "null"]) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return undefined;
      }
    }
    if (ch === "{" || ch === "[") {
      stack.push(ch);
      i++;
      return undefined;
    }
    return unexpected();
  };
  // After a value: close containers, or go on with the next element / member.
  let pendingValue = true;
  for (;;) {
    if (pendingValue) {
      const before = stack.length;
      const e = value();
      if (e) return e;
      if (stack.length > before) {
        // Just opened a container: empty, or its first member / element.
        skipWs();
        const open = stack[stack.length - 1];
        if ((open === "{" && text[i] === "}") || (open === "[" && text[i] === "]")) {
          stack.pop();
          i++;
        } else if (open === "{") {
          const k = propertyName();
          if (k) return k;
          continue;
        } else {
          continue;
        }
      }
      pendingValue = false;
    }
    skipWs();
    const open = stack[stack.length - 1];
    if (open === undefined) {
      return i < n ? err("unexpected text after the JSON value") : undefined;
    }
    const close = open === "{" ? "}" : "]";
    if (text[i] === close) {
      stack.pop();
      i++;
      continue;
    }
    if (text[i] !== ",") {
      if (i >= n) return err("unexpected end of input");
      return err(
        open === "{" ? "expected ',' or '}' after a property value" : "expected ',' or ']' after an element",
      );
    }
    i++;
    if (open === "{") {
      skipWs();
      const k = propertyName();
      if (k) return k;
    }
    pendingValue = true;
  }
}

/** Line and column (1-based) of `offset` in `text`, counted from a start at `line`, `column`. */
export function positionOf(
  text: string,
  offset: number,
  line = 1,
  column = 1,
): { line: number; column: number } {
  let l = line;
  let lineStart = -1;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    l++;
    lineStart = i;
  }
  return { line: l, column: lineStart === -1 ? column + offset : offset - lineStart };
}

/**
 * `JSON.parse`, with a failure described by kind and position only: "not valid JSON: unterminated
 * string at line 3, column 17". `line` and `column` place the text in its file.
 */
export function parseJson(text: string, line = 1, column = 1): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    if (!(error instanceof SyntaxError)) return { error: "not valid JSON: too deeply nested to read" };
    const found = findJsonError(text) ?? { kind: "not readable", offset: 0 };
    const at = positionOf(text, found.offset, line, column);
    return { error: `not valid JSON: ${found.kind} at line ${at.line}, column ${at.column}` };
  }
}
