// Fuzzing what the project reads from outside, with mutated real inputs (fast-check, fixed seed,
// bounded runs): the accounts file, policy files, the Config rule's invocation events and the
// notifier's events. Each either reads or ends in its documented error (one line, naming what is
// wrong); none throws anything else, and no input touches a global prototype.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseAccounts } from "../../engine/accounts-file.ts";
import { loadCatalogue } from "../../engine/catalogue.ts";
import { CatalogueError, InputError } from "../../engine/errors.ts";
import { MalformedEventError } from "../../handlers/config/errors.ts";
import { parseRuleEvent } from "../../handlers/config/event.ts";
import { ConfigError, EventError } from "../../handlers/notifier/errors.ts";
import { parseComplianceChange } from "../../handlers/notifier/event.ts";
import { classify, unwrapBody } from "../../handlers/notifier/input.ts";
import { readPolicySources } from "../../loader/policy-files.ts";
import { FIXTURES } from "../support/fixtures.ts";
import { edits, type Json, mutate, prototypesPolluted } from "./mutate.ts";

const SEED = 20261202;
/** An error's message is one line; a catalogue error is a list of problems, each one line. */
function oneLine(error: unknown): void {
  if (error instanceof CatalogueError) {
    expect(error.problems.length).toBeGreaterThan(0);
    for (const p of error.problems) expect(p.message).not.toContain("\n");
    return;
  }
  expect(String((error as Error).message)).not.toContain("\n");
}

/** Runs `read`; an error must be one of `allowed` with a one-line message. */
function readsOrFailsAsDocumented(read: () => unknown, allowed: (new (...args: never[]) => Error)[]): void {
  try {
    read();
  } catch (error) {
    if (!allowed.some((type) => error instanceof type)) throw error;
    oneLine(error);
  }
  expect(prototypesPolluted()).toBe(false);
}

const events = readdirSync(join(FIXTURES, "events"))
  .filter((f) => f.endsWith(".json"))
  .map((f) => JSON.parse(readFileSync(join(FIXTURES, "events", f), "utf8")) as Json);
const ruleEvents = events.filter((e) => typeof e === "object" && e !== null && "invokingEvent" in e);
const accounts: Json = JSON.parse(
  readFileSync(new URL("../../samples/organisation/accounts.json", import.meta.url), "utf8"),
);

describe("fuzzed outside inputs", () => {
  it("the accounts file: a map of accounts, or an InputError naming the field", () => {
    fc.assert(
      fc.property(edits, (list) => {
        const { text } = mutate(accounts, list);
        readsOrFailsAsDocumented(() => parseAccounts(JSON.parse(text), "accounts.json"), [InputError]);
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it("policy files: every problem reported as located data, never an exception", () => {
    const sources = readPolicySources();
    fc.assert(
      fc.property(fc.nat(), edits, (at, list) => {
        const index = at % sources.length;
        const source = sources[index];
        if (!source) return;
        const { text } = mutate(JSON.parse(source.text) as Json, list);
        // The mutated file alone: the cross-file checks are not what this property is about.
        const mutated = [{ ...source, text }];
        // loadCatalogue throws what checkCatalogue finds (every problem it reports is an error):
        // the problems are checked as the CatalogueError carries them, located in the file and one
        // line each (oneLine), with one compilation of the file a run instead of two.
        readsOrFailsAsDocumented(() => {
          try {
            loadCatalogue(mutated);
          } catch (error) {
            if (error instanceof CatalogueError)
              for (const p of error.problems) expect(p.file).toBe(source.file);
            throw error;
          }
        }, [CatalogueError]);
      }),
      { seed: SEED, numRuns: 60 },
    );
  });

  it("Config rule invocation events: parsed, or a MalformedEventError saying what is wrong", () => {
    fc.assert(
      fc.property(fc.constantFrom(...ruleEvents), edits, (event, list) => {
        const { text } = mutate(event, list);
        readsOrFailsAsDocumented(() => parseRuleEvent(JSON.parse(text)), [MalformedEventError]);
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it("notifier events and batches: classified and parsed, or an EventError / ConfigError", () => {
    const batchOf = (event: Json): Json => ({
      Records: [{ messageId: "m-1", body: JSON.stringify(event), eventSource: "aws:sqs" }],
    });
    fc.assert(
      fc.property(fc.constantFrom(...events), fc.boolean(), edits, (event, batch, list) => {
        const { text } = mutate(batch ? batchOf(event) : event, list);
        readsOrFailsAsDocumented(() => {
          const invocation = classify(JSON.parse(text));
          if (invocation.kind !== "batch") return;
          for (const record of invocation.records) {
            // A malformed record is reported on its own (batchItemFailures), never thrown.
            if ("problem" in record) {
              expect(record.problem).not.toContain("\n");
              continue;
            }
            const value = "body" in record ? unwrapBody(record.body) : record.event;
            parseComplianceChange(value);
          }
        }, [EventError, ConfigError]);
      }),
      { seed: SEED, numRuns: 400 },
    );
  });
});
