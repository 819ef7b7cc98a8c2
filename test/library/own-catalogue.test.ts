// The package's own catalogue with validators generated ahead of time (what the CLI and the
// library use by default): the same verdicts as compiling at run time on every real item, used
// only while it matches the policy texts and rules/ sources it was generated from; and the library
// facade's inputs (ratings, scope, bad values) on the same catalogue.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { ValidateFunction } from "ajv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateValidator, generateValidators } from "../../build/standalone-validators.mjs";
import { createAjv } from "../../engine/catalogue.ts";
import { type Engine, engineFrom, InputError } from "../../engine/index.ts";
import { checkWaiverFile } from "../../engine/waiver-check.ts";
import { WAIVER_SCHEMA, WAIVER_SCHEMA_OPTIONS, waiverFileValidator } from "../../engine/waivers.ts";
import {
  loadOwnCatalogue,
  type OwnCatalogue,
  policiesDigest,
  rulesDigest,
  WAIVER_VALIDATOR_EXPORT,
  waiverSchemaDigest,
} from "../../loader/own-catalogue.ts";
import { readPolicyDir } from "../../loader/policy-files.ts";
import { ROOT } from "../support/cli.ts";
import { loadFixtures } from "../support/fixtures.ts";

const now = new Date("2026-01-01T00:00:00Z");
// Inside the repository (.tmp/ is ignored), so the generated code resolves ajv as it does in dist/.
mkdirSync(join(ROOT, ".tmp"), { recursive: true });
const dir = mkdtempSync(join(ROOT, ".tmp", "generated-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let runtime: OwnCatalogue | undefined;
/**
 * The own catalogue checked and compiled at run time (`check: true`, as `validate` loads it),
 * compiled once for the file: what the validators are generated from, the reference their verdicts
 * are compared with, and the facade's catalogue. Nothing here changes a loaded catalogue.
 */
const runtimeCatalogue = () => (runtime ??= loadOwnCatalogue(now, { check: true }));

let generated: ReturnType<typeof generateValidators> | undefined;

/**
 * Generates the validators into `dir` as the build does, with the given digests. The code depends
 * on the policies only, so it is generated once and written again with each set of digests.
 */
function generate(digests: { policies: string; rules: string; waiverSchema: string }) {
  generated ??= generateValidators(runtimeCatalogue().catalogue, createAjv, { esm: false });
  const { code, index } = generated;
  writeFileSync(join(dir, "validators.cjs"), code);
  writeFileSync(
    join(dir, "waivers.cjs"),
    generateValidator(WAIVER_SCHEMA, WAIVER_SCHEMA_OPTIONS, WAIVER_VALIDATOR_EXPORT),
  );
  writeFileSync(join(dir, "manifest.json"), JSON.stringify({ ...digests, index }));
}

describe("the own catalogue's generated validators", () => {
  const current = {
    policies: policiesDigest(readPolicyDir()),
    rules: rulesDigest() ?? "",
    waiverSchema: waiverSchemaDigest(),
  };

  it("are used when current and give the verdicts of the run-time compile on every real item", () => {
    generate(current);
    const standalone = loadOwnCatalogue(now, { generatedDir: dir });
    const runtime = runtimeCatalogue();
    expect(standalone.validators).toBe("standalone");
    expect(runtime.validators).toBe("runtime");
    expect(standalone.catalogue.controls.map((c) => c.id)).toEqual(
      runtime.catalogue.controls.map((c) => c.id),
    );
    const a = engineFrom(standalone);
    const b = engineFrom(runtime);
    const items = [...loadFixtures("ci"), ...loadFixtures("ci-partial")];
    expect(items.length).toBeGreaterThan(50);
    for (const { raw } of items) {
      for (const rating of ["C3I3A3", "C1I2A1"]) {
        expect(a.evaluate(raw, { rating, now })).toEqual(b.evaluate(raw, { rating, now }));
      }
    }
  });

  it("are not used when the policy texts, the waiver schema or the rules/ sources changed since they were generated", () => {
    generate({ ...current, policies: "0".repeat(64) });
    expect(loadOwnCatalogue(now, { generatedDir: dir }).validators).toBe("runtime");
    generate({ ...current, waiverSchema: "0".repeat(64) });
    expect(loadOwnCatalogue(now, { generatedDir: dir }).validators).toBe("runtime");
    generate({ ...current, rules: "0".repeat(64) });
    expect(loadOwnCatalogue(now, { generatedDir: dir }).validators).toBe("runtime");
  });

  it("check the waiver file as the run-time compile does: the same waivers and the same problems", () => {
    generate(current);
    const load = createRequire(import.meta.url);
    const generatedCheck = (load(join(dir, "waivers.cjs")) as Record<string, ValidateFunction>)[
      WAIVER_VALIDATOR_EXPORT
    ]!;
    const ids = new Set(["LOGS.RETENTION", "S3.PUBLIC-ACCESS-BLOCK"]);
    const waiver = {
      controlId: "LOGS.RETENTION",
      accounts: ["222222222222"],
      reason: "synthetic test traffic only",
      approver: "ciso@bank.example",
      granted: "2025-12-01",
      expires: "2026-06-30",
    };
    const files = [
      // In force, expired, granted for too long, unknown control, no scope, an unknown field, not JSON.
      { waivers: [waiver] },
      { waivers: [{ ...waiver, granted: "2025-01-01", expires: "2025-12-31" }] },
      {
        waivers: [
          { ...waiver, expires: "2027-06-30" },
          { ...waiver, controlId: "NO.SUCH" },
        ],
      },
      {
        waivers: [
          { ...waiver, accounts: undefined },
          { ...waiver, colour: "red" },
        ],
      },
      { waivers: "none" },
    ].map((f) => JSON.stringify(f, null, 2));
    files.push("{ not json");
    let problems = 0;
    for (const text of files) {
      const a = checkWaiverFile(generatedCheck, "policies/waivers.json", text, now, ids);
      const b = checkWaiverFile(waiverFileValidator(), "policies/waivers.json", text, now, ids);
      expect(a).toEqual(b);
      problems += a.problems.length;
    }
    expect(problems).toBeGreaterThanOrEqual(7);
  });

  it("digest every policy text: one changed character changes it", () => {
    const sources = readPolicyDir();
    const [first, ...rest] = sources.policies;
    const edited = { ...sources, policies: [{ ...first!, text: `${first!.text} ` }, ...rest] };
    expect(policiesDigest(edited)).not.toBe(policiesDigest(sources));
  });
});

describe("the library facade", () => {
  let engine: Engine;
  beforeAll(() => {
    engine = engineFrom(runtimeCatalogue());
  });
  const table = JSON.parse(
    readFileSync(new URL("../fixtures/ci/AWS_DynamoDB_Table/rdk-sample-ci.json", import.meta.url), "utf8"),
  );
  const instance = JSON.parse(
    readFileSync(new URL("../fixtures/ci/AWS_EC2_Instance/rdk-sample-ci.json", import.meta.url), "utf8"),
  );

  it("takes the rating as text or as levels, and a scope as a tagged value", () => {
    const text = engine.evaluate(table, { rating: "C2I2A2", now });
    expect(engine.evaluate(table, { rating: { c: 2, i: 2, a: 2 }, now })).toEqual(text);
    expect(text.required).toEqual({ c: 2, i: 2, a: 2 });
    expect(
      engine.evaluate(instance, { rating: "C3I3A3", now, scope: { kind: "service", service: "dynamodb" } }),
    ).toMatchObject({ compliance: "NOT_APPLICABLE" });
    expect(
      engine.evaluate(instance, { rating: "C3I3A3", now, scope: { kind: "allowed-services" } }),
    ).toMatchObject({
      compliance: "NON_COMPLIANT",
      findings: [expect.objectContaining({ controlId: "PLATFORM.ALLOWED-SERVICE" })],
    });
  });

  it("rejects a bad rating or time with one line naming it", () => {
    expect(() => engine.evaluate(table, { rating: "C4I1A1", now })).toThrow(InputError);
    expect(() => engine.evaluate(table, { rating: { c: 0, i: 1, a: 1 } as never, now })).toThrow(/^rating: /);
    expect(() => engine.evaluate(table, { rating: "C3I3A3", now: new Date("nope") })).toThrow(/^now: /);
  });
});
