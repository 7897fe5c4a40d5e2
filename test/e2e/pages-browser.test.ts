import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, skipWithoutChromium as skip } from '../support/chromium';
import { startTestEngine, type TestEngine } from '../support/engine';

/**
 * A published bio page in a real Chromium: screenshots at phone and desktop widths (kept in a temporary folder, printed
 * for a person to look at), keyboard focus, no console errors (a CSP violation would be one), escaped text, and a
 * click on an item that the redirect path counts.
 */
describe('a bio page in Chromium', { skip }, () => {
  let t: TestEngine;
  let browser: Browser;
  let origin: string;
  let key: string;
  let shots: string;
  let linkId: string;
  let pageId: string;
  let userAgent: string;

  before(async () => {
    t = await startTestEngine({ allowHttpUrls: true });
    // The page lives on a domain named after the test server, so its short links resolve to it in the browser.
    origin = `http://localhost:${new URL(t.baseUrl).port}`;
    const workspace = await t.parts.workspaces.create({ name: 'Ada', domain: new URL(origin).host });
    key = await t.createKey(['admin'], { workspaceId: workspace.id });
    const destination = `${t.baseUrl}/healthz`;
    linkId = (await t.api('POST', '/api/v1/links', { key, body: { url: destination, slug: 'newsletter' } })).body.id;
    await t.parts.redirects.domains.refresh();
    const page = await t.api('POST', '/api/v1/pages', {
      key,
      body: {
        handle: 'ada',
        title: 'Ada Lovelace',
        description: 'Mathematician and writer. Notes on the Analytical Engine, talks and the newsletter.',
        items: [
          { label: 'Read the newsletter', link_id: linkId },
          { label: 'Notes on the Analytical Engine', url: `${destination}?item=notes` },
          { label: 'Upcoming talks', url: `${destination}?item=talks` },
          { label: 'Contact', url: `${destination}?item=contact` },
        ],
      },
    });
    assert.equal(page.status, 201, page.text);
    pageId = page.body.id;
    assert.equal((await t.api('POST', `/api/v1/pages/${pageId}/publish`, { key })).status, 200);

    shots = fs.mkdtempSync(path.join(os.tmpdir(), 'mask-page-shots-'));
    ({ browser, userAgent } = await launchChromium());
  });

  after(async () => {
    await browser?.close();
    await t?.stop();
  });

  /** Opens the page at a viewport; fails on any console error or failed request. */
  async function open(viewport: { width: number; height: number }, url = `${origin}/p/ada`): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({ viewport, deviceScaleFactor: 1, userAgent });
    const page = await context.newPage();
    page.setDefaultTimeout(5_000);
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    const response = await page.goto(url);
    assert.equal(response?.status(), 200);
    return { page, errors };
  }

  test('phone and desktop: the page renders with its landmarks, readable and without errors', async () => {
    for (const [name, viewport] of [['phone', { width: 390, height: 844 }], ['desktop', { width: 1280, height: 800 }]] as const) {
      const { page, errors } = await open(viewport);
      try {
        assert.equal(await page.title(), 'Ada Lovelace');
        assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Ada Lovelace');
        const nav = page.getByRole('navigation', { name: 'Links' });
        assert.equal(await nav.getByRole('link').count(), 4);
        assert.equal(await page.getByRole('main').count(), 1);
        assert.equal(await page.getByRole('contentinfo').count(), 1);
        const box = await nav.getByRole('link').first().boundingBox();
        assert.ok(box && box.height >= 48, 'touch targets are at least 48 px high');
        assert.ok(box && box.x >= 16 && box.x + box.width <= viewport.width - 16, 'buttons sit inside the viewport with a margin');
        // Browser-side code as strings: this project compiles without the DOM library.
        const overflow = await page.evaluate('document.documentElement.scrollWidth > window.innerWidth');
        assert.equal(overflow, false, 'no horizontal scrolling');
        const file = path.join(shots, `page-${name}.png`);
        await page.screenshot({ path: file, fullPage: true });
        console.log(`screenshot: ${file}`);
        assert.deepEqual(errors, []);
      } finally {
        await page.context().close();
      }
    }
  });

  test('keyboard: Tab reaches the first item, which shows a focus ring', async () => {
    const { page } = await open({ width: 390, height: 844 });
    try {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(`(() => {
        const style = getComputedStyle(document.activeElement);
        return { text: document.activeElement.textContent, outline: style.outlineStyle, width: style.outlineWidth };
      })()`);
      assert.deepEqual(focused, { text: 'Read the newsletter', outline: 'solid', width: '3px' });
      await page.screenshot({ path: path.join(shots, 'page-phone-focus.png') });
    } finally {
      await page.context().close();
    }
  });

  test('a title with a script tag is shown as text and never runs', async () => {
    const evil = '<script>window.__pwned = true</script><img src=x onerror="window.__pwned = true">';
    const created = await t.api('POST', '/api/v1/pages', { key, body: { handle: 'evil', title: evil, description: evil, items: [{ label: evil, link_id: linkId }] } });
    await t.api('POST', `/api/v1/pages/${created.body.id}/publish`, { key });
    const { page, errors } = await open({ width: 390, height: 844 }, `${origin}/p/evil`);
    try {
      assert.equal(await page.evaluate('typeof window.__pwned'), 'undefined');
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), evil);
      assert.equal(await page.getByRole('link').first().textContent(), evil);
      assert.equal(await page.locator('script, img').count(), 0);
      assert.deepEqual(errors, []);
    } finally {
      await page.context().close();
    }
  });

  test('clicking items goes through the short links and each click is counted', async () => {
    const { page } = await open({ width: 390, height: 844 });
    try {
      await Promise.all([page.waitForURL(/\/healthz$/), page.getByRole('link', { name: 'Read the newsletter' }).click()]);
      assert.match(await page.content(), /"status":"ok"/, 'the redirect reached the destination');
      await page.goBack();
      await Promise.all([page.waitForURL(/\/healthz\?item=talks$/), page.getByRole('link', { name: 'Upcoming talks' }).click()]);
    } finally {
      await page.context().close();
    }
    const counted = async () => {
      await t.parts.clicks.flush();
      return (await t.api('GET', `/api/v1/pages/${pageId}`, { key })).body.items.map((item: { clicks: number }) => item.clicks);
    };
    let clicks = await counted();
    for (let i = 0; i < 50 && clicks.join() !== '1,0,1,0'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      clicks = await counted();
    }
    assert.deepEqual(clicks, [1, 0, 1, 0], 'one click on the link item, one on the second URL item');
    assert.equal((await t.api('GET', `/api/v1/links/${linkId}`, { key })).body.clicks, 1);
  });
});
