// Splits a stream of JSON bytes into the values worth parsing one at a time, without parsing:
// the elements of a top-level array, the elements of a snapshot's list (`configurationItems`,
// `baseConfigurationItems`, `Results`), and every other top-level value whole (a single item or
// event, one line of NDJSON). It only follows strings (with their escapes) and bracket depth, so
// it costs a fraction of `JSON.parse`; each value it cuts out is then parsed by `JSON.parse`.
// Chunks may split the input anywhere (inside a string, an escape or a multi-byte character).
// Memory stays bounded by the largest value: a value larger than `maxItemBytes` or nested
// deeper than `maxDepth` is skipped (and reported) while the scan goes on.

/** The lists of a top-level object whose elements are read one by one (see cli/inputs.ts). */
export const LIST_KEYS: ReadonlySet<string> = new Set([
  "configurationItems",
  "baseConfigurationItems",
  "Results",
]);

export interface ScanLimits {
  /** Bytes of one value (an element, or a top-level value that is not a list). */
  maxItemBytes: number;
  /** Containers nested inside one another, counted from the top of the input. */
  maxDepth: number;
}

/** Where a value sits: the top-level value it belongs to, and its index in a list. */
export interface ValuePlace {
  /** 0 for the first top-level value of the input, 1 for the next (NDJSON, concatenated JSON)... */
  top: number;
  /** The line the top-level value starts on (1-based). */
  topLine: number;
  /** The list the value is an element of: "" a top-level array, else the snapshot key; none: the top-level value itself. */
  list?: string;
  index: number;
  /** Line and column (1-based, columns in bytes) where the value starts. */
  line: number;
  column: number;
}

export type ScanEvent =
  | ({ kind: "value"; bytes: Buffer } & ValuePlace)
  | ({ kind: "problem"; message: string } & ValuePlace)
  /** The input is not JSON from here on (outside any value); nothing more is read, except in line mode. */
  | ({ kind: "fatal"; message: string } & ValuePlace);

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const NEWLINE = 0x0a;

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
/** Bytes that may start a JSON scalar: a number, true, false, null. */
const startsScalar = (c: number) =>
  c === 0x2d || (c >= 0x30 && c <= 0x39) || c === 0x74 || c === 0x66 || c === 0x6e;

/** Words for a byte that cannot start a JSON value, never the byte itself (it may be part of a secret). */
export function describeByte(c: number): string {
  if (c === CLOSE_BRACE || c === CLOSE_BRACKET) return "closing bracket";
  if (c === COMMA || c === COLON) return "separator";
  if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) return "letter";
  if (c < 0x20 || c === 0x7f) return "control character (binary data?)";
  if (c >= 0x80) return "non-ASCII byte";
  return "character";
}

/**
 * A push scanner: `push` each chunk, then `end`; each returns the events found so far, in input
 * order. Values are views into the chunks (or copies when they span chunks); they stay valid.
 */
export class JsonScanner {
  private readonly maxItemBytes: number;
  private readonly maxDepth: number;
  /** NDJSON: every line is one top-level value; a value cut by a line end is one problem. */
  private lineMode: boolean;

  private depth = 0;
  private inString = false;
  private escape = false;
  /** Inside a scalar (number, true, false, null, or garbage) at the depth of the values collected. */
  private inScalar = false;
  /** After a fatal error outside line mode: nothing more is read. */
  private stopped = false;
  /** In line mode after an error: skip to the end of the line. */
  private skipLine = false;

  private line = 1;
  /** Absolute offset of the current line's start, and of the current chunk's start. */
  private lineStart = 0;
  private chunkStart = 0;

  // The top-level value.
  private top = -1;
  private topLine = 1;
  private topKind: "array" | "object" | "scalar" | "" = "";
  /** The first top-level value started and ended on one line (an NDJSON candidate). */
  private firstOneLine = false;

  // The list whose elements are collected: the depth of its elements (1: top-level array, 2: a snapshot list).
  private listDepth = 0;
  private listKey = "";
  private index = 0;
  /** Waiting for the next element of the list (after `[` or `,`). */
  private expectElement = false;

  // Keys of a top-level object: the last string at depth 1, and the key before the current `:`.
  private keyParts: Buffer[] = [];
  private keyBytes = 0;
  private lastString = "";
  private currentKey = "";

