// Reads planned inputs as raw elements: the bytes of each value worth parsing on its own, named
// for messages (`file[3]`, `file.configurationItems[2]`, `file:14` for the 14th line of NDJSON).
// Parsing each element (and finding the items in it) is `eventsOfElement`: apart, so that worker
// threads can do it while the main thread reads on.

import type { Readable } from "node:stream";
import { describeError, InputError } from "../../engine/errors.ts";
import { describeFsError } from "../errors.ts";
import { type InputEvent, itemsOf, itemsOfListElement } from "../inputs.ts";
import type { PlannedFile } from "./files.ts";
import { parseJson } from "./json-error.ts";
import type { InputLimits } from "./limits.ts";
import { JsonScanner, type ScanEvent } from "./scanner.ts";
import { fileJsonBytes, jsonBytes } from "./source.ts";

/** One value to parse: its UTF-8 bytes, and where it came from. */
export interface RawElement {
  source: string;
  bytes: Uint8Array;
  /** The snapshot list it is an element of ("" a top-level array); none: a whole top-level value. */
  list?: string;
  /** Where it starts in its file, for syntax errors. */
  line: number;
  column: number;
}

export type ElementEvent =
  | { kind: "element"; element: RawElement }
  | { kind: "problem"; source: string; message: string };

export interface ReadOptions {
  limits: InputLimits;
  /** What `-` reads. */
  stdin?: Readable;
}

/** How stdin is named in messages. */
export const STDIN_NAME = "stdin";

/**
 * `file`, `file[3]`, `file.configurationItems[3]`; with more than one top-level value (`lines`, or
 * any value after the first), each is named by its line: `file:14`, `file:14[0]`.
 */
function nameOf(file: string, lines: boolean, event: ScanEvent): string {
  const whole = lines || event.top > 0 ? `${file}:${event.topLine}` : file;
  if (event.list === undefined) {
    if (event.kind === "fatal" && lines) return `${file}:${event.line}`;
    return whole;
  }
  return event.list === "" ? `${whole}[${event.index}]` : `${whole}.${event.list}[${event.index}]`;
}

function toEvent(file: string, lines: boolean, event: ScanEvent): ElementEvent {
  const source = nameOf(file, lines, event);
  if (event.kind === "value") {
    return {
      kind: "element",
      element: { source, bytes: event.bytes, list: event.list, line: event.line, column: event.column },
    };
  }
  return { kind: "problem", source, message: event.message };
}

/** The elements of one file or stream, in order; a failure to read is a problem after what was read. */
async function* elementsOf(
  name: string,
  chunks: AsyncGenerator<Buffer>,
  lines: boolean,
  limits: InputLimits,
): AsyncGenerator<ElementEvent> {
  const scanner = new JsonScanner(limits, { lines });
  // The first top-level value is named by the file alone, unless more values follow (NDJSON):
  // then it is `file:1` like the others. So it waits for the next event.
  let held: ScanEvent | undefined;
  const convert = function* (events: ScanEvent[]): Generator<ElementEvent> {
    for (const event of events) {
      if (held) {
        yield toEvent(name, lines || event.top > 0, held);
        held = undefined;
      }
      if (!lines && event.top === 0 && event.list === undefined && event.kind !== "fatal") held = event;
      else yield toEvent(name, lines || scanner.inLineMode, event);
    }
  };
  let found = 0;
  try {
    for await (const chunk of chunks) {
      const events = scanner.push(chunk);
      found += events.length;
      yield* convert(events);
    }
  } catch (error) {
    if (held) yield toEvent(name, lines, held);
    const reason = error instanceof InputError ? error.message : `cannot read: ${describeFsError(error)}`;
    yield { kind: "problem", source: name, message: reason };
    return;
  }
  const last = scanner.end();
  found += last.length;
  yield* convert(last);
  if (held) yield toEvent(name, lines, held);
  if (found === 0 && scanner.topLevelValues === 0) {
    yield { kind: "problem", source: name, message: "empty: no JSON value in it" };
  }
}

/** The raw elements of every planned file, in order; problems as events, never as exceptions. */
export async function* readElements(
  files: PlannedFile[],
  options: ReadOptions,
): AsyncGenerator<ElementEvent> {
  for (const file of files) {
    if (file.problem) {
      yield { kind: "problem", source: file.path, message: file.problem };
      continue;
    }
    if (file.path === "-") {
      if (!options.stdin) {
        yield { kind: "problem", source: STDIN_NAME, message: "stdin cannot be read here" };
        continue;
      }
      yield* elementsOf(STDIN_NAME, jsonBytes(options.stdin, options.limits), file.lines, options.limits);
      continue;
    }
    yield* elementsOf(file.path, fileJsonBytes(file.path, options.limits), file.lines, options.limits);
  }
}

/** Parses one element and finds the configuration items in it (each bad part one problem). */
export function eventsOfElement(element: RawElement): InputEvent[] {
  const text = Buffer.from(element.bytes.buffer, element.bytes.byteOffset, element.bytes.byteLength).toString(
    "utf8",
  );
  const parsed = parseJson(text, element.line, element.column);
  if ("error" in parsed) return [{ kind: "problem", source: element.source, message: parsed.error }];
  try {
    if (element.list === undefined || element.list === "") return [...itemsOf(parsed.value, element.source)];
    return [...itemsOfListElement(element.list, parsed.value, element.source)];
  } catch (error) {
    return [{ kind: "problem", source: element.source, message: describeError(error) }];
  }
}
