// Fuzzing the engine with mutated real configuration items (fast-check, fixed seed, bounded runs):
// the normaliser either gives an item or throws the documented InputError; the evaluation never
// throws (a control that cannot evaluate fails closed); prototype keys (`__proto__`,
// `constructor`) are plain data: they change nothing outside the item and the verdict is the one
// the same item gets with an ordinary key in their place.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../../engine/errors.ts";
import { evaluate } from "../../engine/evaluate.ts";
import { normalise, toIsoTime } from "../../engine/normalise.ts";
import type { EvaluationRecord } from "../../engine/types.ts";
import { repositoryCatalogue } from "../support/catalogue.ts";
import { loadFixtures } from "../support/fixtures.ts";
import { edits, type Json, jsonValue, mutate, prototypesPolluted } from "./mutate.ts";

const catalogue = repositoryCatalogue();
const now = new Date("2026-12-01T00:00:00Z");
const rating = { c: 3, i: 3, a: 3 } as const;
const items = [...loadFixtures("ci"), ...loadFixtures("ci-partial")];
const SEED = 20261202;

/** Paths of objects in `value` whose prototype is not a plain object's, an array's or null. */
function foreignPrototypes(value: unknown, path = "", out: string[] = []): string[] {
  if (value === null || typeof value !== "object") return out;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== Array.prototype && proto !== null) out.push(path || "/");
  for (const key of Object.keys(value))
    foreignPrototypes((value as Record<string, unknown>)[key], `${path}/${key}`, out);
  return out;
}

/** The verdict of a JSON text: the record's compliance and each control's status, or the error. */
function verdict(text: string): string {
  let item: ReturnType<typeof normalise>;
  try {
    item = normalise(JSON.parse(text));
  } catch (error) {
    if (error instanceof InputError) return `input error: ${error.message}`;
    throw error;
  }
  const record: EvaluationRecord = evaluate(item, catalogue, { rating, now });
  return JSON.stringify([record.compliance, record.findings.map((f) => [f.controlId, f.status])]);
}

describe("the engine under mutated real items", () => {
  it("normalises to an item or an InputError, and evaluates without throwing", () => {
    fc.assert(
      fc.property(fc.constantFrom(...items), edits, (fixture, list) => {
        const { text } = mutate(fixture.raw as Json, list);
        expect(() => verdict(text)).not.toThrow();
        const error = (() => {
          try {
            normalise(JSON.parse(text));
            return undefined;
          } catch (e) {
            return e;
          }
        })();
        if (error !== undefined) {
          expect(error).toBeInstanceOf(InputError);
          expect((error as Error).message).not.toContain("\n");
        }
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it("prototype keys are data: same verdict as an ordinary key in their place, no global prototype touched", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...items),
        edits.map((list) => list.map((e) => (e.op === "prototype-key" ? e : { ...e }))),
        fc.constantFrom("__proto__", "constructor"),
        fc.nat(),
        (fixture, list, key, at) => {
          const withKey = [
            ...list,
            { op: "prototype-key" as const, at, key, value: { polluted: true } as Json },
          ];
          const { text, neutral } = mutate(fixture.raw as Json, withKey);
          expect(verdict(text)).toBe(verdict(neutral));
          try {
            expect(foreignPrototypes(normalise(JSON.parse(text)))).toEqual([]);
          } catch (error) {
            if (!(error instanceof InputError)) throw error;
          }
          expect(prototypesPolluted()).toBe(false);
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });

  it("a time or identity field of any JSON value: read as what it is, or an InputError naming it", () => {
    // The fields every item has read, whatever else it carries (accountId and arn are read only
    // when awsAccountId and ARN are absent).
    const alwaysRead = new Set([
      "resourceType",
      "resourceId",
      "resourceName",
      "awsAccountId",
      "awsRegion",
      "ARN",
    ]);
    const times = new Set(["configurationItemCaptureTime", "resourceCreationTime"]);
    const fields = [...alwaysRead, ...times, "accountId", "arn"];
    const full = items.filter((f) => f.name.startsWith("ci/"));
    fc.assert(
      fc.property(
        fc.constantFrom(...full),
        fc.constantFrom(...fields),
        jsonValue,
        (fixture, field, value) => {
          const raw = { ...(fixture.raw as Record<string, unknown>), [field]: value };
          let item: ReturnType<typeof normalise> | undefined;
          let error: unknown;
          try {
            item = normalise(JSON.parse(JSON.stringify(raw)));
          } catch (e) {
            error = e;
          }
          const absent = value === null || value === "";
          const wrong = times.has(field)
            ? !absent && toIsoTime(value) === undefined
            : alwaysRead.has(field) && !absent && typeof value !== "string";
          if (wrong) {
            expect(error).toBeInstanceOf(InputError);
            expect((error as Error).message).toMatch(
              new RegExp(`^\`${field}\` is not a (time|string): [^\n]+$`),
            );
            return;
          }
          if (error !== undefined) {
            // Another reading of the value (an empty type, a type nothing tells): still an InputError.
            expect(error).toBeInstanceOf(InputError);
            expect((error as Error).message).not.toContain("\n");
            return;
          }
          for (const key of ["resourceType", "resourceId", "accountId", "awsRegion", "arn"] as const) {
            expect(typeof item?.[key]).toBe("string");
            expect(item?.[key]).not.toContain("[object");
          }
          expect(item?.configurationItemCaptureTime).toMatch(
            /^[+-]?\d{4,6}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/,
          );
          if (item?.resourceCreationTime !== undefined) {
            expect(Number.isNaN(Date.parse(item.resourceCreationTime))).toBe(false);
          }
        },
      ),
      { seed: SEED, numRuns: 400 },
    );
  });

  it("a `__proto__` that carries the passing values does not make a failing table pass", () => {
    const table = items.find((f) => f.name === "ci/AWS_DynamoDB_Table/rdk-sample-ci.json");
    expect(table).toBeDefined();
    const raw = structuredClone(table?.raw) as Record<string, Record<string, unknown>>;
    const configuration = raw.configuration as Record<string, unknown>;
    delete configuration.deletionProtectionEnabled;
    const text = JSON.stringify(raw).replace(
      '"configuration":{',
      '"configuration":{"__proto__":{"deletionProtectionEnabled":true},',
    );
    expect(JSON.parse(text).configuration.deletionProtectionEnabled).toBeUndefined();
    const record = evaluate(normalise(JSON.parse(text)), catalogue, { rating, now });
    const finding = record.findings.find((f) => f.controlId === "DDB.DELETION-PROTECTION");
    expect(finding?.status).toBe("FAIL");
    expect(record.compliance).toBe("NON_COMPLIANT");
  });
});