  // The value being collected.
  private collecting = false;
  /** Start of the value in the current chunk (0 when it began in an earlier chunk). */
  private valueStart = -1;
  private parts: Buffer[] = [];
  private partBytes = 0;
  private valueLine = 1;
  private valueColumn = 1;
  private valueList: string | undefined;
  private valueIndex = 0;
  /** Why the value is skipped (too large, too deep), or "" while it is collected. */
  private skipReason = "";

  private events: ScanEvent[] = [];

  constructor(limits: ScanLimits, options: { lines?: boolean } = {}) {
    this.maxItemBytes = limits.maxItemBytes;
    this.maxDepth = limits.maxDepth;
    this.lineMode = options.lines === true;
  }

  /** Every line holds one value (NDJSON): asked for, or found so (a one-line value followed by another). */
  get inLineMode(): boolean {
    return this.lineMode;
  }

  /** Values found so far (top-level values seen). */
  get topLevelValues(): number {
    return this.top + 1;
  }

  push(buf: Buffer): ScanEvent[] {
    this.events = [];
    if (!this.stopped) this.scan(buf);
    this.chunkStart += buf.length;
    return this.events;
  }

  /** The input ended: a value still open is a problem. */
  end(): ScanEvent[] {
    this.events = [];
    if (this.stopped) return this.events;
    if (this.inScalar) this.endScalar(null, 0);
    if (this.depth > 0 || this.inString) {
      const place = this.collecting ? this.valuePlace() : this.place(this.line, 1);
      const where = this.collecting
        ? ` (the value starting at line ${place.line}, column ${place.column})`
        : "";
      this.emit({ kind: "problem", message: `not valid JSON: unexpected end of input${where}`, ...place });
    }
    this.resetValue();
    return this.events;
  }

  private place(line: number, column: number): ValuePlace {
    return { top: this.top, topLine: this.topLine, index: this.index, line, column, list: undefined };
  }

  private valuePlace(): ValuePlace {
    return {
      top: this.top,
      topLine: this.topLine,
      list: this.valueList,
      index: this.valueIndex,
      line: this.valueLine,
      column: this.valueColumn,
    };
  }

  private emit(event: ScanEvent): void {
    this.events.push(event);
  }

  /** A value starts at `i` of the current chunk. */
  private startValue(i: number, list: string | undefined, index: number): void {
    this.collecting = true;
    this.valueStart = i;
    this.parts = [];
    this.partBytes = 0;
    this.skipReason = "";
    this.valueLine = this.line;
    this.valueColumn = this.chunkStart + i - this.lineStart + 1;
    this.valueList = list;
    this.valueIndex = index;
  }

  /** The value being collected ends at `end` (exclusive) of `buf`. */
  private endValue(buf: Buffer, end: number): void {
    if (!this.collecting) return;
    const place = this.valuePlace();
    if (this.skipReason) {
      this.emit({ kind: "problem", message: this.skipReason, ...place });
    } else {
      const tail = buf.subarray(this.valueStart, end);
      const bytes = this.parts.length === 0 ? tail : Buffer.concat([...this.parts, tail]);
      if (bytes.length > this.maxItemBytes) {
        this.emit({ kind: "problem", message: this.tooLarge(), ...place });
      } else {
        this.emit({ kind: "value", bytes, ...place });
      }
    }
    this.resetValue();
  }

  private resetValue(): void {
    this.collecting = false;
    this.valueStart = -1;
    this.parts = [];
    this.partBytes = 0;
    this.skipReason = "";
  }

  private tooLarge(): string {
    return `larger than the item size limit (--max-item-size ${formatBytes(this.maxItemBytes)}): skipped`;
  }

  /** Abandons the value being collected without a word (a snapshot list starts inside it). */
  private dropValue(): void {
    this.resetValue();
  }

  private fatal(message: string, i: number): void {
    const place = this.place(this.line, this.chunkStart + i - this.lineStart + 1);
    if (this.collecting) {
      place.list = this.valueList;
      place.index = this.valueIndex;
    }
    this.resetValue();
    this.emit({
      kind: "fatal",
      message: `${message} at line ${place.line}, column ${place.column}`,
      ...place,
    });
    this.depth = 0;
    this.inString = false;
    this.escape = false;
    this.inScalar = false;
    this.listDepth = 0;
    if (this.lineMode) this.skipLine = true;
    else this.stopped = true;
  }

