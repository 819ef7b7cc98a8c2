// Reads configuration items from files and directories: a single item (any of the three shapes),
// an array of items, a Config snapshot (`{"configurationItems": [...]}`, `.json` or `.json.gz`),
// a Lambda invocation event, an EventBridge event or an SNS notification, and the output of the
// GetResourceConfigHistory, BatchGetResourceConfig and SelectResourceConfig APIs. Large files stream, so
// a snapshot larger than memory works. A bad file or a bad element is a problem, never a stop.

import { createReadStream, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { createGunzip, gunzipSync } from "node:zlib";
import { chain } from "stream-chain";
import { parser } from "stream-json";
import { pick } from "stream-json/filters/pick.js";
import { streamArray } from "stream-json/streamers/stream-array.js";
import { MESSAGE_TYPE } from "../engine/config-events.ts";
import { describeError, InputError } from "../engine/errors.ts";
import { looksLikeConfigurationItem } from "../engine/normalise.ts";
import { isTemplate } from "../engine/template/types.ts";
import { describeFsError } from "./errors.ts";
import { isYamlTemplateName, readTemplateFile, type TemplateInput } from "./template-input.ts";

/** One raw item read from an input, with where it came from and what the event said of it. */
export interface RawInput {
  source: string;
  raw: unknown;
  /** The Config rule said the resource left its scope. */
  eventLeftScope?: boolean;
}

export type InputEvent =
  | { kind: "item"; item: RawInput }
  | { kind: "template"; template: TemplateInput }
  | { kind: "problem"; source: string; message: string };

/** Files above this size (bytes on disk) are streamed instead of read whole. */
export const STREAM_THRESHOLD = 32 * 1024 * 1024;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseEmbedded(value: unknown, what: string): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    throw new InputError(`${what} is not valid JSON`);
  }
}

/**
 * The configuration items inside one parsed JSON value, as events: each element of an array or
 * snapshot separately, so one bad element is one problem.
 */
export function* itemsOf(value: unknown, source: string): Generator<InputEvent> {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield* itemsOf(value[i], `${source}[${i}]`);
    return;
  }
  if (!isRecord(value)) {
    yield {
      kind: "problem",
      source,
      message: "not a configuration item, snapshot or event (expected a JSON object)",
    };
    return;
  }
  try {
    if (Array.isArray(value.configurationItems)) {
      yield* itemsOf(value.configurationItems, `${source}.configurationItems`);
      return;
    }
    // BatchGetResourceConfig output.
    if (Array.isArray(value.baseConfigurationItems)) {
      yield* itemsOf(value.baseConfigurationItems, `${source}.baseConfigurationItems`);
      return;
    }
    // SelectResourceConfig output: each row a JSON string (select resourceType too, or rely on the ARN).
    if (Array.isArray(value.Results)) {
      for (const [i, row] of value.Results.entries()) {
        const at = `${source}.Results[${i}]`;
        try {
          yield* itemsOf(parseEmbedded(row, "row"), at);
        } catch (error) {
          yield { kind: "problem", source: at, message: describeError(error) };
        }
      }
      return;
    }
    // Lambda invocation event of a custom Config rule.
    if ("invokingEvent" in value) {
      const invoking = parseEmbedded(value.invokingEvent, "invokingEvent");
      yield* fromInvokingEvent(invoking, source, value.eventLeftScope === true);
      return;
    }
    // SNS notification (Config delivers to SNS as a JSON string Message).
    if (value.Type === "Notification" && value.Message !== undefined) {
      yield* itemsOf(parseEmbedded(value.Message, "SNS Message"), source);
      return;
    }
    // EventBridge event.
    if (isRecord(value.detail) && "detail-type" in value) {
      yield* fromInvokingEvent(value.detail, source, false);
      return;
    }
    if ("configurationItem" in value || "messageType" in value) {
      yield* fromInvokingEvent(value, source, false);
      return;
    }
    if (looksLikeConfigurationItem(value)) {
      yield { kind: "item", item: { source, raw: value } };
      return;
    }
  } catch (error) {
    yield { kind: "problem", source, message: describeError(error) };
    return;
  }
  yield {
    kind: "problem",
    source,
    message:
      "not a configuration item, snapshot or event: no configuration, configurationItems or invokingEvent",
  };
}

