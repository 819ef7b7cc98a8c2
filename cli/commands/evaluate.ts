// `compliance evaluate [FILES or DIRS...] [--format table|json|sarif|html] [--accounts FILE] [--out FILE]`
// Evaluates configuration items from files (no argument: the embedded sample organisation).

import { readFileSync, statSync } from "node:fs";
import { relative, resolve } from "node:path";
import type { Readable } from "node:stream";
import { contextLookup } from "../../engine/accounts.ts";
import { type Catalogue, isRecordedType } from "../../engine/catalogue-model.ts";
import { describeError } from "../../engine/errors.ts";
import { canonicalResourceType, type NormaliseHints } from "../../engine/normalise.ts";
import { jsonWriter } from "../../engine/report/json.ts";
import { type Retained, retainer } from "../../engine/report/retained.ts";
import { renderTable } from "../../engine/report/table.ts";
import {
  addToSummary,
  emptySummary,
  type InputProblem,
  type ReportInput,
} from "../../engine/report/types.ts";
import { looksLikeTemplate } from "../../engine/template/types.ts";
import { escapeControl } from "../../engine/terminal-text.ts";
import { accountsOf } from "../accounts-file.ts";
import { parseCommandArgs } from "../args.ts";
import type { Command } from "../command.ts";
import { EXIT, UsageError } from "../errors.ts";
import { HTML_LIMIT_OPTIONS, HTML_LIMITS_USAGE, htmlLimitsFromOptions } from "../html-limits.ts";
import { nothingRead } from "../inputs.ts";
import { loadCatalogueDir, reportCatalogueErrors, waiverFileError } from "../load-catalogue.ts";
import { checkOutputPath, fileSink, type ReportSink, streamSink } from "../output.ts";
import {
  defaultJobs,
  EvaluationWorkers,
  evaluateInParallel,
  evaluateSerially,
  mergeSummary,
  workersAvailable,
} from "../parallel/pool.ts";
import { progress } from "../progress.ts";
import { type InputPlan, type PlannedFile, planInputs, YAML_TEMPLATE_FILE } from "../reader/files.ts";
import { LIMITS_USAGE, limitsFromOptions } from "../reader/limits.ts";
import { readElements } from "../reader/read.ts";
import { SAMPLE_DIR } from "../sample.ts";
import { accountOption, ratingOption, readParametersFile } from "../template-options.ts";

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
  HTML_LIMITS_USAGE,
  "  templates (CloudFormation JSON or YAML, serverless package and cdk synth output):",
  '  --parameters FILE  parameter values ([{ParameterKey, ParameterValue}], ["Key=Value"] or {Parameters: {...}})',
  "  --account ID  --region R   the pseudo parameters AWS::AccountId and AWS::Region (and the account's rating)",
  "  --rating C3I3A3  the rating to judge against (default: the account's from --accounts, else the highest)",
].join("\n");

/** `--out report.json` without `--format`: the format its extension names. */
function formatFromExtension(out: string | undefined): Format | undefined {
  const ext = out?.toLowerCase().match(/\.([a-z]+)$/)?.[1];
  if (ext === "json") return "json";
  if (ext === "sarif") return "sarif";
  if (ext === "html" || ext === "htm") return "html";
  return undefined;
}

/** CloudFormation accepts template bodies up to 1 MB: a larger JSON file is items, never a template. */
const MAX_TEMPLATE_BYTES = 1_000_000;

/** Whether a planned file is a CloudFormation template: YAML by name, JSON by its content. */
function isTemplateFile(file: PlannedFile): boolean {
  if (file.path === "-" || file.lines || file.problem !== undefined) return false;
  try {
    // Only a regular file is looked into: a device or a FIFO is refused by the reader in its turn.
    const stat = statSync(file.path);
    if (!stat.isFile()) return false;
    if (YAML_TEMPLATE_FILE.test(file.path)) return true;
    if (/\.gz$/i.test(file.path) || stat.size > MAX_TEMPLATE_BYTES) return false;
    const text = readFileSync(file.path, "utf8");
    if (!/"Resources"\s*:/.test(text)) return false;
    // Meant as a template (a top-level Resources object): read as one, and refused with the reason
    // when CloudFormation would not take it, rather than read as configuration items.
    return looksLikeTemplate(JSON.parse(text));
  } catch {
    return false; // Unreadable or not JSON: the reader reports it in its turn.
  }
}

/** The planned files in order, consecutive item files grouped, each template on its own. */
function segments(files: PlannedFile[]): ({ template: PlannedFile } | { items: PlannedFile[] })[] {
  const out: ({ template: PlannedFile } | { items: PlannedFile[] })[] = [];
  for (const file of files) {
    if (isTemplateFile(file)) out.push({ template: file });
    else {
      const last = out.at(-1);
      if (last && "items" in last) last.items.push(file);
      else out.push({ items: [file] });
    }
  }
  return out;
}

