// Debian's chromium, driven by playwright-core, the way the browser tests and the screenshot
// script launch it: headless, no sandbox (containers), no GPU, no background network, no browser
// interface pages.

import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--no-first-run",
  // The omnibox popup's WebUI pages, which headless chromium loads in a renderer of their own
  // although it shows no omnibox: measured, that renderer kept busy at about half a core for as
  // long as the browser ran, more CPU than the tests' pages.
  "--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup",
];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}
