// `compliance evaluate [FILES or DIRS...] [--format table|json|sarif|html] [--accounts FILE] [--out FILE]`
// Evaluates configuration items from files (no argument: the embedded sample organisation).

import { statSync } from "node:fs";
import { relative, resolve } from "node:path";
import type { Readable } from "node:stream";
import { parseArgs } from "node:util";
import { accountContext } from "../../engine/accounts.ts";
import { type Catalogue, isRecordedType } from "../../engine/catalogue.ts";
import { canonicalResourceType, type NormaliseHints } from "../../engine/normalise.ts";
import { jsonWriter } from "../../engine/report/json.ts";
import { renderTable } from "../../engine/report/table.ts";
import { emptySummary, type InputProblem, type ReportInput } from "../../engine/report/types.ts";
import type { AccountContext, EvaluationRecord } from "../../engine/types.ts";
import { readAccountsFile } from "../accounts-file.ts";
import type { Command } from "../command.ts";
import { EXIT, UsageError } from "../errors.ts";
import { loadCatalogueDir, reportCatalogueErrors } from "../load-catalogue.ts";
import { checkOutputPath, fileSink, type ReportSink, streamSink } from "../output.ts";
import {
  defaultJobs,
  evaluateInParallel,
  evaluateSerially,
  mergeSummary,
  workersAvailable,
} from "../parallel/pool.ts";
import { progress } from "../progress.ts";
import { type InputPlan, planInputs } from "../reader/files.ts";
import { LIMIT_OPTIONS, LIMITS_USAGE, limitsFromOptions } from "../reader/limits.ts";
import { readElements } from "../reader/read.ts";
import { SAMPLE_ACCOUNTS, SAMPLE_DIR } from "../sample.ts";

const FORMATS = ["table", "json", "sarif", "html"] as const;
type Format = (typeof FORMATS)[number];

const USAGE = [
  "usage: compliance evaluate [FILES or DIRS... | -] [--format table|json|sarif|html] [--accounts FILE] [--out FILE]",
  "                           [--html FILE] [--policies DIR] [--resource-type TYPE] [--exit-zero] [--allow-empty]",
  "  no FILES: the embedded sample organisation (samples/organisation); stdin is read only with -",
  "  -                read stdin (any shape a file may have: JSON, NDJSON, gzip)",
  "  DIRS             their .json, .jsonl and .ndjson files (gzipped or not, any case); an accounts.json",
  "                   in them is the accounts file unless --accounts names one",
  '  --accounts FILE  account ratings offline: { "<accountId>": { "tags": { "cia-rating": "C3I2A3", ... } } }',
  "  --out FILE       write the report to FILE instead of stdout (in place at the end; never an input)",
  "  --html FILE      also write the HTML report to FILE",
  "  --resource-type TYPE  the type of items that do not carry one (SelectResourceConfig rows whose ARN",
  "                   does not tell it), e.g. AWS::S3::Bucket",
  "  --exit-zero      exit 0 even when resources are non-compliant (unreadable input still exits 2)",
  "  --allow-empty    exit 0 when the input holds no configuration item (else exit 2)",
  "  --jobs N         evaluate on N threads (default: every core for inputs of 64 MiB or more, else 1);",
  "                   the report is the same whatever N",
  LIMITS_USAGE,
].join("\n");

/** `--resource-type`: a type AWS Config records or the catalogue covers, in AWS Config's spelling. */
function resourceTypeHint(value: string | undefined, catalogue: Catalogue): NormaliseHints {
  if (value === undefined) return {};
  const type = canonicalResourceType(value);
  if (!isRecordedType(type) && !catalogue.allowedTypes.has(type)) {
    throw new UsageError(`--resource-type: unknown resource type "${value}" (e.g. AWS::S3::Bucket)`);
  }
  return { resourceType: type };
}

async function render(format: Format, input: ReportInput, toTty: boolean): Promise<string> {
  switch (format) {
    case "table":
      return renderTable(input, { color: toTty });
    case "sarif": {
      const { renderSarif } = await import("../../engine/report/sarif.ts");
      return `${JSON.stringify(renderSarif(input), null, 2)}\n`;
    }
    case "html": {
      const { renderHtml } = await import("../../engine/report/html.ts");
      return renderHtml(input);
    }
    default:
      throw new UsageError(`unknown format "${format}"`);
  }
}

/** `--jobs N`, or every core for a large input and one for a small one. */
function jobsOf(value: string | undefined, plan: InputPlan): number {
  if (value === undefined) {
    return defaultJobs(plan, (path) => {
      try {
        return statSync(path).size;
      } catch {
        return 0; // Gone since it was listed: reported when its turn comes.
      }
    });
  }
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 256) {
    throw new UsageError(`--jobs: "${value}" is not a number of threads from 1 to 256`);
  }
  return Number(value);
}

/** Reads the `--accounts` file, or the one a scanned directory holds (and says so). */
function accountsOf(
  option: string | undefined,
  useSample: boolean,
  found: string[],
  say: (source: string, message: string) => void,
): { file?: string; accounts: Map<string, AccountContext> } {
  const file = option ?? (useSample ? SAMPLE_ACCOUNTS : found[0]);
  for (const other of found) {
    if (other === file) say(other, "read as the accounts file (account ratings)");
    else say(other, `skipped: another accounts file (${file} is used)`);
  }
  return { file, accounts: file ? readAccountsFile(file) : new Map<string, AccountContext>() };
}

