import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ACCOUNTS, CAPTURED_AT, sampleItems, writeSample } from "../../samples/generate.ts";
import { ROOT, runCli } from "../support/cli.ts";

describe("the embedded sample organisation", () => {
  it("is what samples/generate.ts writes (regenerate with `npm run sample`)", () => {
    const dir = mkdtempSync(join(tmpdir(), "sample-"));
    writeSample(dir);
    const committed = join(ROOT, "samples/organisation");
    for (const file of ["accounts.json", ...readdirSync(join(dir, "items")).map((f) => `items/${f}`)]) {
      expect(readFileSync(join(committed, file), "utf8"), file).toBe(readFileSync(join(dir, file), "utf8"));
    }
  });

  it("has a production account, a low-rated development account, an unrated account and 30+ items", () => {
    const tags = Object.values(ACCOUNTS).map((a) => a.tags as Record<string, string>);
    expect(tags.some((t) => t.environment === "production")).toBe(true);
    expect(tags.some((t) => t["cia-rating"] === "C1I1A1")).toBe(true);
    expect(tags.some((t) => t["cia-rating"] === undefined)).toBe(true);
    expect(Object.values(sampleItems()).flat().length).toBeGreaterThanOrEqual(30);
  });

  it("gives every resource its own real-shaped ids, consistent with its account and region", () => {
    const ids = new Set<string>();
    const arns = new Set<string>();
    for (const [account, items] of Object.entries(sampleItems())) {
      for (const item of items) {
        const id = String(item.resourceId);
        const arn = String(item.ARN ?? item.arn);
        const where = `${item.resourceType} ${id}`;
        expect(ids.has(`${item.resourceType} ${id}`), where).toBe(false);
        expect(arns.has(arn), where).toBe(false);
        ids.add(`${item.resourceType} ${id}`);
        arns.add(arn);
        expect(item.awsAccountId ?? item.accountId, where).toBe(account);
        expect(item.configurationItemCaptureTime, where).toBe(CAPTURED_AT);
        // The ARN: arn:aws:<service>:<region>:<account>:..., region empty for global services.
        const [, , , region, arnAccount] = arn.split(":");
        if (arnAccount) expect(arnAccount, where).toBe(account);
        if (region) expect(region, where).toBe(item.awsRegion);
        for (const n of `${id} ${arn}`.match(/\b\d{12}\b/g) ?? []) expect(n, where).toBe(account);
        for (const r of `${id} ${arn}`.match(/\b[a-z]{2}-[a-z]+-\d\b/g) ?? [])
          expect(r, where).toBe(item.awsRegion);
      }
    }
    expect(ids.size).toBe(Object.values(sampleItems()).flat().length);
  });

  it("evaluates with some resources compliant and some not, every account shown", async () => {
    const { code, stdout } = await runCli(["evaluate", "--format", "json"]);
    expect(code).toBe(1);
    const out = JSON.parse(stdout) as { results: { accountId: string; compliance: string }[] };
    expect(new Set(out.results.map((r) => r.accountId))).toEqual(new Set(Object.keys(ACCOUNTS)));
    const counts = new Map<string, number>();
    for (const r of out.results) counts.set(r.compliance, (counts.get(r.compliance) ?? 0) + 1);
    expect(counts.get("COMPLIANT")).toBeGreaterThan(0);
    expect(counts.get("NON_COMPLIANT")).toBeGreaterThan(0);
  });
});
