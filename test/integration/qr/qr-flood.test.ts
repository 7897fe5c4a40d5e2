import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestEngine, TEST_DOMAIN, type TestEngine } from '../../support/engine';
import { visit } from '../../support/redirect-client';

const FLOOD = 10;
const FLOOD_CONCURRENCY = 5;
const REDIRECTS = 3;

/** A distinct, uncached, large QR code: every one must be drawn (a dark green that varies, margins that vary). */
const floodPath = (slug: string, i: number) =>
  `/${slug}/qr?size=2048&error_correction=H&margin=${i % 17}&foreground=%2300${(i * 3).toString(16).padStart(2, '0')}00`;

describe('QR rendering never blocks redirects (drawn off the event loop)', () => {
  let t: TestEngine;
  let slug: string;

  before(async () => {
    t = await startTestEngine({ anonymousRateLimitPerMinute: 100_000, qrThreads: 1 });
    slug = (await t.api('POST', '/api/v1/links', { body: { url: 'https://example.com/flood', slug: 'flood-target' } })).body.slug;
  });
  after(() => t.stop());

  test(`while ${FLOOD} uncached 2048 px codes are drawn, ${FLOOD_CONCURRENCY} at a time, single redirects keep answering`, async () => {
    let finished = 0;
    const statuses: number[] = [];
    let next = 0;
    const flooder = async () => {
      while (next < FLOOD) {
        const i = next++;
        const response = await visit(t.baseUrl, floodPath(slug, i), { host: TEST_DOMAIN });
        statuses.push(response.status);
        finished += 1;
      }
    };
    const flood = Promise.all(Array.from({ length: FLOOD_CONCURRENCY }, flooder));

    // Once the engine is drawing (the flood has reached it), time single redirects against the flood.
    while (t.parts.qr.inProgress === 0 && finished === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const finishedAtRedirect: number[] = [];
    for (let i = 0; i < REDIRECTS; i++) {
      const redirect = await visit(t.baseUrl, `/${slug}`, { host: TEST_DOMAIN });
      assert.equal(redirect.status, 302);
      assert.equal(redirect.location, 'https://example.com/flood');
      finishedAtRedirect.push(finished);
    }
    await flood;

    assert.deepEqual(new Set(statuses), new Set([200]), 'every code was drawn');
    // The ordering fact: each redirect was answered while drawings were still pending. On the event loop, a redirect
    // would wait behind the renders already running; on threads it overtakes them all.
    for (const done of finishedAtRedirect) assert.ok(done < FLOOD, `a redirect waited for the whole flood (${finishedAtRedirect.join(', ')})`);
    assert.ok((finishedAtRedirect.at(-1) as number) < FLOOD, 'the last redirect too');
  });

  test('concurrent requests for the same uncached code share one drawing, and it is cached afterwards', async () => {
    const path = `/${slug}/qr?size=1024&foreground=%23102030`;
    const responses = await Promise.all(Array.from({ length: 6 }, () => visit(t.baseUrl, path, { host: TEST_DOMAIN })));
    assert.deepEqual(responses.map((r) => r.status), [200, 200, 200, 200, 200, 200]);
    assert.equal(new Set(responses.map((r) => r.headers.etag)).size, 1);
    assert.equal(t.parts.qr.inProgress, 0);
  });
});

describe('keyless QR codes are limited by what they cost', () => {
  let t: TestEngine;
  let slug: string;

  before(async () => {
    t = await startTestEngine({ anonymousRateLimitPerMinute: 20, trustProxy: true });
    slug = (await t.api('POST', '/api/v1/links', { body: { url: 'https://example.com/cost', slug: 'cost-target' } })).body.slug;
  });
  after(() => t.stop());

  const from = (address: string) => ({ host: TEST_DOMAIN, headers: { 'x-forwarded-for': address } });

  test('an uncached 2048 px code takes 16 slots, a cached one takes 1, a default-size one takes 1', async () => {
    const big = `/${slug}/qr?size=2048&error_correction=H`;
    const first = await visit(t.baseUrl, big, from('198.51.100.7'));
    assert.equal(first.status, 200, first.body);
    assert.equal(first.headers['x-ratelimit-remaining'], '4', 'one for the request, fifteen more for drawing 2048 px');

    const otherBig = await visit(t.baseUrl, `/${slug}/qr?size=2048&error_correction=L`, from('198.51.100.7'));
    assert.equal(otherBig.status, 429, 'another uncached one no longer fits');
    assert.equal(JSON.parse(otherBig.body).error.code, 'rate_limit_exceeded');
    assert.ok(Number(otherBig.headers['retry-after']) >= 1);

    const cached = await visit(t.baseUrl, big, from('198.51.100.7'));
    assert.equal(cached.status, 200, 'the same image again is cached: it costs one request');
    const small = await visit(t.baseUrl, `/${slug}/qr?size=256`, from('198.51.100.7'));
    assert.equal(small.status, 200);

    const elsewhere = await visit(t.baseUrl, `/${slug}/qr?size=2048&error_correction=L`, from('198.51.100.8'));
    assert.equal(elsewhere.status, 200, 'other addresses have their own allowance');
  });
});
