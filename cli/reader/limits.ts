// The limits a hostile or broken input meets, each adjustable by an option of `evaluate`:
//   --max-item-size    bytes of one configuration item (or of one event, one NDJSON line)
//   --max-depth        nesting of objects and arrays
//   --max-input-size   bytes of JSON one compressed input or stdin may expand to
//   --max-ratio        how many times its compressed size a gzip input may expand to
// They keep memory bounded and refuse a decompression bomb early, not after reading it.

import { UsageError } from "../errors.ts";
import { formatBytes } from "./scanner.ts";

export interface InputLimits {
  maxItemBytes: number;
  maxDepth: number;
  maxInputBytes: number;
  maxRatio: number;
}

export const DEFAULT_LIMITS: Readonly<InputLimits> = {
  // AWS Config items are at most a few MiB (oversized ones are not delivered inline).
  maxItemBytes: 32 * 1024 ** 2,
  // Real items nest about a dozen levels; the engine walks items recursively.
  maxDepth: 64,
  // About three million configuration items.
  maxInputBytes: 16 * 1024 ** 3,
  // JSON snapshots compress 10-30 times; a gzip bomb of zeros about 1,000 times.
  maxRatio: 200,
};

/** The options of `evaluate` that set the limits, for parseArgs. */
export const LIMIT_OPTIONS = {
  "max-item-size": { type: "string" },
  "max-depth": { type: "string" },
  "max-input-size": { type: "string" },
  "max-ratio": { type: "string" },
} as const;

export const LIMITS_USAGE = [
  `  --max-item-size SIZE   largest item, event or NDJSON line read (default ${formatBytes(DEFAULT_LIMITS.maxItemBytes)})`,
  `  --max-depth N          deepest nesting of objects and arrays (default ${DEFAULT_LIMITS.maxDepth})`,
  `  --max-input-size SIZE  most JSON one compressed input or stdin may hold (default ${formatBytes(DEFAULT_LIMITS.maxInputBytes)})`,
  `  --max-ratio N          most a .gz input may expand, times its size (default ${DEFAULT_LIMITS.maxRatio})`,
].join("\n");

const UNITS: Record<string, number> = {
  "": 1,
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
};

/** "32MiB", "512k", "1048576" -> bytes; anything else is a usage error naming the option. */
export function parseSize(option: string, value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value.trim());
  const unit = match ? UNITS[match[2]!.toLowerCase()] : undefined;
  if (!match || unit === undefined || Number(match[1]) <= 0) {
    throw new UsageError(`--${option}: "${value}" is not a size (e.g. 64MiB, 512KiB, 1GiB)`);
  }
  return Math.floor(Number(match[1]) * unit);
}

function parseCount(option: string, value: string, min: number): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < min) {
    throw new UsageError(`--${option}: "${value}" is not a whole number of at least ${min}`);
  }
  return Number(value);
}

/** The limits from the parsed options; each one not given keeps its default. */
export function limitsFromOptions(values: Partial<Record<keyof typeof LIMIT_OPTIONS, string>>): InputLimits {
  const item = values["max-item-size"];
  const depth = values["max-depth"];
  const input = values["max-input-size"];
  const ratio = values["max-ratio"];
  return {
    maxItemBytes: item === undefined ? DEFAULT_LIMITS.maxItemBytes : parseSize("max-item-size", item),
    maxDepth: depth === undefined ? DEFAULT_LIMITS.maxDepth : parseCount("max-depth", depth, 2),
    maxInputBytes: input === undefined ? DEFAULT_LIMITS.maxInputBytes : parseSize("max-input-size", input),
    maxRatio: ratio === undefined ? DEFAULT_LIMITS.maxRatio : parseCount("max-ratio", ratio, 1),
  };
}
