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
  // Identifiers are split into unbreakable segments (wrapping only at their separators); the
  // checks on text read the page without those segment wrappers.
  const html = renderHtml(input).replace(/<wbr>|<span class="seg(?: long)?">([^<]*)<\/span>/g, "$1");

  it("is one self-contained document: no external scripts, styles, images or fonts", () => {
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/\bsrc\s*=\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/url\(/i);
    // No absolute URL at all (charts are HTML and CSS, not SVG).
    expect(html.match(/https?:\/\//g)).toBeNull();
    expect(html).toContain("Content-Security-Policy");
    expect(html).toMatch(/<style>[\s\S]*@media print/);
  });

  it("escapes every piece of text from the data", () => {
    expect(html).not.toContain("<script>window.__pwned");
    expect(html).not.toContain("<img src=x");
    expect(html).toContain(esc(HOSTILE_NAME));
    expect(html).toContain("<title>Sample run &lt;three accounts&gt;: compliance report</title>");
    // No script element at all: the page needs none, and its policy allows none.
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain("default-src &#39;none&#39;");
    expect(html).not.toContain("script-src");
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

  it("shows the data-as-of time and the report time to the second, without milliseconds", () => {
    const latest = input.records
      .map((r) => r.capturedAt)
      .sort()
      .at(-1)!;
    expect(html).toContain(
      `Data as of <time datetime="${latest.slice(0, 19)}Z">${latest.slice(0, 19).replace("T", " ")} UTC</time>`,
    );
    expect(html).toContain("Report 2026-03-01 12:00:00 UTC");
    expect(html).not.toMatch(/\d\d:\d\d:\d\d\.\d{3}/);
  });

  it("tells a required failure apart from one not required at this rating, a waiver and a skip", () => {
    const dev = html.slice(
      html.indexOf('id="account-222222222222"'),
      html.indexOf('id="account-333333333333"'),
    );
    // Development (C1I1A1) does not require point-in-time recovery: shown, but not as a failure.
    expect(dev).toMatch(
      /<li class="finding FAIL not-required"><span class="badge optional"[^>]*>not required<\/span> <span class="sev-text">high<\/span> <code class="id">.*DDB\.PITR/,
    );
    expect(html).toContain('<span class="badge WAIVED">waived</span>');
    // Passing controls are collapsed.
    expect(html).toMatch(/<details class="passing"><summary>\d+ passing, \d+ skipped<\/summary>/);
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
