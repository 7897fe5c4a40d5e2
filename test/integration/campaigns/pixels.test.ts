import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestEngine, TEST_DOMAIN, type TestEngine } from '../../support/engine';
import { BOT_UA, DESKTOP_UA, visit } from '../../support/redirect-client';

describe('Links with retargeting pixels serve an interstitial', () => {
  let t: TestEngine;
  let metaId: string;

  before(async () => {
    t = await startTestEngine();
    metaId = (await t.api('POST', '/api/v1/pixels', { body: { name: 'Meta', provider: 'meta', pixel_id: '111222333' } })).body.id;
    const linkedin = (await t.api('POST', '/api/v1/pixels', { body: { name: 'LinkedIn', provider: 'linkedin', pixel_id: '4455' } })).body.id;
    await t.api('POST', '/api/v1/links', { body: { url: 'https://shop.example.com/p?a=1&b="2"', slug: 'with-pixels', pixel_ids: [metaId, linkedin], track_conversions: true } });
    await t.api('POST', '/api/v1/links', { body: { url: 'https://shop.example.com/plain', slug: 'no-pixels' } });
  });
  after(async () => {
    await t.stop();
  });

  const open = (slug: string, headers: Record<string, string> = {}, method = 'GET') =>
    visit(t.baseUrl, `/${slug}`, { host: TEST_DOMAIN, method, headers: { 'user-agent': DESKTOP_UA, ...headers } });

  test('the page loads the pixels under a CSP naming only their hosts, and forwards with a fallback', async () => {
    const page = await open('with-pixels');
    assert.equal(page.status, 200);
    assert.match(String(page.headers['content-type']), /text\/html/);
    assert.equal(page.headers['cache-control'], 'private, no-store, max-age=0');
    const csp = String(page.headers['content-security-policy']);
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    assert.ok(nonce, csp);
    assert.match(csp, /script-src 'nonce-[^']+' https:\/\/connect\.facebook\.net https:\/\/snap\.licdn\.com(;|$)/);
    assert.match(csp, /default-src 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline'[^;]*script|script-src[^;]*unsafe-inline/);
    assert.ok(page.body.includes(`<script nonce="${nonce}">`));
    assert.match(page.body, /fbq\('init',"111222333"\)/);
    assert.match(page.body, /<noscript><meta http-equiv="refresh" content="0;url=https:\/\/shop\.example\.com\/p\?a=1&amp;b=&quot;2&quot;&amp;mask_click_id=clk_/);
    assert.match(page.body, /https:\/\/www\.facebook\.com\/tr\?id=111222333&amp;ev=PageView&amp;noscript=1/);
    assert.match(page.body, /px\.ads\.linkedin\.com\/collect\/\?pid=4455/);
  });

  test('Do-Not-Track, Global Privacy Control, bots and HEAD requests get the plain redirect; links without pixels are untouched', async () => {
    for (const headers of [{ dnt: '1' }, { 'sec-gpc': '1' }, { 'user-agent': BOT_UA }] as Array<Record<string, string>>) {
      const response = await open('with-pixels', headers);
      assert.equal(response.status, 302, JSON.stringify(headers));
      assert.match(response.location ?? '', /^https:\/\/shop\.example\.com\/p\?a=1&b=%222%22&mask_click_id=clk_|^https:\/\/shop\.example\.com\/p\?a=1&b="2"&mask_click_id=clk_/);
    }
    assert.equal((await open('with-pixels', {}, 'HEAD')).status, 302);
    const plain = await open('no-pixels');
    assert.equal(plain.status, 302);
    assert.equal(plain.location, 'https://shop.example.com/plain');
    assert.equal(plain.headers['content-security-policy'], undefined);
  });

  test('a changed or deleted pixel reaches the redirect path at once', async () => {
    await t.api('PATCH', `/api/v1/pixels/${metaId}`, { body: { pixel_id: '999888777' } });
    assert.match((await open('with-pixels')).body, /fbq\('init',"999888777"\)/);
    await t.api('DELETE', `/api/v1/pixels/${metaId}`);
    const page = await open('with-pixels');
    assert.doesNotMatch(page.body, /fbq/);
    assert.match(String(page.headers['content-security-policy']), /snap\.licdn\.com/);
  });
});
