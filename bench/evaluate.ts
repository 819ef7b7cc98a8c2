// Evaluation against reading: per item (parse + normalise + evaluate, as the CLI and the Lambda
// run it) against JSON.parse of the same item, on the sample organisation and on every real item
// of test/fixtures; and a streamed snapshot, its heap and throughput against reading alone.
// BENCH_OTHER_NODE=PATH also runs the per-item figures on that Node binary (named `...vNN`), so
// that Node 20 and the Lambda runtime's Node are reported apart.

import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { readInputs } from "../cli/inputs.ts";
import { loadCatalogue } from "../engine/catalogue.ts";
import { evaluate } from "../engine/evaluate.ts";
import { normalise } from "../engine/normalise.ts";
import { recordJson } from "../engine/report/json.ts";
import { readPolicySources } from "../loader/policy-files.ts";
import { cpuMs, type Figure, fastestInTurns, figure, ROUNDS } from "./figure.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const HIGHEST = { c: 3, i: 3, a: 3 } as const;
const now = new Date();

export function sampleItemTexts(): string[] {
  const dir = join(ROOT, "samples/organisation/items");
  return readdirSync(dir)
    .filter((f) => f.endsWith("_ConfigSnapshot.json"))
    .sort()
    .flatMap(
      (f) =>
        (JSON.parse(readFileSync(join(dir, f), "utf8")) as { configurationItems: unknown[] })
          .configurationItems,
    )
    .map((item) => JSON.stringify(item));
}

/** Every real configuration item of test/fixtures/ci (one per file). */
function fixtureItemTexts(): string[] {
  const root = join(ROOT, "test/fixtures/ci");
  return readdirSync(root)
    .sort()
    .flatMap((folder) =>
      readdirSync(join(root, folder))
        .filter((f) => f.endsWith(".json"))
        .map((f) => JSON.stringify(JSON.parse(readFileSync(join(root, folder, f), "utf8")))),
    );
}

/**
 * Every JSON document a parsed value holds as a string, parsed in place (AWS Config records
 * `configuration`, the `supplementaryConfiguration` values and policy documents as JSON strings,
 * some encoded twice or URL-encoded). With JSON.parse of the item: reading all of the item's
 * data, the floor under any evaluation of it.
 */
function parseEmbedded(value: unknown): unknown {
  if (typeof value === "string") {
    const text = value.startsWith("%7B") || value.startsWith("%7b") ? decodeURIComponent(value) : value;
    const first = text.charCodeAt(0);
    const second = text.charCodeAt(1);
    // `{`, `[`, or a JSON string holding one (encoded twice).
    if (first === 123 || first === 91 || (first === 34 && (second === 123 || second === 91))) {
      try {
        return parseEmbedded(JSON.parse(text));
      } catch {
        return value;
      }
    }
    return value;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = parseEmbedded(value[i]);
  } else if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const decoded = parseEmbedded(record[key]);
      if (decoded !== record[key]) record[key] = decoded;
    }
  }
  return value;
}

/** Per-item figures (parse + normalise + evaluate, and the JSON record) on this process's Node. */
export function perItemFigures(catalogue = loadCatalogue(readPolicySources())): Figure[] {
  const out: Figure[] = [];
  const ITEMS = 2000;
  const WARM_UP_PASSES = 10;
  const WARM_UP_ROUNDS = 30;

  for (const [name, texts] of [
    ["sample-organisation", sampleItemTexts()],
    ["real-items", fixtureItemTexts()],
  ] as const) {
    const batch = Array.from({ length: ITEMS }, (_, i) => texts[i % texts.length]!);
    // Warm: a validator runs only for its resource type, so one pass over the batch calls some of
    // them a few dozen times, too few for V8 to optimise them. A snapshot runs them warm.
    for (let pass = 0; pass < WARM_UP_PASSES; pass++) {
      for (const t of batch)
        recordJson(
          evaluate(normalise(JSON.parse(t), {}, { inPlace: true }), catalogue, { rating: HIGHEST, now }),
        );
    }
    // The four are measured in turns, round after round, and each keeps its fastest round: on a
    // shared machine a neighbour only ever adds time, and in turns a busy spell falls on all four.
    // After untimed rounds of the same: with fewer, the evaluation's time still fell from round to
    // round (the sample organisation's from 12.4 to 10.6 µs an item between 9 timed rounds after
    // none and after 40), so the figure held part of V8's warm-up, which the snapshot figures
    // already count.
    const [parseMs, evaluateMs, recordMs, parseAllMs] = fastestInTurns(
      [
        () => {
          for (const t of batch) JSON.parse(t);
        },
        () => {
          for (const t of batch)
            evaluate(normalise(JSON.parse(t), {}, { inPlace: true }), catalogue, { rating: HIGHEST, now });
        },
        () => {
          for (const t of batch)
            recordJson(
              evaluate(normalise(JSON.parse(t), {}, { inPlace: true }), catalogue, { rating: HIGHEST, now }),
            );
        },
        () => {
          for (const t of batch) parseEmbedded(JSON.parse(t));
        },
      ],
      ROUNDS,
      WARM_UP_ROUNDS,
    ) as [number, number, number, number];
    const perItem = (ms: number) => (ms * 1000) / ITEMS;
    const parse = { name: "JSON.parse.per-item", value: perItem(parseMs), unit: "µs/item" };
    out.push(
      figure(
        `evaluate.per-item.${name}`,
        perItem(evaluateMs),
        "µs/item",
        parse,
        `parse + normalise + evaluate, ${texts.length} distinct items at C3I3A3, Node ${process.version}; fastest of ${ROUNDS} rounds taken in turns after ${WARM_UP_ROUNDS} untimed ones`,
      ),
      figure(
        `evaluate.json-record.${name}`,
        perItem(recordMs),
        "µs/item",
        parse,
        "the same, and the JSON record written",
      ),
      figure(
        `evaluate.per-item.${name}.vs-parse-all`,
        perItem(evaluateMs),
        "µs/item",
        { name: "JSON.parse+embedded.per-item", value: perItem(parseAllMs), unit: "µs/item" },
        "parse + normalise + evaluate against parsing all of the item's data: JSON.parse of the item and of every JSON document it holds as a string",
      ),
    );
  }

  return out;
}

