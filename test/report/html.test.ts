import { describe, expect, it } from "vitest";
import { formatRating } from "../../engine/cia.ts";
import { esc } from "../../engine/report/html/escape.ts";
import { buildOverview, minimumAchieved } from "../../engine/report/html/overview.ts";
import { renderHtml } from "../../engine/report/html.ts";
import { emptySummary } from "../../engine/report/types.ts";
import { DEV, HOSTILE_NAME, PROD, sampleInput, UNTAGGED } from "./sample-input.ts";

describe("HTML report overview figures", () => {
  const input = sampleInput();
  const overview = buildOverview(input);

  it("has every account, with the rating from its tags and the minimum achieved across its resources", () => {
    expect(overview.accounts.map((a) => a.accountId)).toEqual([PROD, DEV, UNTAGGED]);
    for (const account of overview.accounts) {
      const records = input.records.filter((r) => r.accountId === account.accountId);
      const evaluated = records.filter((r) => r.compliance !== "NOT_APPLICABLE");
      for (const d of ["c", "i", "a"] as const) {
        expect(account.achieved?.[d]).toBe(Math.min(...evaluated.map((r) => r.achieved[d])));
      }
      expect(account.context.rating).toEqual(input.accounts.get(account.accountId)?.rating);
      expect(account.evaluated).toBe(evaluated.length);
      for (const d of ["c", "i", "a"] as const) {
        expect(account.meeting[d]).toBe(
          evaluated.filter((r) => r.achieved[d] >= account.context.rating[d]).length,
        );
      }
    }
    // production forces C3I3A3 whatever its cia-rating tag says; untagged gets the highest.
    expect(formatRating(overview.accounts[0]!.context.rating)).toBe("C3I3A3");
    expect(formatRating(overview.accounts[1]!.context.rating)).toBe("C1I1A1");
    expect(overview.accounts[2]!.context.unclassified).toBe(true);
  });

  it("ignores not-applicable resources for the achieved level, and has none for an account without evaluations", () => {
    const deleted = input.records.find((r) => r.compliance === "NOT_APPLICABLE")!;
    expect(minimumAchieved([deleted])).toBeUndefined();
    const dev = input.records.filter((r) => r.accountId === DEV);
    expect(minimumAchieved(dev)).toEqual(minimumAchieved(dev.filter((r) => r !== deleted)));
  });

  it("counts compliance per service, naming services the catalogue does not allow", () => {
    const total = overview.services.reduce(
      (n, s) => n + s.counts.COMPLIANT + s.counts.NON_COMPLIANT + s.counts.NOT_APPLICABLE,
      0,
    );
    expect(total).toBe(input.records.length);
    const dynamodb = overview.services.find((s) => s.service === "dynamodb");
    expect(dynamodb?.allowed).toBe(true);
    const ddbRecords = input.records.filter((r) => r.resourceType === "AWS::DynamoDB::Table");
    expect(dynamodb?.counts.NON_COMPLIANT).toBe(
      ddbRecords.filter((r) => r.compliance === "NON_COMPLIANT").length,
    );
    expect(overview.services.find((s) => s.service === "ec2")?.allowed).toBe(false);
  });

  it("ranks the controls that fail most and the worst resources by severity", () => {
    const failing = (id: string) =>
      input.records.filter((r) =>
        r.findings.some((f) => f.controlId === id && f.status === "FAIL" && f.required),
      ).length;
    for (const c of overview.controls) expect(c.failing).toBe(failing(c.controlId));
    const counts = overview.controls.map((c) => c.failing);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect(overview.controls.find((c) => c.controlId === "DDB.PITR")?.waived).toBe(1);
    // A critical failure (service not allowed) ranks above a high one.
    expect(overview.worst[0]!.failures.some((f) => f.severity === "critical")).toBe(true);
    expect(overview.worst.at(-1)!.record.resourceType).toBe("AWS::DynamoDB::Table");
    expect(overview.worst.every((w) => w.record.compliance === "NON_COMPLIANT")).toBe(true);
  });
});

describe("renderHtml", () => {
  const input = sampleInput({ hostile: true });
  const html = renderHtml(input);

  it("is one self-contained document: no external scripts, styles, images or fonts", () => {
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/\bsrc\s*=\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/url\(/i);
    // The only absolute URL is the SVG namespace.
    const urls = [...html.matchAll(/https?:\/\/[^\s"'<)]+/g)].map((m) => m[0]);
    expect(new Set(urls)).toEqual(new Set(["http://www.w3.org/2000/svg"]));
    expect(html).toContain("Content-Security-Policy");
    expect(html).toMatch(/<style>[\s\S]*@media print/);
  });

  it("escapes every piece of text from the data", () => {
    expect(html).not.toContain("<script>window.__pwned");
    expect(html).not.toContain("<img src=x");
    expect(html).toContain(esc(HOSTILE_NAME));
    expect(html).toContain("<title>Sample run &lt;three accounts&gt;: compliance report</title>");
    // Exactly one script element: the report's own.
    expect(html.match(/<script/g)?.length).toBe(1);
  });

  it("shows every account and resource, and the key numbers", () => {
    for (const [id, ctx] of input.accounts) {
      expect(html).toContain(`id="account-${id}"`);
      if (ctx.name) expect(html).toContain(ctx.name);
    }
    for (const r of input.records) expect(html).toContain(esc(r.resourceName ?? r.resourceId));
    const card = (key: string) =>
      html.match(new RegExp(`data-key="${key}"><div class="value">([^<]*)<`))?.[1];
    expect(card("resources")).toBe(String(input.records.length));
    expect(card("non-compliant")).toBe(String(input.summary.byCompliance.NON_COMPLIANT));
    expect(card("compliant")).toBe(String(input.summary.byCompliance.COMPLIANT));
    expect(card("accounts")).toBe("3");
  });

  it("gives each failing control's rationale and remediation from the catalogue", () => {
    const pitr = input.catalogue.controls.find((c) => c.id === "DDB.PITR")!;
    expect(html).toContain(esc(pitr.rationale));
    expect(html).toContain(esc(pitr.remediation.console));
    expect(html).toContain(esc(pitr.remediation.cloudformation));
    // The waiver is shown with its reason.
    expect(html).toContain("Table is rebuilt nightly from the data lake");
    // The input problem is listed.
    expect(html).toContain("snapshots/broken.json");
  });

  it("renders a run with no records", () => {
    const empty = renderHtml({
      ...input,
      records: [],
      accounts: new Map(),
      problems: [],
      summary: emptySummary(),
    });
    expect(empty).toContain("No resources.");
    expect(empty).toContain("No required control fails.");
  });
});
