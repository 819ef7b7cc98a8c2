// The HTML report in a real browser: Debian's chromium driven by playwright-core. At a phone, a
// laptop and a desktop width the page must load with no console errors and no network request,
// never scroll sideways, never print one table cell's text over another's, show every account and
// the key numbers, keep hostile text inert, look like something (a screenshot with ink and colour),
// and print within about a page per ten resources.

import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatRating } from "../../engine/cia.ts";
import { renderHtml } from "../../engine/report/html.ts";
import { HOSTILE_NAME, sampleInput } from "../report/sample-input.ts";
import { launchChromium } from "./chromium.ts";
import { renderSampleReport } from "./sample-report.ts";

const WIDTHS = [390, 1024, 1440];

interface Loaded {
  page: Page;
  errors: string[];
  requests: string[];
}

async function open(browser: Browser, url: string, width: number): Promise<Loaded> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("request", (r) => {
    if (r.url() !== url) requests.push(r.url());
  });
  await page.goto(url, { waitUntil: "load" });
  return { page, errors, requests };
}

/** Pairs of table cells (in the same table) whose text boxes overlap, with their texts. */
const OVERLAPS = `(() => {
  const boxes = [];
  for (const table of document.querySelectorAll("table")) {
    const cells = [...table.querySelectorAll("td, th")].filter((c) => c.offsetParent !== null);
    const list = cells.map((cell) => {
      const range = document.createRange();
      range.selectNodeContents(cell);
      const r = range.getBoundingClientRect();
      return { text: cell.textContent.trim(), l: r.left, r: r.right, t: r.top, b: r.bottom };
    }).filter((b) => b.text !== "" && b.r > b.l && b.b > b.t);
    boxes.push(list);
  }
  const out = [];
  for (const list of boxes)
    for (let i = 0; i < list.length; i++)
      for (let j = i + 1; j < list.length; j++) {
        const a = list[i], b = list[j];
        const x = Math.min(a.r, b.r) - Math.max(a.l, b.l);
        const y = Math.min(a.b, b.b) - Math.max(a.t, b.t);
        if (x > 1 && y > 1) out.push(a.text + " | " + b.text);
      }
  return out;
})()`;

/** How many resources the sample organisation holds (its snapshots' items and its account items). */
function sampleResources(): number {
  const dir = "samples/organisation/items";
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .reduce((n, f) => {
      const value = JSON.parse(readFileSync(join(dir, f), "utf8")) as { configurationItems?: unknown[] };
      return n + (Array.isArray(value.configurationItems) ? value.configurationItems.length : 1);
    }, 0);
}

function pdfPages(pdf: Buffer): number {
  return pdf.toString("latin1").match(/\/Type\s*\/Page(?![s\w])/g)?.length ?? 0;
}

// One browser for the file (each describe opens its own pages): a chromium start is most of the
// file's cost.
let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
}, 60_000);
afterAll(async () => browser?.close());