function* fromInvokingEvent(
  invoking: unknown,
  source: string,
  eventLeftScope: boolean,
): Generator<InputEvent> {
  if (!isRecord(invoking)) {
    yield { kind: "problem", source, message: "invokingEvent is not a JSON object" };
    return;
  }
  const type = invoking.messageType;
  if (isRecord(invoking.configurationItem)) {
    yield { kind: "item", item: { source, raw: invoking.configurationItem, eventLeftScope } };
    return;
  }
  // The 2014 documentation's SNS notifications carry a list of items.
  if (Array.isArray(invoking.configurationItem)) {
    for (const [i, raw] of invoking.configurationItem.entries()) {
      yield { kind: "item", item: { source: `${source}.configurationItem[${i}]`, raw, eventLeftScope } };
    }
    return;
  }
  if (type === MESSAGE_TYPE.oversized) {
    yield {
      kind: "problem",
      source,
      message:
        "oversized notification carries no configuration; offline it cannot be evaluated (the Config rule fetches it with GetResourceConfigHistory)",
    };
    return;
  }
  if (type === MESSAGE_TYPE.scheduled || type === MESSAGE_TYPE.snapshotDelivered) {
    yield { kind: "problem", source, message: `${String(type)} carries no configuration item to evaluate` };
    return;
  }
  yield {
    kind: "problem",
    source,
    message: `event of type ${String(type ?? "unknown")} has no configurationItem`,
  };
}

/** Every file a path names: itself, or the .json / .json.gz files under a directory, sorted. */
export function expandPath(path: string): string[] {
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(path);
  } catch (error) {
    throw new InputError(describeFsError(error), path);
  }
  if (!stat.isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const child = join(path, entry.name);
      if (entry.isDirectory()) return expandPath(child);
      return /\.json(\.gz)?$/.test(entry.name) || isYamlTemplateName(entry.name) ? [child] : [];
    });
}

function readWhole(file: string): unknown {
  let buffer: Buffer = readFileSync(file);
  if (file.endsWith(".gz")) {
    try {
      buffer = gunzipSync(buffer);
    } catch (error) {
      throw new InputError(`cannot decompress: ${describeError(error)}`, file);
    }
  }
  try {
    return JSON.parse(buffer.toString("utf8"));
  } catch (error) {
    throw new InputError(`not valid JSON: ${describeError(error)}`, file);
  }
}

function openStream(file: string): Readable {
  const stream = createReadStream(file);
  return file.endsWith(".gz") ? stream.pipe(createGunzip()) : stream;
}

async function firstChar(file: string): Promise<string> {
  for await (const chunk of openStream(file)) {
    const text = (chunk as Buffer).toString("utf8").trimStart();
    if (text.length > 0) return text[0]!;
  }
  return "";
}

/** Streams the elements of a top-level array or of a snapshot's `configurationItems`. */
async function* streamItems(file: string): AsyncGenerator<InputEvent> {
  const first = await firstChar(file);
  if (first !== "[" && first !== "{") {
    yield { kind: "problem", source: file, message: "not valid JSON: expected an array or an object" };
    return;
  }
  const steps =
    first === "["
      ? [parser(), streamArray()]
      : [parser(), pick({ filter: "configurationItems" }), streamArray()];
  const pipeline = chain([openStream(file), ...steps]) as unknown as Readable;
  let count = 0;
  try {
    for await (const { key, value } of pipeline as AsyncIterable<{ key: number; value: unknown }>) {
      count++;
      const source = first === "[" ? `${file}[${key}]` : `${file}.configurationItems[${key}]`;
      yield* itemsOf(value, source);
    }
  } catch (error) {
    yield {
      kind: "problem",
      source: file,
      message: `stopped reading after ${count} items: ${describeError(error)}`,
    };
    return;
  }
  if (count === 0 && first === "{") {
    yield {
      kind: "problem",
      source: file,
      message: 'a large file must be a snapshot ({"configurationItems": [...]}) or an array',
    };
  }
}

/** Every item of every input path, in order; problems as events, never as exceptions. */
export async function* readInputs(paths: string[], threshold = STREAM_THRESHOLD): AsyncGenerator<InputEvent> {
  for (const path of paths) {
    let files: string[];
    try {
      files = expandPath(path);
    } catch (error) {
      yield { kind: "problem", source: path, message: describeFsError(error) };
      continue;
    }
    for (const file of files) {
      try {
        if (statSync(file).size > threshold) {
          yield* streamItems(file);
        } else if (isYamlTemplateName(file)) {
          yield { kind: "template", template: readTemplateFile(file)! };
        } else {
          const value = readWhole(file);
          const template = isTemplate(value) ? readTemplateFile(file) : undefined;
          if (template) yield { kind: "template", template };
          else yield* itemsOf(value, file);
        }
      } catch (error) {
        const message =
          error instanceof InputError ? error.message : `cannot read: ${describeFsError(error)}`;
        yield { kind: "problem", source: file, message };
      }
    }
  }
}

/** Readable for tests: items of an in-memory JSON text, as `readInputs` sees a file. */
export function itemsOfText(text: string, source: string): InputEvent[] {
  try {
    return [...itemsOf(JSON.parse(text), source)];
  } catch (error) {
    return [{ kind: "problem", source, message: `not valid JSON: ${describeError(error)}` }];
  }
}
