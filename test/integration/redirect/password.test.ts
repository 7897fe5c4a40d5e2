import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decodeJwt } from 'jose';
import type { LimitResult, RateLimiter } from '../../../engine/ratelimit/limiter';
import { startTestEngine, TEST_DOMAIN, type TestEngine } from '../../support/engine';
import { createLink, updateLink, type TestLink } from '../../support/link-fixtures';
import { DESKTOP_UA, visit, type VisitOptions, type Visited } from '../../support/redirect-client';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

const cookieOf = (response: Visited): string => {
  const header = response.headers['set-cookie']?.[0];
  assert.ok(header, 'an unlock cookie is set');
  return header;
};
const cookiePair = (setCookie: string) => setCookie.split(';')[0];

describe('password-protected links', () => {
  let t: TestEngine;
  const go = (path: string, options: VisitOptions = {}) =>
    visit(t.baseUrl, path, { host: TEST_DOMAIN, ...options, headers: { 'user-agent': DESKTOP_UA, ...options.headers } });
  const submit = (link: TestLink, password: string) =>
    go(link.path, { method: 'POST', body: new URLSearchParams({ password }).toString(), headers: FORM });
  const protectedLink = (password = 'open sesame', fields = {}) =>
    createLink(t.engine, { workspaceId: t.workspace.id, password, url: 'https://example.com/secret', ...fields });

  before(async () => {
    t = await startTestEngine();
  });
  after(() => t.stop());

  test('GET shows an accessible HTML form that posts the password in the body, never the query string', async () => {
    const link = await protectedLink();
    const response = await go(link.path);
    assert.equal(response.status, 200);
    assert.match(String(response.headers['content-type']), /^text\/html/);
    assert.match(String(response.headers['cache-control']), /no-store/);
    assert.equal(response.location, undefined);
    assert.match(response.body, /<form method="post">/);
    assert.match(response.body, /<label for="password">Password<\/label>/);
    assert.match(response.body, /<input id="password" name="password" type="password"/);
    assert.doesNotMatch(response.body, /method="get"/i);
    assert.doesNotMatch(response.body, /https:\/\/example\.com\/secret/, 'the destination is not revealed');
  });

  test('the right password redirects (303) and sets an HttpOnly, SameSite=Lax cookie bound to the link for at most 24 h', async () => {
    const link = await protectedLink();
    const response = await submit(link, 'open sesame');
    assert.equal(response.status, 303);
    assert.equal(response.location, 'https://example.com/secret');
    const cookie = cookieOf(response);
    assert.match(cookie, /^mask_unlock=[\w-]+\.[\w-]+\.[\w-]+; /);
    assert.match(cookie, new RegExp(`; Path=${link.path};`));
    assert.match(cookie, /; HttpOnly/);
    assert.match(cookie, /; SameSite=Lax/);
    assert.doesNotMatch(cookie, /; Secure/, 'plain HTTP without a trusted proxy');
    const maxAge = Number(/Max-Age=(\d+)/.exec(cookie)?.[1]);
    assert.ok(maxAge > 0 && maxAge <= 86_400);
    const claims = decodeJwt(cookiePair(cookie).slice('mask_unlock='.length));
    assert.equal(claims.sub, link.id);
    assert.ok((claims.exp as number) - (claims.iat as number) <= 86_400);

    const again = await go(link.path, { headers: { cookie: cookiePair(cookie) } });
    assert.equal(again.status, 302);
    assert.equal(again.location, 'https://example.com/secret');
  });

  test('the query string survives the gate', async () => {
    const link = await protectedLink();
    const response = await go(`${link.path}?ref=mail`, { method: 'POST', body: 'password=open+sesame', headers: FORM });
    assert.equal(response.location, 'https://example.com/secret?ref=mail');
  });

  test('a wrong or empty password shows the form again with an error, and no cookie', async () => {
    const link = await protectedLink();
    for (const password of ['wrong', '']) {
      const response = await submit(link, password);
      assert.equal(response.status, 403);
      assert.equal(response.headers['set-cookie'], undefined);
      assert.match(response.body, /role="alert"/);
      assert.match(response.body, /aria-invalid="true"/);
    }
    const noField = await go(link.path, { method: 'POST', body: 'other=1', headers: FORM });
    assert.equal(noField.status, 403);
  });

  test("link A's cookie does not open link B; a tampered or foreign cookie does not open anything", async () => {
    const a = await protectedLink('same password');
    const b = await protectedLink('same password');
    const cookie = cookiePair(cookieOf(await submit(a, 'same password')));
    assert.equal((await go(b.path, { headers: { cookie } })).status, 200, 'form, not a redirect');
    const [header, payload] = cookie.slice('mask_unlock='.length).split('.');
    const forged = Buffer.from(JSON.stringify({ ...decodeJwt(cookie.slice('mask_unlock='.length)), sub: b.id })).toString('base64url');
    assert.equal((await go(b.path, { headers: { cookie: `mask_unlock=${header}.${forged}.${payload}` } })).status, 200);
    assert.equal((await go(a.path, { headers: { cookie: 'mask_unlock=not-a-token; other=1' } })).status, 200);
  });

  test('changing the password voids cookies issued for the old one', async () => {
    const link = await protectedLink('first');
    const cookie = cookiePair(cookieOf(await submit(link, 'first')));
    assert.equal((await go(link.path, { headers: { cookie } })).status, 302);
    await updateLink(t.engine, link, { password: 'second' });
    assert.equal((await go(link.path, { headers: { cookie } })).status, 200);
    assert.equal((await submit(link, 'first')).status, 403);
    assert.equal((await submit(link, 'second')).status, 303);
  });

  test('removing the password opens the link for everyone', async () => {
    const link = await protectedLink();
    await updateLink(t.engine, link, { password: null });
    assert.equal((await go(link.path)).status, 302);
  });

  test('after 10 attempts from one client in 10 minutes the gate answers 429 with Retry-After, even for the right password', async () => {
    const link = await protectedLink();
    for (let i = 0; i < 10; i++) assert.equal((await submit(link, `guess ${i}`)).status, 403);
    const blocked = await submit(link, 'open sesame');
    assert.equal(blocked.status, 429);
    assert.match(blocked.body, /Too many attempts/);
    assert.ok(Number(blocked.headers['retry-after']) > 0);
    const other = await protectedLink();
    assert.equal((await submit(other, 'open sesame')).status, 303, 'the limit is per link');
  });

  test('a password POST that is not a urlencoded form answers 415; a huge body 413; neither is counted as an attempt', async () => {
    const link = await protectedLink();
    const json = await go(link.path, { method: 'POST', body: '{"password":"open sesame"}', headers: { 'content-type': 'application/json' } });
    assert.equal(json.status, 415);
    assert.match(json.body, /Unsupported form/);
    assert.equal((await go(link.path, { method: 'POST', body: 'password=x' })).status, 415, 'no content type');
    const huge = await go(link.path, { method: 'POST', body: `password=${'x'.repeat(200_000)}`, headers: FORM });
    assert.equal(huge.status, 413);
    const chunked = await go(link.path, { method: 'POST', body: Buffer.alloc(50_000, 'a'), headers: { ...FORM, 'transfer-encoding': 'chunked' } });
    assert.equal(chunked.status, 413);
    assert.equal((await submit(link, 'open sesame')).status, 303);
  });

  test('a password longer than any real one is refused without hashing it', async () => {
    const link = await protectedLink();
    assert.equal((await submit(link, 'x'.repeat(2000))).status, 403);
  });

  test('POST to a link without a password answers 405', async () => {
    const link = await createLink(t.engine, { workspaceId: t.workspace.id });
    const response = await submit(link, 'anything');
    assert.equal(response.status, 405);
    assert.equal(response.headers.allow, 'GET, HEAD');
  });

  test('a successful unlock counts one click; showing the form counts none', async () => {
    const link = await protectedLink();
    await go(link.path);
    const cookie = cookiePair(cookieOf(await submit(link, 'open sesame')));
    await go(link.path, { headers: { cookie } });
    await t.parts.clicks.flush();
    const rows = await t.parts.db('clicks').where({ link_id: link.id });
    assert.equal(rows.length, 2);
    const stored = await t.parts.db('links').where({ id: link.id }).first();
    assert.equal(Number(stored.clicks), 2);
  });
});

