// `minDaysLeft`: a date at least N days after the evaluation time, which the engine passes as the
// validation context; the item's capture time stands in without one. Boundaries, the time shapes
// AWS returns, standalone code generation (the Lambda bundles) and the engine passing `now`.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createAjv } from "../../engine/catalogue.ts";
import { evaluate } from "../../engine/evaluate.ts";
import { describeErrors } from "../../engine/messages.ts";
import { normalise } from "../../engine/normalise.ts";
import { repositoryCatalogue } from "../support/catalogue.ts";
import { ROOT } from "../support/cli.ts";

const ajv = createAjv();
const schema = { type: "object", properties: { d: { type: ["string", "number", "null"], minDaysLeft: 30 } } };
const validate = ajv.compile(schema);
const NOW = new Date("2026-01-01T00:00:00.000Z");

function check(data: unknown, context?: { evaluatedAt: Date }) {
  const ok = context ? validate.call(context, data) : validate(data);
  return { ok, messages: ok ? [] : describeErrors(validate.errors ?? []) };
}

describe("minDaysLeft", () => {
  it("counts from the evaluation time in the context: exactly 30 days passes, a second less fails", () => {
    expect(check({ d: "2026-01-31T00:00:00Z" }, { evaluatedAt: NOW }).ok).toBe(true);
    expect(check({ d: "2026-01-30T23:59:59Z" }, { evaluatedAt: NOW }).messages).toEqual([
      "d is 2026-01-30T23:59:59Z, less than 30 days after 2026-01-01T00:00:00.000Z",
    ]);
  });

  it("fails a date already past", () => {
    expect(check({ d: "2025-12-31T23:59:59Z" }, { evaluatedAt: NOW }).ok).toBe(false);
  });

  it("reads epoch seconds and epoch milliseconds", () => {
    const at = Date.parse("2026-03-01T00:00:00Z");
    expect(check({ d: at / 1000 }, { evaluatedAt: NOW }).ok).toBe(true);
    expect(check({ d: at }, { evaluatedAt: NOW }).ok).toBe(true);
    const soon = Date.parse("2026-01-10T00:00:00Z");
    expect(check({ d: soon / 1000 }, { evaluatedAt: NOW }).ok).toBe(false);
    expect(check({ d: soon }, { evaluatedAt: NOW }).ok).toBe(false);
  });

  it("without a context, counts from the item's capture time", () => {
    const item = (d: string) => ({ configurationItemCaptureTime: "2026-06-01T00:00:00.000Z", d });
    expect(check(item("2026-07-01T00:00:00Z")).ok).toBe(true);
    expect(check(item("2026-06-20T00:00:00Z")).messages).toEqual([
      "d is 2026-06-20T00:00:00Z, less than 30 days after 2026-06-01T00:00:00.000Z",
    ]);
  });

  it("fails a value that is not a time, and passes a null (no date to judge)", () => {
    expect(check({ d: "soon" }, { evaluatedAt: NOW }).ok).toBe(false);
    expect(check({ d: null }, { evaluatedAt: NOW }).ok).toBe(true);
  });

  it("refuses a count that is not positive when the schema is compiled", () => {
    expect(() => ajv.compile({ type: "string", minDaysLeft: 0 })).toThrow();
  });

  it("survives standalone code generation, reading the context there too", async () => {
    const { default: standalone } = await import("ajv/dist/standalone/index.js");
    const generate = (standalone as unknown as { default?: typeof standalone }).default ?? standalone;
    const standaloneAjv = createAjv();
    standaloneAjv.opts.code.source = true;
    const code = generate(standaloneAjv, standaloneAjv.compile(schema));
    const module = { exports: {} as Record<string, unknown> };
    new Function("module", "exports", "require", code)(module, module.exports, () => {
      throw new Error("standalone code must not require anything");
    });
    const run = module.exports as unknown as { default?: (d: unknown) => boolean } & ((
      d: unknown,
    ) => boolean);
    const fn = run.default ?? run;
    expect(fn.call({ evaluatedAt: NOW }, { d: "2026-02-01T00:00:00Z" })).toBe(true);
    expect(fn.call({ evaluatedAt: NOW }, { d: "2026-01-15T00:00:00Z" })).toBe(false);
  });
});

describe("ACM.NOT-EXPIRING through the engine", () => {
  const catalogue = repositoryCatalogue();
  const raw = JSON.parse(
    readFileSync(join(ROOT, "policies/fixtures/AWS_ACM_Certificate/rdk-sample-ci.json"), "utf8"),
  );
  // The real item, issued, expiring on 2026-12-20; AWS Config recorded it long before.
  raw.configuration.status = "ISSUED";
  raw.configuration.notAfter = "2026-12-20T23:59:59.000Z";
  raw.configurationItemCaptureTime = "2026-01-05T00:00:00.000Z";
  const item = normalise(raw);
  const status = (now: string) =>
    evaluate(item, catalogue, { rating: { c: 3, i: 3, a: 3 }, now: new Date(now) }).findings.find(
      (f) => f.controlId === "ACM.NOT-EXPIRING",
    )?.status;

  it("judges the unchanged item against the evaluation time, not against when it was recorded", () => {
    expect(status("2026-06-01T00:00:00Z")).toBe("PASS");
    expect(status("2026-12-01T00:00:00Z")).toBe("FAIL");
  });
});
