// Runs every control's own cases: each case is an item (a real fixture or inline), edited with
// JSON pointers, that the control must PASS, FAIL or SKIP.

import type { Catalogue, CompiledControl, ControlCase } from "./catalogue.ts";
import { describeError } from "./errors.ts";
import { evaluate } from "./evaluate.ts";
import { normalise } from "./normalise.ts";
import { type PlatformCaseResult, runPlatformCases } from "./platform-cases.ts";
import type { ConfigurationItem, FindingStatus } from "./types.ts";

export type CaseResult =
  | {
      controlId: string;
      service: string;
      file: string;
      caseIndex: number;
      name: string;
      expected: ControlCase["expect"];
      actual: FindingStatus | "ERROR";
      ok: boolean;
      message: string;
    }
  /** A case of policies/platform-resources.json: the disposition an item gets. */
  | PlatformCaseResult;

/** Sets (or, with null, deletes) the value at a JSON pointer, creating objects on the way. */
export function setPointer(target: Record<string, unknown>, pointer: string, value: unknown): void {
  const parts = pointer
    .split("/")
    .slice(1)
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  let node: Record<string, unknown> | unknown[] = target;
  for (let i = 0; i < parts.length - 1; i++) {
    const key = parts[i]!;
    const next = (node as Record<string, unknown>)[key];
    if (typeof next !== "object" || next === null) {
      const created = /^\d+$/.test(parts[i + 1]!) ? [] : {};
      (node as Record<string, unknown>)[key] = created;
      node = created;
    } else {
      node = next as Record<string, unknown>;
    }
  }
  const last = parts[parts.length - 1]!;
  if (value === null && !Array.isArray(node)) delete (node as Record<string, unknown>)[last];
  else (node as Record<string, unknown>)[last] = value;
}

/** The canonical item a case describes. */
export function caseItem(
  control: Pick<CompiledControl, "resourceType">,
  testCase: ControlCase,
  readFixture: (name: string) => unknown,
): ConfigurationItem {
  const raw = testCase.fixture ? readFixture(testCase.fixture) : testCase.item;
  const item = normalise(structuredClone(raw), { resourceType: control.resourceType });
  for (const [pointer, value] of Object.entries(testCase.set ?? {})) {
    setPointer(item as unknown as Record<string, unknown>, pointer, structuredClone(value));
  }
  return item;
}

const RUN_AT = new Date("2026-01-01T00:00:00Z");

export function runCases(catalogue: Catalogue, readFixture: (name: string) => unknown): CaseResult[] {
  const results: CaseResult[] = [];
  const single = (control: CompiledControl): Catalogue => ({
    ...catalogue,
    byResourceType: new Map([[control.resourceType, [control]]]),
  });
  for (const control of catalogue.controls) {
    control.cases.forEach((testCase, caseIndex) => {
      const base = {
        controlId: control.id,
        service: control.service,
        file: control.file,
        caseIndex,
        name: testCase.name,
        expected: testCase.expect,
      };
      try {
        const item = caseItem(control, testCase, readFixture);
        const record = evaluate(item, single(control), { rating: { c: 3, i: 3, a: 3 }, now: RUN_AT });
        const finding = record.findings.find((f) => f.controlId === control.id);
        const actual = finding?.status ?? "ERROR";
        results.push({
          ...base,
          actual,
          ok: actual === testCase.expect,
          message: finding?.message ?? record.annotation,
        });
      } catch (error) {
        results.push({ ...base, actual: "ERROR", ok: false, message: describeError(error) });
      }
    });
  }
  results.push(...runPlatformCases(catalogue, readFixture));
  return results;
}
