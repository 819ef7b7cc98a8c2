// The table's account headline: how far the account is from its rating (resources meeting it in
// every dimension, and per dimension), not the weakest resource's level; resource lines keep theirs.

import { describe, expect, it } from "vitest";
import { formatRating } from "../../engine/cia.ts";
import { accountDistance, renderTable } from "../../engine/report/table.ts";
import type { CiaAchieved, Compliance, EvaluationRecord } from "../../engine/types.ts";
import { PROD, sampleInput } from "./sample-input.ts";

const input = sampleInput();
const base = input.records[0] as EvaluationRecord;
const rec = (compliance: Compliance, achieved: CiaAchieved): EvaluationRecord => ({
  ...base,
  compliance,
  achieved,
});

describe("account headline of the table report", () => {
  const required = { c: 2, i: 2, a: 2 } as const;

  it("counts resources meeting the rating in every dimension and per dimension, over evaluated ones", () => {
    const records = [
      rec("COMPLIANT", { c: 3, i: 3, a: 3 }),
      rec("NON_COMPLIANT", { c: 2, i: 1, a: 2 }),
      rec("NON_COMPLIANT", { c: 0, i: 0, a: 0 }),
      rec("NOT_APPLICABLE", { c: 0, i: 0, a: 0 }),
    ];
    expect(accountDistance(records, required)).toBe("1 of 3 evaluated meet it (C 67%, I 33%, A 67%)");
  });

  it("says when nothing was evaluated", () => {
    expect(accountDistance([rec("NOT_APPLICABLE", { c: 0, i: 0, a: 0 })], required)).toBe(
      "no resource evaluated",
    );
  });

  it("heads each account with the distance, and keeps each resource's own level", () => {
    const table = renderTable(input, { color: false });
    const records = input.records.filter((r) => r.accountId === PROD);
    const rating = records[0]?.required;
    if (!rating) throw new Error("sample has no record in the production account");
    const headline = `  required ${formatRating(rating)}: ${accountDistance(records, rating)}; `;
    expect(table).toContain(`(payments-prod, production, payments@example.com)\n${headline}`);
    expect(table).not.toMatch(/achieved C\dI\dA\d/);
    for (const r of records.filter((r) => r.compliance !== "NOT_APPLICABLE")) {
      expect(table).toMatch(new RegExp(`${r.resourceType} +\\S+ +${formatRating(r.achieved)}`));
    }
  });
});
