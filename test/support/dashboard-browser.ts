import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './chromium';
import type { EngineOptions } from '../../engine';
import { startTestEngine } from './engine';
// Shared with the test runner, which is plain JavaScript.
const { DASHBOARD_DIST, ensureDashboardBuilt } = require('../../scripts/dashboard-build') as { DASHBOARD_DIST: string; ensureDashboardBuilt: () => void };


export const DIST: string = DASHBOARD_DIST;
const AXE = require.resolve('axe-core/axe.min.js');
export const VIEWPORTS = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 800 } } as const;

/** A page and the console errors it logged. */
export type Tab = Page & { errors: string[] };

/** The built client: built when missing or older than its sources (the test runner has done so already). */
export function ensureBuilt(): void {
  ensureDashboardBuilt();
}

/** An engine serving the built dashboard, with a workspace whose domain is the test server, so short URLs work in the browser. */
export async function dashboardEngine(options: EngineOptions = {}) {
  const t = await startTestEngine({ dashboardDir: DIST, anonymousRateLimitPerMinute: 100_000, ...options });
  const port = new URL(t.baseUrl).port;
  // `localhost` (not 127.0.0.1): a secure context for the clipboard, and a host the redirect path serves over http.
  const origin = `http://localhost:${port}`;
  const workspace = await t.parts.workspaces.create({ name: 'Acme', domain: `localhost:${port}` });
  await t.parts.redirects.domains.refresh();
  return { t, origin, workspace };
}

/**
 * Chromium with the helpers every dashboard test uses: fresh profiles that collect console errors, axe-core in
 * light and dark, screenshots at 390 and 1280 px into a temporary folder, and calls made from inside a page.
 */
export class DashboardBrowser {
  readonly axeReport: string[] = [];
  readonly shots = fs.mkdtempSync(path.join(os.tmpdir(), 'mask-dashboard-shots-'));
  private constructor(
    private readonly browser: Browser,
    private readonly userAgent: string,
    private readonly contexts: BrowserContext[] = [],
  ) {}

  static async launch(): Promise<DashboardBrowser> {
    ensureBuilt();
    const { browser, userAgent } = await launchChromium();
    const launched = new DashboardBrowser(browser, userAgent);
    console.log(`screenshots: ${launched.shots}`);
    return launched;
  }

  async close(): Promise<void> {
    for (const line of this.axeReport) console.log(line);
    await this.browser.close();
  }

  /** A fresh browser profile at `base + at`; console errors (a CSP violation is one) and uncaught exceptions are collected. */
  async newPage(base: string, at: string): Promise<Tab> {
    const context = await this.browser.newContext({ viewport: VIEWPORTS.desktop, deviceScaleFactor: 1, userAgent: this.userAgent, acceptDownloads: true });
    this.contexts.push(context);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    const page = (await context.newPage()) as Tab;
    page.setDefaultTimeout(10_000);
    page.errors = [];
    page.on('console', (message) => {
      // A refused answer (401, 403, 409, 422…) is logged by Chromium as a failed resource; the answers themselves are asserted.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) page.errors.push(message.text());
    });
    page.on('pageerror', (error) => page.errors.push(error.message));
    const response = await page.goto(`${base}${at}`);
    assert.equal(response?.status(), 200, at);
    return page;
  }

  /** axe-core on the page as it is, in light and dark: no serious or critical violation. */
  async axe(page: Page, name: string): Promise<void> {
    // Evaluated through the debugging protocol, which the page's CSP (no inline script) rightly does not let a <script> tag do.
    if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(fs.readFileSync(AXE, 'utf8'));
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      const violations = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ') + ' ' + (n.failureSummary || '').split('\\n').slice(1, 2).join('')),
      })))`)) as { id: string; impact: string; help: string; nodes: string[] }[];
      const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      this.axeReport.push(`axe ${name} (${colorScheme}): ${violations.length ? violations.map((v) => `${v.id} [${v.impact}]`).join(', ') : 'no violations'}`);
      assert.deepEqual(bad, [], `axe on ${name} (${colorScheme})`);
    }
    await page.emulateMedia({ colorScheme: 'light' });
  }

  /** Screenshots at both widths in light and dark (no sideways scrolling), then axe; the page is left at desktop width, light. */
  async screen(page: Page, name: string): Promise<void> {
    for (const [width, viewport] of Object.entries(VIEWPORTS)) {
      await page.setViewportSize(viewport);
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        await page.screenshot({ path: path.join(this.shots, `${name}-${viewport.width}-${colorScheme}.png`), fullPage: width === 'phone' });
      }
      // The innermost elements that stick out on the right, to name in the failure.
      const overflow = (await page.evaluate(`document.documentElement.scrollWidth > window.innerWidth
        ? [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && ![...e.children].some((c) => c.getBoundingClientRect().right > window.innerWidth + 1))
            .slice(0, 5).map((e) => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : '') + ' ' + Math.round(e.getBoundingClientRect().right))
        : []`)) as string[];
      assert.deepEqual(overflow, [], `${name} at ${viewport.width} px scrolls sideways`);
    }
    await page.setViewportSize(VIEWPORTS.desktop);
    await page.emulateMedia({ colorScheme: 'light' });
    await this.axe(page, name);
  }
}

export const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name }).waitFor();

/** Opens a screen from the main navigation and waits for its heading. */
export async function open(page: Page, link: string, title: string | RegExp = link): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link, exact: true }).click();
  await heading(page, title);
}

/** Signs in on the sign-in screen and waits for Links. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await heading(page, 'Sign in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await heading(page, 'Links');
}

/** A call from inside the page, with its cookie; `csrf` adds the session's token as the client would. */
export async function call(page: Page, method: string, url: string, body?: unknown, csrf = true): Promise<{ status: number; body: any }> {
  return page.evaluate(
    `(async ({ method, url, body, csrf }) => {
      const headers = { 'content-type': 'application/json' };
      if (csrf) headers['x-csrf-token'] = (await (await fetch('/api/v1/auth/session')).json()).csrf_token;
      const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null };
    })(${JSON.stringify({ method, url, body, csrf })})`,
  );
}
