// The API reference at /api/v1/docs in a real Chromium: Redoc renders the served OpenAPI document, lists the
// operations, runs its search (in a blob: worker), and asks nothing of any other origin (every other host is blocked
// and recorded); the page's CSP holds with one expected violation: Redoc's credit logo, which points at its CDN.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium, skipWithoutChromium } from '../support/chromium';
import { startTestEngine, type TestEngine } from '../support/engine';

describe('the API reference in Chromium', { skip: skipWithoutChromium }, () => {
  let t: TestEngine;
  let browser: Browser;
  before(async () => {
    t = await startTestEngine();
    ({ browser } = await launchChromium());
  });
  after(async () => {
    await browser?.close();
    await t?.stop();
  });

  test('renders every tag and operation of the OpenAPI document, offline, without console errors', { timeout: 90_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    const elsewhere: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    const origin = new URL(t.baseUrl).origin;
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(origin) || url.startsWith('blob:') || url.startsWith('data:')) return route.continue();
      elsewhere.push(url);
      return route.abort();
    });

    const response = await page.goto(`${t.baseUrl}/api/v1/docs`, { waitUntil: 'load', timeout: 30_000 });
    assert.equal(response?.status(), 200);
    // Redoc lists operations by their summary in the menu and as headings.
    await page.getByRole('heading', { name: 'Create a link' }).first().waitFor({ timeout: 45_000 });
    const text = await page.locator('body').innerText();
    const openapi = (await (await fetch(`${t.baseUrl}/api/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, { summary: string; tags: string[] }>> };
    const operations = Object.values(openapi.paths).flatMap((item) => Object.values(item));
    assert.ok(operations.length > 40, `${operations.length} operations`);
    for (const op of operations) assert.ok(text.includes(op.summary), `operation "${op.summary}" is listed`);
    for (const tag of new Set(operations.flatMap((op) => op.tags))) assert.ok(text.includes(tag), `tag ${tag}`);

    // The search runs in Redoc's worker (allowed by worker-src blob:): typing finds an operation.
    await page.getByPlaceholder('Search...').fill('rotate');
    const results = page.locator('[data-role="search:results"] [role="menuitem"]');
    await results.filter({ hasText: 'Rotate an API key' }).first().waitFor({ timeout: 15_000 });

    // Redoc's sidebar credit shows its logo from its CDN: the CSP blocks it (the only violation), so nothing leaves.
    const blockedLogo = /^Loading the image 'https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini\.svg' violates the following Content Security Policy directive/;
    const otherErrors = errors.filter((error) => !blockedLogo.test(error));

    assert.deepEqual(elsewhere, [], 'nothing is fetched from another origin');
    assert.deepEqual(otherErrors, [], 'no other console errors (a CSP violation would be one)');
    await context.close();
  });
});
