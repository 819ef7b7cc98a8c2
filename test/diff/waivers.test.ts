import { describe, expect, it } from "vitest";
import { describeScope, diffWaivers, isEmptyWaiverDiff } from "../../cli/diff/waivers.ts";
import type { Waiver } from "../../engine/waivers.ts";

const waiver = (over: Partial<Waiver> = {}): Waiver => ({
  controlId: "DDB.PITR",
  accounts: ["111111111111"],
  reason: "rebuilt nightly",
  approver: "ciso@example.com",
  granted: "2026-01-01",
  expires: "2026-06-30",
  ...over,
});

describe("diffWaivers", () => {
  it("identifies a waiver by control and scope, whatever the order of its lists", () => {
    const a = waiver({ accounts: ["111111111111", "222222222222"] });
    const b = waiver({ accounts: ["222222222222", "111111111111"] });
    expect(isEmptyWaiverDiff(diffWaivers([a], [b]))).toBe(true);
  });

  it("lists waivers added, removed and changed (an extension is a change)", () => {
    const kept = waiver();
    const gone = waiver({ controlId: "DDB.ON-DEMAND" });
    const added = waiver({ resources: ["arn:aws:dynamodb:*:*:table/scratch-*"], accounts: undefined });
    const extended = { ...kept, expires: "2026-12-31", approver: "cto@example.com" };
    const diff = diffWaivers([kept, gone], [extended, added]);
    expect(diff.added).toEqual([added]);
    expect(diff.removed).toEqual([gone]);
    expect(diff.changed).toEqual([
      {
        waiver: extended,
        changes: ["approver ciso@example.com -> cto@example.com", "expires 2026-06-30 -> 2026-12-31"],
      },
    ]);
    expect(describeScope(added)).toBe("resources arn:aws:dynamodb:*:*:table/scratch-*");
    expect(describeScope(waiver({ accounts: undefined }))).toBe("every resource");
  });
});
