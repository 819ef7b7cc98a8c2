// Regenerates docs/report-390.png and docs/report-1440.png: the first screen of the sample
// organisation's HTML report on a phone and on a desktop. Run: npm run screenshots

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { launchChromium } from "./chromium.ts";
import { renderSampleReport } from "./sample-report.ts";

const DOCS = fileURLToPath(new URL("../../docs/", import.meta.url));
const SHOTS = [
  { file: "report-390.png", width: 390, height: 1600 },
  { file: "report-1440.png", width: 1440, height: 1100 },
];

const dir = mkdtempSync(join(tmpdir(), "report-shots-"));
const browser = await launchChromium();
try {
  const html = join(dir, "report.html");
  await renderSampleReport(html);
  for (const shot of SHOTS) {
    const page = await browser.newPage({ viewport: { width: shot.width, height: shot.height } });
    await page.goto(pathToFileURL(html).href, { waitUntil: "load" });
    await page.screenshot({ path: join(DOCS, shot.file), fullPage: false });
    await page.close();
    process.stdout.write(`wrote docs/${shot.file} (${shot.width}x${shot.height})\n`);
  }
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}