/** `--resource-type`: a type AWS Config records or the catalogue covers, in AWS Config's spelling. */
function resourceTypeHint(value: string | undefined, catalogue: Catalogue): NormaliseHints {
  if (value === undefined) return {};
  const type = canonicalResourceType(value);
  if (!isRecordedType(type) && !catalogue.allowedTypes.has(type)) {
    throw new UsageError(`--resource-type: unknown resource type "${value}" (e.g. AWS::S3::Bucket)`);
  }
  return { resourceType: type };
}

async function render(format: Format, input: ReportInput, toTty: boolean, kept: Retained): Promise<string> {
  switch (format) {
    case "table":
      return renderTable(input, { color: toTty });
    case "sarif": {
      const { renderSarif } = await import("../../engine/report/sarif.ts");
      return `${JSON.stringify(renderSarif(input, { omitted: kept.sarifOmitted }), null, 2)}\n`;
    }
    case "html": {
      const { renderHtml } = await import("../../engine/report/html.ts");
      return renderHtml(input, { tally: kept.html });
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

/**
 * The worker threads of `--jobs N` (N - 1 of them: the main thread evaluates too), started before
 * the main thread loads the catalogue; none for one thread, or when the build has no workers.
 */
function startWorkers(
  option: string | undefined,
  plan: InputPlan,
  policies: string | undefined,
  now: Date,
): EvaluationWorkers | undefined {
  let jobs: number;
  try {
    jobs = jobsOf(option, plan);
  } catch {
    return undefined; // Reported in its turn, after the catalogue's problems.
  }
  if (jobs <= 1 || !workersAvailable()) return undefined;
  return new EvaluationWorkers(jobs - 1, { policies, now: now.toISOString() });
}

export const evaluateCommand: Command = {
  name: "evaluate",
  summary: "evaluate configuration items (files, snapshots, events; none: the sample organisation)",
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        format: { type: "string", value: "FORMAT", choices: FORMATS },
        accounts: { type: "string", value: "FILE" },
        out: { type: "string", value: "FILE" },
        html: { type: "string", value: "FILE" },
        ...HTML_LIMIT_OPTIONS,
        policies: { type: "string", value: "DIR" },
        "resource-type": { type: "string", value: "TYPE" },
        "exit-zero": { type: "boolean" },
        "allow-empty": { type: "boolean" },
        jobs: { type: "string", value: "N" },
        "max-item-size": { type: "string", value: "SIZE" },
        "max-depth": { type: "string", value: "N" },
        "max-input-size": { type: "string", value: "SIZE" },
        "max-ratio": { type: "string", value: "N" },
        parameters: { type: "string", value: "FILE" },
        account: { type: "string", value: "ID" },
        region: { type: "string", value: "REGION" },
        rating: { type: "string", value: "RATING" },
      },
      "FILES",
    );
    const format = (values.format ?? formatFromExtension(values.out) ?? "table") as Format;
    const limits = limitsFromOptions(values);
    const htmlLimits = htmlLimitsFromOptions(values);
    const now = io.now();
    const useSample = positionals.length === 0;
    const paths = useSample ? [SAMPLE_DIR] : positionals;
    // Every file is known before anything is read or written.
    const plan = planInputs(paths);
    // Worker threads load the catalogue while this thread loads its own.
    const pool = startWorkers(values.jobs, plan, values.policies, now);
    try {
      const loaded = await loadCatalogueDir(values.policies, now);
      if (reportCatalogueErrors(loaded, io.stderr)) {
        throw new UsageError("the catalogue has errors: run `compliance validate`");
      }
      const waiverError = waiverFileError(loaded);
      if (waiverError) throw new UsageError(waiverError);
      const hints = resourceTypeHint(values["resource-type"], loaded.catalogue);
      const say = (source: string, message: string) =>
        io.stderr.write(`compliance evaluate: ${escapeControl(source)}: ${escapeControl(message)}\n`);

      for (const skipped of plan.skipped) say(skipped.source, skipped.message);
      const { file: accountsFile, accounts } = accountsOf(
        values.accounts,
        useSample,
        plan.accountsFiles,
        say,
      );
      if (values.out !== undefined) checkOutputPath("--out", values.out, plan, accountsFile);
      if (values.html !== undefined) checkOutputPath("--html", values.html, plan, accountsFile);
      const jobs = jobsOf(values.jobs, plan);
      if (jobs > 1 && !pool && values.jobs !== undefined) {
        say("--jobs", "worker threads are not part of this build: one thread used");
      }

      const contextOf = contextLookup(accounts);

      const out = values.out;
      const toStdout = out === undefined;
      const sink: ReportSink = out === undefined ? streamSink(io.stdout) : fileSink(out);
      let html: ReportSink | undefined;
      try {
        html = values.html === undefined ? undefined : fileSink(values.html);
        const streaming = format === "json" ? jsonWriter(sink.write, sink.writeBytes) : undefined;
        const keep = !streaming || values.html !== undefined;
        // What each format needs kept of the records (the table only the findings it prints; SARIF
        // at most what code scanning reads; HTML running totals and the resources it shows in
        // detail): memory bounded by what is shown.
        const kept = retainer(
          format === "json" || format === "html" ? "none" : format,
          values.html !== undefined || format === "html" ? { html: htmlLimits } : {},
        );
        const problems: InputProblem[] = [];
        const summary = emptySummary();
        const seenAccounts = new Set<string>();
        const bar = progress(io.stderr);
        let itemsRead = 0;

        const rating = ratingOption(values.rating);
        const mode = keep ? "records" : "json";
        pool?.setup({
          waivers: loaded.waivers,
          accounts: [...accounts],
          resourceType: hints.resourceType,
          mode,
          ...(rating ? { rating } : {}),
        });
        const templateOptions = {
          catalogue: loaded.catalogue,
          now,
          waivers: loaded.waivers,
          ...(values.parameters ? { parameters: readParametersFile(values.parameters) } : {}),
          ...(values.account ? { account: accountOption(values.account) } : {}),
          ...(values.region ? { region: values.region } : {}),
          ...(rating ? { rating } : {}),
          contextOf,
        };
        const problem = (source: string, message: string) => {
          problems.push({ source, message });
          say(source, message);
        };

        const stdin = io.stdin ?? (process.stdin as Readable);
        for (const segment of segments(plan.files)) {
          if ("template" in segment) {
            try {
              // The template engine and the YAML parser load only for a run that has a template.
              const { readTemplateFile } = await import("../template-input.ts");
              const { evaluateTemplateInput } = await import("./evaluate-template.ts");
              const template = readTemplateFile(segment.template.path);
              if (!template) continue;
              itemsRead++;
              for (const record of evaluateTemplateInput(template, templateOptions)) {
                seenAccounts.add(record.accountId);
                addToSummary(summary, record);
                streaming?.record(record);
                kept.add(record);
              }
            } catch (error) {
              problem(segment.template.path, describeError(error));
            }
            continue;
          }
          const elements = readElements(segment.items, { limits, stdin });
          const itemSetup = {
            catalogue: loaded.catalogue,
            waivers: loaded.waivers,
            now,
            hints,
            contextOf,
            ...(rating ? { rating } : {}),
          };
          const outcomes = pool
            ? evaluateInParallel(elements, pool, itemSetup, mode)
            : evaluateSerially(elements, itemSetup, summary);
          for await (const part of outcomes) {
            itemsRead += part.items;
            if (part.summary) mergeSummary(summary, part.summary);
            for (const { source, message } of part.problems) problem(source, message);
            for (const record of part.records) {
              contextOf(record.accountId);
              seenAccounts.add(record.accountId);
              streaming?.record(record);
              kept.add(record);
            }
            if (part.json.length > 0) {
              for (const accountId of part.accounts) {
                contextOf(accountId);
                seenAccounts.add(accountId);
              }
              // Records serialised and encoded by a thread, separated as the report separates them.
              streaming?.encodedRecords(part.json);
              part.release?.();
            }
            bar.tick(summary.resources);
          }
        }
        bar.done();
        if (itemsRead === 0 && problems.length === 0 && !values["allow-empty"]) {
          const { source, message } = nothingRead(paths);
          problem(source, message);
        }
        summary.accounts = seenAccounts.size;
        summary.inputErrors = problems.length;

        const input: ReportInput = {
          records: kept.records,
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
        else sink.write(await render(format, input, toStdout && io.stdout.isTTY === true, kept));
        sink.end();
        if (out !== undefined) {
          io.stderr.write(`wrote the ${format} report to ${relative(io.cwd, resolve(out)) || out}\n`);
        }
        if (html && values.html !== undefined) {
          const { renderHtml } = await import("../../engine/report/html.ts");
          html.write(renderHtml(input, { tally: kept.html }));
          html.end();
          io.stdout.write(`HTML report: ${relative(io.cwd, resolve(values.html)) || values.html}\n`);
        }
        if (problems.length > 0) return EXIT.USAGE;
        if (values["exit-zero"]) return EXIT.OK;
        return summary.byCompliance.NON_COMPLIANT > 0 ? EXIT.FINDINGS : EXIT.OK;
      } catch (error) {
        sink.abort();
        html?.abort();
        throw error;
      }
    } finally {
      await pool?.close();
    }
  },
};