export const evaluateCommand: Command = {
  name: "evaluate",
  summary: "evaluate configuration items (files, snapshots, events; none: the sample organisation)",
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        format: { type: "string", default: "table" },
        accounts: { type: "string" },
        out: { type: "string" },
        html: { type: "string" },
        policies: { type: "string" },
        "resource-type": { type: "string" },
        "exit-zero": { type: "boolean", default: false },
        "allow-empty": { type: "boolean", default: false },
        jobs: { type: "string" },
        ...LIMIT_OPTIONS,
      },
      strict: true,
    });
    const format = values.format as Format;
    if (!FORMATS.includes(format))
      throw new UsageError(`unknown format "${values.format}" (table, json, sarif, html)`);
    const limits = limitsFromOptions(values);
    const now = io.now();
    const loaded = loadCatalogueDir(values.policies, now);
    if (reportCatalogueErrors(loaded, io.stderr)) {
      throw new UsageError("the catalogue has errors: run `compliance validate`");
    }
    const hints = resourceTypeHint(values["resource-type"], loaded.catalogue);
    const useSample = positionals.length === 0;
    const paths = useSample ? [SAMPLE_DIR] : positionals;
    const say = (source: string, message: string) =>
      io.stderr.write(`compliance evaluate: ${source}: ${message}\n`);

    // Every file is known before anything is read or written.
    const plan = planInputs(paths);
    for (const skipped of plan.skipped) say(skipped.source, skipped.message);
    const { file: accountsFile, accounts } = accountsOf(values.accounts, useSample, plan.accountsFiles, say);
    if (values.out !== undefined) checkOutputPath("--out", values.out, plan, accountsFile);
    if (values.html !== undefined) checkOutputPath("--html", values.html, plan, accountsFile);
    let jobs = jobsOf(values.jobs, plan);
    if (jobs > 1 && !workersAvailable()) {
      if (values.jobs !== undefined)
        say("--jobs", "worker threads are not part of this build: one thread used");
      jobs = 1;
    }

    const contextOf = (accountId: string): AccountContext => {
      let ctx = accounts.get(accountId);
      if (!ctx) {
        ctx = accountContext(accountId);
        accounts.set(accountId, ctx);
      }
      return ctx;
    };

    const out = values.out;
    const toStdout = out === undefined;
    const sink: ReportSink = out === undefined ? streamSink(io.stdout) : fileSink(out);
    let html: ReportSink | undefined;
    try {
      html = values.html === undefined ? undefined : fileSink(values.html);
      const streaming = format === "json" ? jsonWriter(sink.write) : undefined;
      const keep = !streaming || values.html !== undefined;
      const records: EvaluationRecord[] = [];
      const problems: InputProblem[] = [];
      const summary = emptySummary();
      const seenAccounts = new Set<string>();
      const bar = progress(io.stderr);
      let itemsRead = 0;

      const stdin = io.stdin ?? (process.stdin as Readable);
      const elements = readElements(plan.files, { limits, stdin });
      const outcomes =
        jobs > 1
          ? evaluateInParallel(elements, jobs, {
              // The catalogue the main thread loaded, not looked for again.
              policies: loaded.origin === "package" ? undefined : loaded.dir,
              now: now.toISOString(),
              accounts: [...accounts],
              resourceType: hints.resourceType,
              mode: keep ? "records" : "json",
            })
          : evaluateSerially(
              elements,
              { catalogue: loaded.catalogue, waivers: loaded.waivers, now, hints, contextOf },
              summary,
            );
      for await (const part of outcomes) {
        itemsRead += part.items;
        if (part.summary) mergeSummary(summary, part.summary);
        for (const outcome of part.outcomes) {
          if (outcome.kind === "problem") {
            problems.push({ source: outcome.source, message: outcome.message });
            say(outcome.source, outcome.message);
            continue;
          }
          contextOf(outcome.accountId);
          seenAccounts.add(outcome.accountId);
          if (outcome.record) {
            streaming?.record(outcome.record);
            if (keep) records.push(outcome.record);
          } else if (outcome.json !== undefined) {
            streaming?.recordJson(outcome.json);
          }
        }
        bar.tick(summary.resources);
      }
      bar.done();
      if (itemsRead === 0 && problems.length === 0 && !values["allow-empty"]) {
        // No silent green: a wrong path or an empty export is not a clean bill of health.
        const source = paths.map((p) => (p === "-" ? "stdin" : p)).join(", ");
        const message = "no configuration item read (pass --allow-empty if none is expected)";
        problems.push({ source, message });
        say(source, message);
      }
      summary.accounts = seenAccounts.size;
      summary.inputErrors = problems.length;

      const input: ReportInput = {
        records,
        accounts,
        catalogue: loaded.catalogue,
        problems,
        summary,
        generatedAt: now,
        title: useSample
          ? "Compliance report: sample organisation"
          : `Compliance report: ${paths.join(", ")}`,
      };
      if (streaming) streaming.end(summary, problems);
      else sink.write(await render(format, input, toStdout && io.stdout.isTTY === true));
      sink.end();
      if (out !== undefined) {
        io.stderr.write(`wrote the ${format} report to ${relative(io.cwd, resolve(out)) || out}\n`);
      }
      if (html && values.html !== undefined) {
        const { renderHtml } = await import("../../engine/report/html.ts");
        html.write(renderHtml(input));
        html.end();
        io.stdout.write(`HTML report: ${resolve(values.html)}\n`);
      }
      if (problems.length > 0) return EXIT.USAGE;
      if (values["exit-zero"]) return EXIT.OK;
      return summary.byCompliance.NON_COMPLIANT > 0 ? EXIT.FINDINGS : EXIT.OK;
    } catch (error) {
      sink.abort();
      html?.abort();
      throw error;
    }
  },
};