/**
 * The per-item figures on another Node (BENCH_OTHER_NODE: the path of its binary, e.g. the Lambda
 * runtime's major version), run in a child process of that Node and named with its version.
 */
function otherNodeFigures(node: string): Figure[] {
  const result = spawnSync(node, ["--import", "tsx", join(ROOT, "bench/per-item-child.ts")], {
    cwd: ROOT,
    encoding: "utf8",
    maxBuffer: 16 * 1024 * 1024,
  });
  if (result.status !== 0) {
    process.stderr.write(`bench: BENCH_OTHER_NODE ${node} failed: ${result.stderr.slice(-400)}\n`);
    return [];
  }
  const { version, figures } = JSON.parse(result.stdout) as { version: string; figures: Figure[] };
  const major = version.split(".")[0];
  return figures.map((f) => ({ ...f, name: `${f.name}.${major}` }));
}

export async function figures(): Promise<Figure[]> {
  const catalogue = loadCatalogue(readPolicySources());
  const out: Figure[] = perItemFigures(catalogue);
  const other = process.env.BENCH_OTHER_NODE;
  if (other) out.push(...otherNodeFigures(other));

  // A streamed snapshot: heap growth and throughput against reading the same stream alone.
  const dir = mkdtempSync(join(tmpdir(), "bench-"));
  try {
    const texts = sampleItemTexts();
    const STREAM_ITEMS = 20_000;
    const snapshot = join(dir, "snapshot.json.gz");
    writeFileSync(
      snapshot,
      gzipSync(
        `{"fileVersion":"1.0","configurationItems":[${Array.from({ length: STREAM_ITEMS }, (_, i) => texts[i % texts.length]).join(",")}]}`,
      ),
    );
    const peakHeap = async (work: (raw: unknown) => void): Promise<{ peakMb: number; ms: number }> => {
      globalThis.gc?.();
      const before = process.memoryUsage().heapUsed;
      let peak = before;
      let n = 0;
      const start = cpuMs();
      for await (const event of readInputs([snapshot])) {
        if (event.kind === "item") work(event.item.raw);
        if (++n % 500 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
      }
      return { peakMb: (peak - before) / 1024 / 1024, ms: cpuMs() - start };
    };
    const readOnly = await peakHeap(() => {});
    const evaluated = await peakHeap((raw) => {
      evaluate(normalise(raw, {}, { inPlace: true }), catalogue, { rating: HIGHEST, now });
    });
    const mb = (v: number) => Math.max(v, 0.01);
    out.push(
      figure(
        "stream.evaluate.heap-growth",
        mb(evaluated.peakMb),
        "MiB",
        { name: "stream.read.heap-growth", value: mb(readOnly.peakMb) },
        `peak heap growth over ${STREAM_ITEMS} streamed items (.json.gz): flat means the snapshot streams`,
      ),
      figure(
        "stream.evaluate.time",
        evaluated.ms / STREAM_ITEMS,
        "ms/item",
        { name: "stream.read.time", value: readOnly.ms / STREAM_ITEMS },
        "streamed snapshot: read + evaluate against reading alone (the reader's share is the reader's bench)",
      ),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
