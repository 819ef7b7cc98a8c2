// What the HTML report calls a resource: the account item (`AWS::::Account`, whose id is the
// account number) reads "account 111111111111" in its heading and in the fix-first lists.

import { describe, expect, it } from "vitest";
import { displayName } from "../../engine/report/html/details.ts";
import { renderHtml } from "../../engine/report/html.ts";
import type { EvaluationRecord } from "../../engine/types.ts";
import { PROD, sampleInput } from "./sample-input.ts";

const input = sampleInput();
const base = input.records.find((r) => r.accountId === PROD && r.compliance === "NON_COMPLIANT");
if (!base) throw new Error("sample has no non-compliant record in the production account");
const accountItem: EvaluationRecord = {
  ...base,
  resourceType: "AWS::::Account",
  resourceId: PROD,
  resourceName: undefined,
  arn: undefined,
};

describe("resource names in the HTML report", () => {
  it("names the account item by the word account and its id, other resources by name", () => {
    expect(displayName(accountItem)).toBe(`account ${PROD}`);
    expect(displayName(base)).toBe(base.resourceName ?? base.resourceId);
  });

  it("uses that name in the resource heading and the fix-first list", () => {
    const html = renderHtml({ ...input, records: [...input.records, accountItem] });
    const named = html.match(/<span class="seg">account 111111111111<\/span>/g) ?? [];
    expect(named.length).toBeGreaterThanOrEqual(2);
  });
});