describe("HTML report of the sample organisation in chromium", () => {
  let dir: string;
  let url: string;
  let html: string;
  const loaded = new Map<number, Loaded>();
  const accounts = JSON.parse(readFileSync("samples/organisation/accounts.json", "utf8")) as Record<
    string,
    { name: string }
  >;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "html-report-"));
    const file = join(dir, "sample.html");
    await renderSampleReport(file);
    html = readFileSync(file, "utf8");
    url = pathToFileURL(file).href;
    for (const width of WIDTHS) loaded.set(width, await open(browser, url, width));
  }, 60_000);

  afterAll(async () => {
    for (const { page } of loaded.values()) await page.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const width of WIDTHS) {
    describe(`at ${width} px`, () => {
      const at = () => loaded.get(width) as Loaded;

      it("loads with no console errors and no other request", () => {
        expect(at().errors).toEqual([]);
        expect(at().requests).toEqual([]);
      });

      it("never scrolls sideways", async () => {
        const [scroll, client] = (await at().page.evaluate(
          "[document.documentElement.scrollWidth, document.documentElement.clientWidth]",
        )) as [number, number];
        expect(client).toBe(width);
        expect(scroll).toBeLessThanOrEqual(client);
      });

      it("prints no table cell's text over another's", async () => {
        // Open the collapsed parts too, so that every table is laid out.
        await at().page.evaluate(`document.querySelectorAll("details").forEach((d) => { d.open = true; })`);
        expect(await at().page.evaluate(OVERLAPS)).toEqual([]);
        const [scroll, client] = (await at().page.evaluate(
          "[document.documentElement.scrollWidth, document.documentElement.clientWidth]",
        )) as [number, number];
        expect(scroll).toBeLessThanOrEqual(client);
        await at().page.evaluate(`document.querySelectorAll("details").forEach((d) => { d.open = false; })`);
      });

      it("shows every account, its rating, and the key numbers", async () => {
        const page = at().page;
        const ranking = page.locator("table.ranking");
        for (const [id, { name }] of Object.entries(accounts)) {
          const row = ranking.locator("tbody tr", { hasText: name });
          await expect(row.count()).resolves.toBe(1);
          await expect(row.textContent()).resolves.toContain(id);
          await expect(page.locator(`#account-${id} h2`).isVisible()).resolves.toBe(true);
        }
        const card = (key: string) => page.locator(`.card[data-key="${key}"] .value`).textContent();
        await expect(card("resources")).resolves.toBe(String(sampleResources()));
        await expect(card("accounts")).resolves.toBe(String(Object.keys(accounts).length));
        await expect(card("score")).resolves.toMatch(/^\d+(\.\d)?%$/);
        await expect(card("critical")).resolves.toMatch(/^\d+$/);
        await expect(page.locator('[data-key="as-of"]').isVisible()).resolves.toBe(true);
        await expect(page.locator('[data-key="as-of"]').textContent()).resolves.toMatch(
          /^Data as of \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/,
        );
      });

      it("renders a first screen that is not blank", async () => {
        await at().page.evaluate("window.scrollTo(0, 0)");
        const png = PNG.sync.read(await at().page.screenshot({ fullPage: false }));
        const colours = new Set<number>();
        let ink = 0;
        let red = 0;
        for (let i = 0; i < png.data.length; i += 4) {
          const [r, g, b] = [png.data[i] as number, png.data[i + 1] as number, png.data[i + 2] as number];
          colours.add((r << 16) | (g << 8) | b);
          if (r < 240 || g < 240 || b < 240) ink++;
          if (r === 0xcf && g === 0x22 && b === 0x2e) red++;
        }
        expect(colours.size).toBeGreaterThan(50);
        expect(ink / (png.width * png.height)).toBeGreaterThan(0.1);
        // The open critical and high findings are in red on the first screen.
        expect(red).toBeGreaterThan(100);
      });
    });
  }

  it("keeps ids, types and e-mail addresses whole on a phone", async () => {
    const page = (loaded.get(390) as Loaded).page;
    // Every identifier segment sits on one line: its box is one line high.
    const broken = await page.evaluate(`[...document.querySelectorAll(".seg:not(.long)")]
      .filter((s) => s.offsetParent !== null && s.getClientRects().length > 1)
      .map((s) => s.textContent)`);
    expect(broken).toEqual([]);
    expect(html).toContain('payments-team</span><wbr><span class="seg">@bank.example');
  });

  it("prints within about a page per ten resources", async () => {
    const page = (loaded.get(1024) as Loaded).page;
    // One article per resource, compliant or not: the bound follows the sample as it grows.
    const resources = (await page.evaluate(`document.querySelectorAll("article.resource").length`)) as number;
    expect(resources).toBeGreaterThanOrEqual(46);
    const pages = pdfPages(await page.pdf({ format: "A4" }));
    expect(pages).toBeGreaterThan(1);
    expect(pages).toBeLessThanOrEqual(Math.ceil(resources / 10));
  });
});

describe("HTML report with hostile text in chromium", () => {
  const input = sampleInput({ hostile: true });
  let dir: string;
  let at: Loaded;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "html-report-"));
    const file = join(dir, "report.html");
    writeFileSync(file, renderHtml(input));
    at = await open(browser, pathToFileURL(file).href, 1024);
  }, 60_000);

  afterAll(async () => {
    await at?.page.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("keeps hostile text inert and shows it as text", async () => {
    expect(at.errors).toEqual([]);
    await expect(at.page.evaluate("window.__pwned")).resolves.toBeUndefined();
    await expect(at.page.getByText(HOSTILE_NAME, { exact: false }).count()).resolves.toBeGreaterThan(0);
    await expect(at.page.title()).resolves.toBe("Sample run <three accounts>: compliance report");
    for (const [id, ctx] of input.accounts) {
      const row = at.page.locator("table.ranking tbody tr", { hasText: id });
      await expect(row.textContent()).resolves.toContain(formatRating(ctx.rating));
    }
  });

  it("has an overlap check that sees text printed over other text", async () => {
    // The check itself, on purpose: shift the ranking's second column over the first.
    await at.page.evaluate(`(() => {
      const style = document.createElement("style");
      style.id = "overlap-probe";
      style.textContent = "table.ranking td:nth-child(2) { position: relative; left: -120px; }";
      document.head.append(style);
    })()`);
    expect((await at.page.evaluate(OVERLAPS)) as string[]).not.toEqual([]);
    await at.page.evaluate(`document.getElementById("overlap-probe").remove()`);
    expect(await at.page.evaluate(OVERLAPS)).toEqual([]);
  });

  it("collapses compliant resources until asked", async () => {
    const visible = () => at.page.locator("article.resource:visible").count();
    await expect(visible()).resolves.toBe(input.summary.byCompliance.NON_COMPLIANT);
    // The compliant table with the hostile name is in the production account's folded part.
    const hostile = at.page.getByText(HOSTILE_NAME, { exact: false }).first();
    await expect(hostile.isVisible()).resolves.toBe(false);
    await at.page.locator("#account-111111111111 details.others > summary").click();
    await expect(visible()).resolves.toBeGreaterThan(input.summary.byCompliance.NON_COMPLIANT);
    await expect(hostile.isVisible()).resolves.toBe(true);
    await expect(at.page.evaluate("window.__pwned")).resolves.toBeUndefined();
  });
});
