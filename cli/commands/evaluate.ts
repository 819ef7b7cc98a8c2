// `compliance evaluate [FILES or DIRS...] [--format table|json|sarif|html] [--accounts FILE] [--out FILE]`
// Evaluates configuration items from files (no argument: the embedded sample organisation).

import { closeSync, openSync, writeSync } from "node:fs";
import { relative, resolve } from "node:path";
import { accountContext } from "../../engine/accounts.ts";
import { type Catalogue, isRecordedType } from "../../engine/catalogue.ts";
import { describeError, InputError, MissingResourceTypeError } from "../../engine/errors.ts";
import { evaluate } from "../../engine/evaluate.ts";
import { canonicalResourceType, type NormaliseHints, normalise } from "../../engine/normalise.ts";
import { jsonWriter } from "../../engine/report/json.ts";
import { retainer } from "../../engine/report/retained.ts";
import { renderTable } from "../../engine/report/table.ts";
import {
  addToSummary,
  emptySummary,
  type InputProblem,
  type ReportInput,
} from "../../engine/report/types.ts";
import type { AccountContext, EvaluationRecord } from "../../engine/types.ts";
import { readAccountsFile } from "../accounts-file.ts";
import { parseCommandArgs } from "../args.ts";
import type { Command } from "../command.ts";
import { describeFsError, EXIT, UsageError } from "../errors.ts";
import { readInputs } from "../inputs.ts";
import { loadCatalogueDir, reportCatalogueErrors } from "../load-catalogue.ts";
import { prepareOutput } from "../output-path.ts";
import { progress } from "../progress.ts";
import { SAMPLE_ACCOUNTS, SAMPLE_DIR } from "../sample.ts";
import { accountOption, ratingOption, readParametersFile } from "../template-options.ts";
import { evaluateTemplateInput } from "./evaluate-template.ts";

const FORMATS = ["table", "json", "sarif", "html"] as const;
type Format = (typeof FORMATS)[number];

