// Runs every control's own cases: each case is an item (a real fixture or inline), edited with
// JSON pointers, that the control must PASS, FAIL or SKIP.

import { parseTree } from "jsonc-parser";
import type { Catalogue, CompiledControl, ControlCase, PolicySource } from "./catalogue.ts";
import { describeError, type PolicyProblem } from "./errors.ts";
import { evaluate } from "./evaluate.ts";
import { locator } from "./json-locate.ts";
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

/** A case that does not describe an item of its control: its fixture cannot be read, or is of another type. */
export class CaseItemError extends Error {
  override name = "CaseItemError";
  constructor(
    message: string,
    /** The property of the case at fault. */
    readonly field: "fixture" | "item",
  ) {
    super(message);
  }
}

/**
 * The canonical item a case describes. Throws CaseItemError when its fixture cannot be read or
 * the item is of another resource type than the control judges (the control would not even run).
 */
export function caseItem(
  control: Pick<CompiledControl, "resourceType">,
  testCase: ControlCase,
  readFixture: (name: string) => unknown,
): ConfigurationItem {
  const field = testCase.fixture ? "fixture" : "item";
  let raw: unknown;
  try {
    raw = testCase.fixture ? readFixture(testCase.fixture) : testCase.item;
  } catch (error) {
    throw new CaseItemError(describeError(error), "fixture");
  }
  const item = normalise(structuredClone(raw), { resourceType: control.resourceType });
  for (const [pointer, value] of Object.entries(testCase.set ?? {})) {
    setPointer(item as unknown as Record<string, unknown>, pointer, structuredClone(value));
  }
  if (item.resourceType !== control.resourceType) {
    throw new CaseItemError(
      `the case's ${field === "fixture" ? `fixture "${testCase.fixture}"` : "item"} is of type ${item.resourceType}, but the control judges ${control.resourceType}`,
      field,
    );
  }
  return item;
}

/**
 * The cases of every control that describe no item of the control (a fixture that cannot be read,
 * an item of another resource type), each at its policy file, line and pointer: what `compliance
 * test` would only report as an ERROR, found without running a check.
 */
export function caseProblems(
  catalogue: Catalogue,
  sources: readonly PolicySource[],
  readFixture: (name: string) => unknown,
): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  for (const policy of catalogue.policies) {
    const text = sources.find((s) => s.file === policy.file)?.text ?? "";
    let at: ReturnType<typeof locator> | undefined;
    policy.controls.forEach((control, index) => {
      // A control on a type its service does not list is reported as such: its cases would only say it again.
      if (!policy.resourceTypes.includes(control.resourceType)) return;
      control.cases.forEach((testCase, caseIndex) => {
        try {
          caseItem(control, testCase, readFixture);
        } catch (error) {
          const pointer = `/controls/${index}/cases/${caseIndex}${error instanceof CaseItemError ? `/${error.field}` : ""}`;
          at ??= locator(text, parseTree(text));
          problems.push({
            file: policy.file,
            pointer,
            level: "error",
            message: `${control.id} case ${caseIndex}: ${describeError(error)}`,
            ...at(pointer),
          });
        }
      });
    });
  }
  return problems;
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
