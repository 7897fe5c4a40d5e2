import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The `skip` of a browser suite: false where Chromium is installed, otherwise the reason. */
export const skipWithoutChromium = fs.existsSync(CHROMIUM) ? false : `Chromium is not installed at ${CHROMIUM} (apt-get install chromium); the browser test cannot run`;

/**
 * Launches Debian's Chromium with a fresh temporary profile, and the user agent a desktop Chrome would send (headless
 * Chromium says "HeadlessChrome", which the click pipeline rightly files as a bot).
 */
export async function launchChromium(): Promise<{ browser: Browser; userAgent: string }> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 15_000 });
  const cdp = await browser.newBrowserCDPSession();
  const userAgent = (await cdp.send('Browser.getVersion')).userAgent.replace('HeadlessChrome', 'Chrome');
  await cdp.detach();
  return { browser, userAgent };
}