const USAGE = [
  "usage: compliance evaluate [FILES or DIRS...] [--format table|json|sarif|html] [--accounts FILE] [--out FILE]",
  "                           [--html FILE] [--policies DIR] [--resource-type TYPE] [--exit-zero]",
  "  no FILES: the embedded sample organisation (samples/organisation)",
  '  --accounts FILE  account ratings offline: { "<accountId>": { "tags": { "cia-rating": "C3I2A3", ... } } }',
  "  --out FILE       write the report to FILE instead of stdout",
  "  --html FILE      also write the HTML report to FILE",
  "  --resource-type TYPE  the type of items that do not carry one (SelectResourceConfig rows whose ARN",
  "                   does not tell it), e.g. AWS::S3::Bucket",
  "  --exit-zero      exit 0 even when resources are non-compliant (unreadable input still exits 2)",
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

function writeFile(path: string, text: string): void {
  const file = openReport(path);
  file.write(text);
  file.close();
}

/** A report file written chunk by chunk, so a streamed JSON report never sits in memory whole. */
function openReport(path: string): { write(chunk: string): void; close(): void } {
  const fail = (error: unknown) => new InputError(`cannot write the report: ${describeFsError(error)}`, path);
  let fd: number;
  try {
    fd = openSync(prepareOutput(path, process.cwd(), "file", "the report"), "w");
  } catch (error) {
    throw error instanceof InputError ? error : fail(error);
  }
  return {
    write(chunk) {
      try {
        writeSync(fd, chunk);
      } catch (error) {
        throw fail(error);
      }
    },
    close: () => closeSync(fd),
  };
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

async function render(
  format: Format,
  input: ReportInput,
  toTty: boolean,
  sarifOmitted: number,
): Promise<string> {
  switch (format) {
    case "table":
      return renderTable(input, { color: toTty });
    case "sarif": {
      const { renderSarif } = await import("../../engine/report/sarif.ts");
      return `${JSON.stringify(renderSarif(input, { omitted: sarifOmitted }), null, 2)}\n`;
    }
    case "html": {
      const { renderHtml } = await import("../../engine/report/html.ts");
      return renderHtml(input);
    }
    default:
      throw new UsageError(`unknown format "${format}"`);
  }
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
        policies: { type: "string", value: "DIR" },
        "resource-type": { type: "string", value: "TYPE" },
        "exit-zero": { type: "boolean" },
        parameters: { type: "string", value: "FILE" },
        account: { type: "string", value: "ID" },
        region: { type: "string", value: "REGION" },
        rating: { type: "string", value: "RATING" },
      },
      "FILES",
    );
    const format = (values.format ?? formatFromExtension(values.out) ?? "table") as Format;
    const now = io.now();
    const loaded = loadCatalogueDir(values.policies, now);
    if (reportCatalogueErrors(loaded, io.stderr)) {
      throw new UsageError("the catalogue has errors: run `compliance validate`");
    }
    const hints = resourceTypeHint(values["resource-type"], loaded.catalogue);
    const useSample = positionals.length === 0;
    const accountsFile = values.accounts ?? (useSample ? SAMPLE_ACCOUNTS : undefined);
    const accounts = accountsFile ? readAccountsFile(accountsFile) : new Map<string, AccountContext>();
    const paths = useSample ? [SAMPLE_DIR] : positionals;

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
    const file = out === undefined ? undefined : openReport(out);
    const write = (chunk: string) => (file ? file.write(chunk) : io.stdout.write(chunk));
    const streaming = format === "json" ? jsonWriter(write) : undefined;
    const kept = retainer(
      values.html !== undefined || format === "html" ? "full" : format === "json" ? "none" : format,
    );
    const problems: InputProblem[] = [];
    const summary = emptySummary();
    const seenAccounts = new Set<string>();
    const bar = progress(io.stderr);

    const rating = ratingOption(values.rating);
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
    const add = (record: EvaluationRecord) => {
      seenAccounts.add(record.accountId);
      addToSummary(summary, record);
      streaming?.record(record);
      kept.add(record);
      bar.tick(summary.resources);
    };

    for await (const event of readInputs(paths)) {
      if (event.kind === "template") {
        for (const record of evaluateTemplateInput(event.template, templateOptions)) add(record);
        continue;
      }
      if (event.kind === "problem") {
        problems.push({ source: event.source, message: event.message });
        io.stderr.write(`compliance evaluate: ${event.source}: ${event.message}\n`);
        continue;
      }
      try {
        // The reader parsed this item for this loop alone: decode it in place, no copy.
        const item = normalise(event.item.raw, hints, { inPlace: true });
        const ctx = contextOf(item.accountId);
        const record = evaluate(item, loaded.catalogue, {
          rating: rating ?? ctx.rating,
          now,
          waivers: loaded.waivers,
          eventLeftScope: event.item.eventLeftScope === true,
        });
        add(record);
      } catch (error) {
        const hint = error instanceof MissingResourceTypeError ? ", or pass --resource-type TYPE" : "";
        const message = `${describeError(error)}${hint}`;
        problems.push({ source: event.item.source, message });
        io.stderr.write(`compliance evaluate: ${event.item.source}: ${message}\n`);
      }
    }
    bar.done();
    summary.accounts = seenAccounts.size;
    summary.inputErrors = problems.length;

    const input: ReportInput = {
      records: kept.records,
      accounts,
      catalogue: loaded.catalogue,
      problems,
      summary,
      generatedAt: now,
      title: useSample ? "Compliance report: sample organisation" : `Compliance report: ${paths.join(", ")}`,
    };
    if (streaming) streaming.end(summary, problems);
    else write(await render(format, input, toStdout && io.stdout.isTTY === true, kept.sarifOmitted));
    if (out !== undefined) {
      file?.close();
      io.stderr.write(`wrote the ${format} report to ${relative(io.cwd, resolve(out)) || out}\n`);
    }
    if (values.html !== undefined) {
      const { renderHtml } = await import("../../engine/report/html.ts");
      writeFile(values.html, renderHtml(input));
      io.stdout.write(`HTML report: ${relative(io.cwd, resolve(values.html)) || values.html}\n`);
    }
    if (problems.length > 0) return EXIT.USAGE;
    if (values["exit-zero"]) return EXIT.OK;
    return summary.byCompliance.NON_COMPLIANT > 0 ? EXIT.FINDINGS : EXIT.OK;
  },
};