  /** A top-level value starts at `i` with byte `c`. */
  private startTop(c: number, i: number): boolean {
    this.top++;
    if (this.top === 1 && this.firstOneLine && !this.lineMode) this.lineMode = true;
    this.topLine = this.line;
    this.index = 0;
    this.listDepth = 0;
    this.listKey = "";
    this.currentKey = "";
    this.lastString = "";
    if (c === OPEN_BRACKET) {
      this.topKind = "array";
      this.listDepth = 1;
      this.expectElement = true;
      return true;
    }
    if (c === OPEN_BRACE) {
      this.topKind = "object";
      this.startValue(i, undefined, 0);
      return true;
    }
    if (c === QUOTE || startsScalar(c)) {
      this.topKind = "scalar";
      this.startValue(i, undefined, 0);
      return true;
    }
    this.top--;
    this.fatal(`not valid JSON: unexpected ${describeByte(c)}`, i);
    return false;
  }

  /** The top-level value ended (its last byte was before `i`). */
  private endTop(): void {
    if (this.top === 0) this.firstOneLine = this.line === this.topLine;
    this.topKind = "";
    this.listDepth = 0;
  }

  /** A scalar at the collected depth ends before `i` of `buf` (null: the input ended). */
  private endScalar(buf: Buffer | null, i: number): void {
    this.inScalar = false;
    if (buf) this.endValue(buf, i);
    else if (this.collecting) {
      // End of input right after a scalar: the parts hold it whole.
      const bytes = Buffer.concat(this.parts);
      const place = this.valuePlace();
      if (this.skipReason) this.emit({ kind: "problem", message: this.skipReason, ...place });
      else this.emit({ kind: "value", bytes, ...place });
      this.resetValue();
    }
    if (this.depth === 0) this.endTop();
  }

