// Reads configuration items from files and directories: a single item (any of the three shapes),
// an array of items, a Config snapshot (`{"configurationItems": [...]}`, `.json` or `.json.gz`),
// a Lambda invocation event, an EventBridge event or an SNS notification, and the output of the
// GetResourceConfigHistory, BatchGetResourceConfig and SelectResourceConfig APIs, and NDJSON (one of
// those a line). Every input streams (cli/reader/), so a snapshot larger than memory works. A bad
// file or a bad element is a problem, never a stop.

import type { Readable } from "node:stream";
import { MESSAGE_TYPE } from "../engine/config-events.ts";
import { describeError, InputError } from "../engine/errors.ts";
import { looksLikeConfigurationItem } from "../engine/normalise.ts";
import { looksLikeTemplate } from "../engine/template/types.ts";
import { type PlannedFile, planInputs } from "./reader/files.ts";
import { parseJson } from "./reader/json-error.ts";
import { DEFAULT_LIMITS, type InputLimits } from "./reader/limits.ts";
import { eventsOfElement, readElements } from "./reader/read.ts";

/** One raw item read from an input, with where it came from and what the event said of it. */
export interface RawInput {
  source: string;
  raw: unknown;
  /** The Config rule said the resource left its scope. */
  eventLeftScope?: boolean;
}

export type InputEvent =
  | { kind: "item"; item: RawInput }
  | { kind: "problem"; source: string; message: string };

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
  if (looksLikeTemplate(value)) {
    // A file is told a template by its content before it is read as items; stdin is read as items.
    yield {
      kind: "problem",
      source,
      message:
        "a CloudFormation template: templates are read from a file, so that findings can name their lines (give its path, not -)",
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

/** The items of one element of a snapshot's list (`configurationItems`, `baseConfigurationItems`, `Results`). */
export function* itemsOfListElement(list: string, value: unknown, source: string): Generator<InputEvent> {
  if (list !== "Results") {
    yield* itemsOf(value, source);
    return;
  }
  // SelectResourceConfig output: each row a JSON string.
  try {
    yield* itemsOf(parseEmbedded(value, "row"), source);
  } catch (error) {
    yield { kind: "problem", source, message: describeError(error) };
  }
}

export interface ReadInputsOptions {
  limits?: InputLimits;
  /** What `-` reads (default: nothing; `-` is then a problem). */
  stdin?: Readable;
  /** A file of a directory that is not read, and why. */
  onSkipped?: (source: string, message: string) => void;
}

/**
 * Every item of every input path, in order; problems as events, never as exceptions. Everything
 * streams (cli/reader/): a snapshot larger than memory works. An `accounts.json` in a directory is
 * not an item file: skipped (the evaluate command reads it as the accounts file).
 */
export async function* readInputs(
  paths: string[],
  options: ReadInputsOptions = {},
): AsyncGenerator<InputEvent> {
  const plan = planInputs(paths);
  for (const s of plan.skipped) options.onSkipped?.(s.source, s.message);
  for (const f of plan.accountsFiles) options.onSkipped?.(f, "skipped: an accounts file, not items");
  yield* readPlanned(plan.files, options);
}

/**
 * The problem of a run that read no configuration item and met no other problem (evaluate, diff):
 * no silent green, a wrong path or an empty export is not a clean bill of health. `--allow-empty`
 * accepts it.
 */
export function nothingRead(paths: string[]): { source: string; message: string } {
  return {
    source: paths.map((p) => (p === "-" ? "stdin" : p)).join(", "),
    message: "no configuration item read (pass --allow-empty if none is expected)",
  };
}

/** The items of planned files (see cli/reader/files.ts), in order. */
export async function* readPlanned(
  files: PlannedFile[],
  options: ReadInputsOptions = {},
): AsyncGenerator<InputEvent> {
  const read = readElements(files, { limits: options.limits ?? DEFAULT_LIMITS, stdin: options.stdin });
  for await (const event of read) {
    if (event.kind === "problem") yield event;
    else yield* eventsOfElement(event.element);
  }
}

/** Readable for tests: items of an in-memory JSON text, as `readInputs` sees a file. */
export function itemsOfText(text: string, source: string): InputEvent[] {
  const parsed = parseJson(text);
  if ("error" in parsed) return [{ kind: "problem", source, message: parsed.error }];
  return [...itemsOf(parsed.value, source)];
}
