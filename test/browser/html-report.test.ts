// The HTML report in a real browser: Debian's chromium driven by playwright-core. The page must
// load with no console errors and no network request, show every account and the key numbers, keep
// hostile text inert, print, and look like something (a screenshot with many colours).

import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatRating } from "../../engine/cia.ts";
import { renderHtml } from "../../engine/report/html.ts";
import { HOSTILE_NAME, sampleInput } from "../report/sample-input.ts";

const CHROMIUM = "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--no-first-run",
];

describe("HTML report in chromium", () => {
  const input = sampleInput({ hostile: true });
  let dir: string;
  let url: string;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
    dir = mkdtempSync(join(tmpdir(), "html-report-"));
    const file = join(dir, "report.html");
    writeFileSync(file, renderHtml(input));
    url = pathToFileURL(file).href;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") consoleErrors.push(`${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => consoleErrors.push(`pageerror: ${e.message}`));
    page.on("request", (r) => {
      if (r.url() !== url) requests.push(r.url());
    });
    await page.goto(url, { waitUntil: "load" });
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("loads with no console errors and no other request", () => {
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([]);
  });

  it("shows every account with its rating, and the key numbers", async () => {
    const accountsTable = page.locator("table.accounts");
    for (const [id, ctx] of input.accounts) {
      const row = accountsTable.locator("tr", { hasText: id });
      await expect(row.count()).resolves.toBe(1);
      await expect(row.textContent()).resolves.toContain(formatRating(ctx.rating));
      await expect(page.locator(`#account-${id}`).isVisible()).resolves.toBe(true);
    }
    const card = (key: string) => page.locator(`.card[data-key="${key}"] .value`).textContent();
    await expect(card("resources")).resolves.toBe(String(input.records.length));
    await expect(card("non-compliant")).resolves.toBe(String(input.summary.byCompliance.NON_COMPLIANT));
    await expect(card("compliant")).resolves.toBe(String(input.summary.byCompliance.COMPLIANT));
    await expect(card("accounts")).resolves.toBe(String(input.accounts.size));
    // The heat map has a cell per account and dimension.
    await expect(page.locator("svg.chart").first().locator("rect").count()).resolves.toBe(
      input.accounts.size * 3,
    );
  });

  it("keeps hostile text inert and shows it as text", async () => {
    await expect(page.evaluate("window.__pwned")).resolves.toBeUndefined();
    await expect(page.getByText(HOSTILE_NAME, { exact: false }).first().isVisible()).resolves.toBe(true);
    await expect(page.title()).resolves.toBe("Sample run <three accounts>: compliance report");
  });

  it("filters to non-compliant resources with its one script", async () => {
    const visible = () => page.locator("article.resource:visible").count();
    await expect(visible()).resolves.toBe(input.records.length);
    await page.locator("#only-failing").check();
    await expect(visible()).resolves.toBe(input.summary.byCompliance.NON_COMPLIANT);
    // Printing shows everything and hides the toolbar.
    await page.emulateMedia({ media: "print" });
    await expect(visible()).resolves.toBe(input.records.length);
    await expect(page.locator(".toolbar").isVisible()).resolves.toBe(false);
    await page.emulateMedia({ media: "screen" });
    await page.locator("#only-failing").uncheck();
    const pdf = await page.pdf({ format: "A4" });
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    expect(consoleErrors).toEqual([]);
  });

  it("renders a screenshot that is not blank", async () => {
    await page.evaluate("window.scrollTo(0, 0)");
    const png = PNG.sync.read(await page.screenshot({ fullPage: false }));
    const colours = new Set<number>();
    let ink = 0;
    for (let i = 0; i < png.data.length; i += 4) {
      const [r, g, b] = [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!];
      colours.add((r << 16) | (g << 8) | b);
      if (r < 240 || g < 240 || b < 240) ink++;
    }
    expect(colours.size).toBeGreaterThan(50);
    // Header, cards, table and heat map: a good part of the first screen is not white.
    expect(ink / (png.width * png.height)).toBeGreaterThan(0.1);
    // The heat map's red (short of the required level) is on screen.
    let red = 0;
    for (let i = 0; i < png.data.length; i += 4) {
      if (png.data[i] === 0xcf && png.data[i + 1] === 0x22 && png.data[i + 2] === 0x2e) red++;
    }
    expect(red).toBeGreaterThan(500);
  });
});