  private scan(buf: Buffer): void {
    const n = buf.length;
    let i = 0;
    if (this.collecting) this.valueStart = 0;
    while (i < n) {
      if (this.stopped) break;
      if (this.skipLine) {
        const nl = buf.indexOf(NEWLINE, i);
        if (nl === -1) {
          i = n;
          break;
        }
        this.skipLine = false;
        i = nl;
      }
      if (this.depth > this.deepFloor()) {
        i = this.skipDeep(buf, i);
        if (i >= n) break;
      }
      if (this.inString) {
        if (this.escape) {
          this.escape = false;
          i++;
        }
        for (; i < n; i++) {
          const s = buf[i]!;
          if (s === QUOTE) break;
          if (s === BACKSLASH) {
            if (i + 1 >= n) {
              this.escape = true;
              i = n;
              break;
            }
            i++;
          } else if (s === NEWLINE && this.lineMode) {
            break;
          }
        }
        if (i >= n) break;
        if (buf[i] === NEWLINE) {
          // A line ends inside a string: in NDJSON this line's value is broken.
          this.inString = false;
          this.lineBreak(buf, i);
          i++;
          continue;
        }
        this.inString = false;
        this.stringEnded(buf, i);
        i++;
        continue;
      }
      const c = buf[i]!;
      if (this.inScalar) {
        if (
          isSpace(c) ||
          c === COMMA ||
          c === CLOSE_BRACKET ||
          c === CLOSE_BRACE ||
          c === OPEN_BRACE ||
          c === OPEN_BRACKET ||
          c === QUOTE
        ) {
          this.endScalar(buf, i);
          // The byte that ended the scalar is read again below.
        } else {
          i++;
          continue;
        }
      }
      switch (c) {
        case QUOTE:
          if (!this.beforeValue(c, i)) break;
          this.inString = true;
          if (this.depth === 1 && this.topKind === "object") {
            this.keyParts = [];
            this.keyBytes = 0;
            this.keyStart = i + 1;
          }
          break;
        case OPEN_BRACE:
        case OPEN_BRACKET:
          if (!this.beforeValue(c, i)) break;
          this.depth++;
          if (this.depth > this.maxDepth && this.collecting && !this.skipReason) this.tooDeep();
          if (this.depth === 1) break; // startTop set it up
          if (
            c === OPEN_BRACKET &&
            this.depth === 2 &&
            this.topKind === "object" &&
            this.listDepth === 0 &&
            LIST_KEYS.has(this.currentKey)
          ) {
            // A snapshot's list: its elements are read one by one, the rest of the object is not kept.
            this.dropValue();
            this.listDepth = 2;
            this.listKey = this.currentKey;
            this.index = 0;
            this.expectElement = true;
          }
          break;
        case CLOSE_BRACE:
        case CLOSE_BRACKET:
          if (this.depth === 0) {
            this.fatal(`not valid JSON: unexpected ${describeByte(c)}`, i);
            break;
          }
          if (this.depth === this.listDepth) {
            // The list closes.
            if (this.expectElement && this.index > 0) this.missingValue(i);
            this.expectElement = false;
            this.listDepth = this.listDepth === 1 ? 0 : -1;
            this.depth--;
            if (this.depth === 0) this.endTop();
            break;
          }
          this.depth--;
          if (this.collecting && this.depth === this.valueDepth()) {
            this.endValue(buf, i + 1);
          }
          if (this.depth === 0) this.endTop();
          break;
        case COMMA:
          if (this.depth === 0) {
            this.fatal("not valid JSON: unexpected separator", i);
          } else if (this.depth === this.listDepth) {
            if (this.expectElement) this.missingValue(i);
            this.index++;
            this.expectElement = true;
          } else if (this.depth === 1 && this.topKind === "object") {
            this.currentKey = "";
          }
          break;
        case COLON:
          if (this.depth === 1 && this.topKind === "object") this.currentKey = this.lastString;
          break;
        case NEWLINE:
          this.lineBreak(buf, i);
          break;
        case 0x20:
        case 0x0d:
        case 0x09:
          break;
        default:
          if (!this.beforeValue(c, i)) break;
          if (this.depth === 0 || this.depth === this.listDepth) this.inScalar = true;
          break;
      }
      i++;
    }
    // The chunk ends: keep what belongs to the value being collected.
    if (this.collecting && !this.skipReason && this.valueStart >= 0 && this.valueStart < n) {
      const part = buf.subarray(this.valueStart, n);
      this.parts.push(part);
      this.partBytes += part.length;
      if (this.partBytes > this.maxItemBytes) {
        this.skipReason = this.tooLarge();
        this.parts = [];
        this.partBytes = 0;
      }
    }
    if (this.inString && this.keyStart >= 0 && this.depth === 1 && this.topKind === "object") {
      const part = buf.subarray(this.keyStart, n);
      if (this.keyBytes + part.length <= 256) this.keyParts.push(part);
      this.keyBytes += part.length;
      this.keyStart = 0;
    } else {
      this.keyStart = -1;
    }
  }

  /** Below this depth every byte may matter; deeper, only strings, brackets and lines do. */
  private deepFloor(): number {
    return this.listDepth > 0 ? this.listDepth : 1;
  }

  /**
   * The hot loop: inside a value deeper than the structure the scanner follows, only strings,
   * brackets and line ends matter. Returns where the general loop goes on: at a bracket that
   * closes back to the floor, at a line end in line mode, or at the end of the chunk.
   */
  private skipDeep(buf: Buffer, from: number): number {
    const n = buf.length;
    const floor = this.deepFloor();
    const lineMode = this.lineMode;
    let depth = this.depth;
    let i = from;
    if (this.inString) {
      const end = this.stringEnd(buf, i);
      if (end < 0 || buf[end] === NEWLINE) return end < 0 ? n : end;
      this.inString = false;
      i = end + 1;
    }
    for (; i < n; i++) {
      const c = buf[i]!;
      if (c === QUOTE) {
        // Strings are most of the bytes: jump from quote to quote (memchr) instead of byte by byte.
        const end = this.stringEnd(buf, i + 1);
        if (end < 0 || buf[end] === NEWLINE) {
          this.inString = true;
          this.depth = depth;
          return end < 0 ? n : end;
        }
        i = end;
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        if (++depth > this.maxDepth && this.collecting && !this.skipReason) {
          this.depth = depth;
          this.tooDeep();
        }
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        if (depth - 1 <= floor) break;
        depth--;
      } else if (c === NEWLINE) {
        if (lineMode) break;
        this.line++;
        this.lineStart = this.chunkStart + i + 1;
      }
    }
    this.depth = depth;
    return i;
  }

