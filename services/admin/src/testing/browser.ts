import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";

/** Debian's chromium; browser tests skip without it, except in CI, where it must be installed. */
export const CHROMIUM = "/usr/bin/chromium";

export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  const message = `${CHROMIUM} not found: browser tests are skipped (apt-get install chromium)`;
  if (process.env.CI) throw new Error(`${message}, but CI must run them`);
  console.warn(message);
  return false;
}

// These flags keep chromium from reaching for the network, which this machine refuses.
const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
}

const artifacts = fileURLToPath(new URL("../../../../test-artifacts/screenshots/", import.meta.url));

/** Saves a full-page screenshot as a test artifact (test-artifacts/screenshots/NAME.png). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: `${artifacts}${name}.png`, fullPage: true });
}