describe('password gate behind a trusted proxy, with a failing limiter', () => {
  let t: TestEngine;
  let limiterDown = false;

  before(async () => {
    t = await startTestEngine({ trustProxy: 'loopback' });
    // The Redis-backed limiter fails closed by throwing; this stands in for a Redis outage on the engine's own limiter.
    const limiter: RateLimiter = t.parts.limiter;
    const consume = limiter.consume.bind(limiter);
    limiter.consume = (key, limit, windowMs): Promise<LimitResult> =>
      limiterDown ? Promise.reject(new Error('redis down')) : consume(key, limit, windowMs);
  });
  after(() => t.stop());

  test('the cookie is Secure when a trusted proxy says the request came over HTTPS', async () => {
    const link = await createLink(t.engine, { workspaceId: t.workspace.id, password: 'pw' });
    const response = await visit(t.baseUrl, link.path, {
      method: 'POST',
      host: TEST_DOMAIN,
      body: 'password=pw',
      headers: { ...FORM, 'x-forwarded-proto': 'https' },
    });
    assert.equal(response.status, 303);
    assert.match(cookieOf(response), /; Secure/);
  });

  test('attempts are limited per client address as the trusted proxy reports it', async () => {
    const link = await createLink(t.engine, { workspaceId: t.workspace.id, password: 'pw' });
    const from = (ip: string, password: string) =>
      visit(t.baseUrl, link.path, { method: 'POST', host: TEST_DOMAIN, body: `password=${password}`, headers: { ...FORM, 'x-forwarded-for': ip } });
    for (let i = 0; i < 10; i++) await from('203.0.113.7', 'wrong');
    assert.equal((await from('203.0.113.7', 'pw')).status, 429);
    assert.equal((await from('198.51.100.9', 'pw')).status, 303);
  });

  test('when the limiter is unavailable the gate refuses with 503 instead of checking passwords unlimited', async () => {
    const link = await createLink(t.engine, { workspaceId: t.workspace.id, password: 'pw' });
    limiterDown = true;
    try {
      const response = await visit(t.baseUrl, link.path, { method: 'POST', host: TEST_DOMAIN, body: 'password=pw', headers: FORM });
      assert.equal(response.status, 503);
      assert.match(response.body, /Temporarily unavailable/);
      assert.equal(response.headers['set-cookie'], undefined);
    } finally {
      limiterDown = false;
    }
  });
});
