// The one way browser tests start Chromium. Debian's /usr/bin/chromium is used when it is installed;
// otherwise the Chromium packed inside the devDependency @sparticuz/chromium, which `npm ci` brings,
// so a fresh machine with no system browser runs the same tests (nothing is ever skipped).
import { statSync } from "node:fs";
import packagedChromium from "@sparticuz/chromium";
import { chromium, type Browser } from "playwright-core";

const SYSTEM_CHROMIUM = "/usr/bin/chromium";

/** Headless, offline and quiet: no sandbox (CI runs as root), no GPU, no background requests. */
const FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

export interface LaunchedBrowser {
  browser: Browser;
  /** Which binary runs, for the test log. */
  executablePath: string;
}

function isRegularFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The system browser if there is one, else the packaged one (unpacked to the temporary folder on first use). */
export async function chromiumPath(): Promise<string> {
  return isRegularFile(SYSTEM_CHROMIUM) ? SYSTEM_CHROMIUM : await packagedChromium.executablePath();
}

export async function launchChromium(): Promise<LaunchedBrowser> {
  const executablePath = await chromiumPath();
  const browser = await chromium.launch({ executablePath, headless: true, args: FLAGS });
  return { browser, executablePath };
}
