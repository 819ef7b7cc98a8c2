// A failure's text keeps each sentence's property path apart (what the annotation shortens). Each
// sentence is split at the longest error path it starts with, followed by a space or a colon. The
// engine takes the path a sentence was built from and looks only at paths holding a space or a
// colon for a longer one; this pins that it splits exactly where a search over every error path
// splits: on every failing control of every real item and of the sample organisation, and on keys
// written to make a longer path start another error's sentence.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ErrorObject } from "ajv";
import { describe, expect, it } from "vitest";
import type { FailureText } from "../../engine/annotation.ts";
import { createAjv } from "../../engine/catalogue.ts";
import { failureText } from "../../engine/evaluate.ts";
import { describeErrors, propertyPath } from "../../engine/messages.ts";
import { normalise } from "../../engine/normalise.ts";
import { repositoryCatalogue } from "../support/catalogue.ts";
import { loadFixtures } from "../support/fixtures.ts";

/** The split by a search over every error path, as the engine did it before. */
function searchEveryPath(
  lead: string | undefined,
  errors: readonly ErrorObject[],
  fallback: string,
): FailureText {
  const sentences = describeErrors(errors);
  if (sentences.length === 0) return { lead, sentences: [{ path: undefined, rest: fallback }] };
  const paths: string[] = [];
  for (const e of errors) {
    const path = propertyPath(e.instancePath);
    if (e.keyword === "required") {
      const missing = String((e.params as { missingProperty?: unknown }).missingProperty);
      paths.push(e.instancePath === "" ? missing : `${path}.${missing}`);
    }
    paths.push(path);
  }
  return {
    lead,
    sentences: sentences.map((sentence) => {
      let longest: string | undefined;
      for (const p of paths) {
        if (longest !== undefined && longest.length >= p.length) continue;
        const next = sentence.charCodeAt(p.length);
        if ((next === 32 || next === 58) && sentence.startsWith(p)) longest = p;
      }
      return longest === undefined
        ? { path: undefined, rest: sentence }
        : { path: longest, rest: sentence.slice(longest.length) };
    }),
  };
}

const SAMPLE = fileURLToPath(new URL("../../samples/organisation/items/", import.meta.url));

/** The sample organisation's configuration items. */
function sampleOrganisation(): unknown[] {
  return readdirSync(SAMPLE)
    .filter((f) => f.endsWith("_ConfigSnapshot.json"))
    .flatMap(
      (f) =>
        (JSON.parse(readFileSync(join(SAMPLE, f), "utf8")) as { configurationItems: unknown[] })
          .configurationItems,
    );
}

const plain = (t: FailureText) => ({
  lead: t.lead,
  sentences: t.sentences.map((s) => ({ path: s.path, rest: s.rest })),
});

describe("failureText", () => {
  it("splits every failing control's sentences where a search over every error path does", () => {
    const catalogue = repositoryCatalogue();
    const items = [
      ...loadFixtures("ci").map((f) => normalise(f.raw, { resourceType: f.resourceType })),
      ...loadFixtures("ci-partial").map((f) => normalise(f.raw, { resourceType: f.resourceType })),
      ...sampleOrganisation().map((raw) => normalise(raw)),
    ];
    const context = { evaluatedAt: new Date("2026-11-28T00:00:00Z") };
    let failures = 0;
    let withSpaceOrColon = 0;
    for (const item of items) {
      for (const control of catalogue.byResourceType.get(item.resourceType) ?? []) {
        if (!item.configuration || (control.applies && !control.applies(item))) continue;
        if (control.validate.call(context, item)) continue;
        const errors = control.validate.errors ?? [];
        failures++;
        if (errors.some((e) => e.instancePath === "" || /[ :]/.test(e.instancePath))) withSpaceOrColon++;
        expect(plain(failureText(control.failMessage || undefined, errors, control.title))).toEqual(
          plain(searchEveryPath(control.failMessage || undefined, errors, control.title)),
        );
      }
    }
    expect(failures).toBeGreaterThan(100);
    expect(withSpaceOrColon).toBeGreaterThan(0);
  });

  it("splits at a longer path with a space that starts another error's sentence", () => {
    const validate = createAjv().compile({
      type: "object",
      properties: {
        configuration: {
          type: "object",
          properties: { a: { const: 1 }, "a is": { const: 1 }, "b:": { const: 1 }, b: { const: 1 } },
        },
      },
    });
    const item = { configuration: { a: 2, "a is": 5, b: 3, "b:": 4 } };
    expect(validate(item)).toBe(false);
    const errors = validate.errors ?? [];
    const text = failureText(undefined, errors, "t");
    expect(plain(text)).toEqual(plain(searchEveryPath(undefined, errors, "t")));
    // "configuration.a is 2, expected 1" starts with the path "configuration.a is", then a space.
    expect(text.sentences[0]).toEqual({ path: "configuration.a is", rest: " 2, expected 1" });
  });
});