  /**
   * The closing quote of a string whose content starts at `from`: its index; -1 when the chunk
   * ends first (then `escape` says whether the chunk ended inside an escape); in line mode the
   * index of a line end inside the string.
   */
  private stringEnd(buf: Buffer, from: number): number {
    let start = from;
    if (this.escape) {
      this.escape = false;
      start++;
    }
    let q = start - 1;
    for (;;) {
      q = buf.indexOf(QUOTE, q + 1);
      if (q < 0) {
        // The chunk ends inside the string: does it end inside an escape?
        let k = buf.length - 1;
        while (k >= start && buf[k] === BACKSLASH) k--;
        this.escape = (buf.length - 1 - k) % 2 === 1;
        if (this.lineMode) {
          const nl = buf.indexOf(NEWLINE, start);
          if (nl >= 0) {
            this.escape = false;
            return nl;
          }
        }
        return -1;
      }
      let k = q - 1;
      while (k >= start && buf[k] === BACKSLASH) k--;
      if ((q - 1 - k) % 2 === 0) break;
    }
    if (this.lineMode) {
      const nl = buf.indexOf(NEWLINE, start);
      if (nl >= 0 && nl < q) return nl;
    }
    return q;
  }

  private tooDeep(): void {
    this.skipReason = `nested deeper than the depth limit (--max-depth ${this.maxDepth}): skipped`;
    this.parts = [];
    this.partBytes = 0;
  }

  /** Start of a key string at depth 1 in the current chunk (-1: none). */
  private keyStart = -1;

  private stringEnded(buf: Buffer, i: number): void {
    if (this.depth === 1 && this.topKind === "object" && this.keyStart >= 0) {
      const tail = buf.subarray(this.keyStart, i);
      this.lastString = this.keyBytes + tail.length > 256 ? "" : decodeKey(this.keyParts, tail);
      this.keyStart = -1;
      this.keyParts = [];
      this.keyBytes = 0;
    }
    if (this.collecting && this.depth === this.valueDepth()) this.endValue(buf, i + 1);
    if (this.depth === 0) this.endTop();
  }

  /** The depth at which the value being collected sits. */
  private valueDepth(): number {
    return this.valueList === undefined ? 0 : this.listDepth;
  }

  /** Called before a byte that starts a value: sets up a top-level value or a list element. */
  private beforeValue(c: number, i: number): boolean {
    if (this.depth === 0) return this.startTop(c, i);
    if (this.depth === this.listDepth) {
      if (!this.expectElement) {
        this.fatal("not valid JSON: expected ',' between elements", i);
        return false;
      }
      this.expectElement = false;
      this.startValue(i, this.listKey, this.index);
    }
    return true;
  }

  private missingValue(i: number): void {
    const place = this.place(this.line, this.chunkStart + i - this.lineStart + 1);
    place.list = this.listKey;
    this.emit({
      kind: "problem",
      message: `not valid JSON: missing element at line ${place.line}, column ${place.column}`,
      ...place,
    });
  }

  private lineBreak(buf: Buffer, i: number): void {
    if (this.lineMode && (this.depth > 0 || this.inScalar || this.collecting)) {
      if (this.inScalar) {
        this.endScalar(buf, i);
      } else {
        const place = this.collecting ? this.valuePlace() : this.place(this.line, 1);
        this.resetValue();
        this.emit({
          kind: "problem",
          message: `not valid JSON: the line ends before the value does (line ${this.line})`,
          ...place,
        });
        this.depth = 0;
        this.inString = false;
        this.escape = false;
        this.listDepth = 0;
        this.endTop();
      }
    }
    this.line++;
    this.lineStart = this.chunkStart + i + 1;
  }
}

/** The text of a key from its raw bytes (without quotes); escapes decoded. */
function decodeKey(parts: Buffer[], tail: Buffer): string {
  const raw = (parts.length === 0 ? tail : Buffer.concat([...parts, tail])).toString("utf8");
  if (!raw.includes("\\")) return raw;
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return "";
  }
}

/** 33554432 -> "32MiB". */
export function formatBytes(bytes: number): string {
  for (const [unit, size] of [
    ["GiB", 1024 ** 3],
    ["MiB", 1024 ** 2],
    ["KiB", 1024],
  ] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return `${bytes}B`;
}
