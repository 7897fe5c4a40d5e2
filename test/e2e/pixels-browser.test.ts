import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium, skipWithoutChromium as skip } from '../support/chromium';
import { startTestEngine, type TestEngine } from '../support/engine';
import { startReceiver, until, type Receiver } from '../support/webhook-receiver';

/**
 * A link with a custom retargeting pixel in a real Chromium: the interstitial loads the pixel script from a stand-in
 * pixel server on 127.0.0.1 (which then sends its beacon) and forwards to the destination with the click id; with
 * Global Privacy Control the pixel server hears nothing and the visitor is forwarded all the same.
 */
describe('a pixel link in Chromium', { skip }, () => {
  let t: TestEngine;
  let browser: Browser;
  let pixels: Receiver;
  let shop: Receiver;
  let shortUrl: string;
  let userAgent: string;

  before(async () => {
    pixels = await startReceiver((request) =>
      request.path.startsWith('/pixel.js')
        ? { status: 200, headers: { 'content-type': 'text/javascript' }, body: `new Image().src=${JSON.stringify(`${pixels.url}/beacon?ev=PageView`)};` }
        : { status: 204 },
    );
    shop = await startReceiver(() => ({ status: 200, headers: { 'content-type': 'text/html' }, body: '<!doctype html><title>Shop</title><p>Welcome</p>' }));
    t = await startTestEngine({ allowHttpUrls: true, pixelScriptHosts: new URL(pixels.url).host });
    const origin = `http://localhost:${new URL(t.baseUrl).port}`;
    const workspace = await t.parts.workspaces.create({ name: 'Shop', domain: new URL(origin).host });
    const key = await t.createKey(['admin'], { workspaceId: workspace.id });
    await t.parts.redirects.domains.refresh();
    const pixel = await t.api('POST', '/api/v1/pixels', { key, body: { name: 'Stand-in', provider: 'custom', script_url: `${pixels.url}/pixel.js` } });
    assert.equal(pixel.status, 201, pixel.text);
    const link = await t.api('POST', '/api/v1/links', { key, body: { url: `${shop.url}/landing`, slug: 'retarget', pixel_ids: [pixel.body.id], track_conversions: true } });
    assert.equal(link.status, 201, link.text);
    shortUrl = `${origin}/retarget`;
    ({ browser, userAgent } = await launchChromium());
  });

  after(async () => {
    await browser?.close();
    await t?.stop();
    await pixels?.close();
    await shop?.close();
  });

  test('the interstitial requests the pixel and forwards to the destination with the click id', async () => {
    const context = await browser.newContext({ userAgent });
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      await page.goto(shortUrl);
      await page.waitForURL(/\/landing\?mask_click_id=clk_/, { timeout: 10_000 });
      assert.equal(await page.title(), 'Shop');
      const paths = pixels.received.map((request) => request.path);
      assert.ok(paths.includes('/pixel.js'), paths.join(', '));
      await until(() => pixels.received.some((request) => request.path === '/beacon?ev=PageView'), 'the pixel’s beacon', 5_000);
      assert.deepEqual(errors, [], 'no CSP violation or script error on the interstitial');
      assert.equal(shop.received.filter((request) => request.path.startsWith('/landing?mask_click_id=clk_')).length, 1);
    } finally {
      await context.close();
    }
  });

  test('with Global Privacy Control no pixel is requested, and the visitor is forwarded all the same', async () => {
    const before = pixels.received.length;
    const context = await browser.newContext({ userAgent, extraHTTPHeaders: { 'Sec-GPC': '1' } });
    try {
      const page = await context.newPage();
      await page.goto(shortUrl);
      await page.waitForURL(/\/landing\?mask_click_id=clk_/, { timeout: 10_000 });
      assert.equal(pixels.received.length, before);
    } finally {
      await context.close();
    }
  });
});
