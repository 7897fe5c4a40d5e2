import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import express from 'express';
import { startTestEngine, TEST_DOMAIN, type TestEngine } from '../../support/engine';
import { addDomain, createLink, deleteLink, randomSlug, updateLink } from '../../support/link-fixtures';
import { ANDROID_UA, DESKTOP_UA, IPHONE_UA, visit, type VisitOptions } from '../../support/redirect-client';

const REQUEST_ID = /^req_[0-9a-z]{26}$/;

function assertHtmlPage(response: { status: number; headers: Record<string, unknown>; body: string }, status: number, text: RegExp) {
  assert.equal(response.status, status, response.body);
  assert.match(String(response.headers['content-type']), /^text\/html; charset=utf-8/);
  assert.match(String(response.headers['cache-control']), /no-store/);
  assert.match(String(response.headers['x-request-id']), REQUEST_ID);
  assert.match(response.body, /^<!doctype html>\n<html lang="en">/);
  assert.match(response.body, text);
}

describe('redirects', () => {
  let t: TestEngine;
  const go = (path: string, options: VisitOptions = {}) => visit(t.baseUrl, path, { host: TEST_DOMAIN, ...options });
  const link = (fields: Parameters<typeof createLink>[1] extends infer I ? Omit<I, 'workspaceId'> : never = {}) =>
    createLink(t.engine, { workspaceId: t.workspace.id, ...fields });

  before(async () => {
    t = await startTestEngine();
  });
  after(() => t.stop());

  test('GET /:slug answers 302 to the destination, uncacheable, with a request id and no body', async () => {
    const created = await link({ url: 'https://example.com/landing?a=1#top' });
    const response = await go(created.path, { headers: { 'user-agent': DESKTOP_UA } });
    assert.equal(response.status, 302);
    assert.equal(response.location, 'https://example.com/landing?a=1#top');
    assert.match(String(response.headers['cache-control']), /no-store/);
    assert.match(String(response.headers['x-request-id']), REQUEST_ID);
    assert.equal(response.body, '');
  });

  test('HEAD answers the same redirect without a body', async () => {
    const created = await link();
    const response = await go(created.path, { method: 'HEAD' });
    assert.equal(response.status, 302);
    assert.equal(response.location, 'https://example.com/landing');
    assert.equal(response.body, '');
  });

  test("the link's UTM parameters are set on the destination, replacing any of the same name", async () => {
    const created = await link({ url: 'https://example.com/p?utm_source=old&x=1', utm_source: 'twitter', utm_medium: 'social' });
    const location = new URL((await go(created.path)).location as string);
    assert.equal(location.searchParams.get('x'), '1');
    assert.equal(location.searchParams.get('utm_source'), 'twitter');
    assert.equal(location.searchParams.get('utm_medium'), 'social');
    assert.equal(location.searchParams.has('utm_campaign'), false);
    assert.equal(location.searchParams.getAll('utm_source').length, 1);
  });

  test("the short URL's own query reaches the destination and wins over parameters of the same name", async () => {
    const created = await link({ url: 'https://example.com/p?x=1&keep=yes', utm_source: 'twitter' });
    const location = new URL((await go(`${created.path}?utm_source=newsletter&x=2&tag=a&tag=b`)).location as string);
    assert.equal(location.searchParams.get('keep'), 'yes');
    assert.equal(location.searchParams.get('x'), '2');
    assert.equal(location.searchParams.get('utm_source'), 'newsletter');
    assert.deepEqual(location.searchParams.getAll('tag'), ['a', 'b']);
  });

  test('iOS and Android visitors go to their targets; everyone else to the destination', async () => {
    const both = await link({ ios_target: 'https://apps.apple.com/app/id1', android_target: 'https://play.google.com/store/apps/details?id=x', utm_source: 'qr' });
    assert.equal((await go(both.path, { headers: { 'user-agent': IPHONE_UA } })).location, 'https://apps.apple.com/app/id1?utm_source=qr');
    assert.equal((await go(both.path, { headers: { 'user-agent': ANDROID_UA } })).location, 'https://play.google.com/store/apps/details?id=x&utm_source=qr');
    assert.equal((await go(both.path, { headers: { 'user-agent': DESKTOP_UA } })).location, 'https://example.com/landing?utm_source=qr');
    assert.equal((await go(both.path)).location, 'https://example.com/landing?utm_source=qr');

    const iosOnly = await link({ ios_target: 'https://apps.apple.com/app/id2' });
    assert.equal((await go(iosOnly.path, { headers: { 'user-agent': ANDROID_UA } })).location, 'https://example.com/landing');
  });

  test('slugs are case-sensitive; a trailing slash still opens the link', async () => {
    const created = await link({ slug: `Case${randomSlug()}` });
    assert.equal((await go(created.path)).status, 302);
    assert.equal((await go(`${created.path}/`)).status, 302);
    assertHtmlPage(await go(created.path.toLowerCase()), 404, /Link not found/);
  });

  test('an unknown slug answers an HTML 404 page naming the short link', async () => {
    const response = await go('/nothing-here');
    assertHtmlPage(response, 404, /Link not found/);
    assert.match(response.body, /go\.mask\.test\/nothing-here/);
    assert.doesNotMatch(response.body, /<script|<link |src=/i, 'self-contained');
  });

  test('a link before starts_at answers 404; after expires_at 410', async () => {
    const soon = await link({ starts_at: Date.now() + 3_600_000 });
    assertHtmlPage(await go(soon.path), 404, /not active yet/);
    const started = await link({ starts_at: Date.now() - 1000, expires_at: Date.now() + 3_600_000 });
    assert.equal((await go(started.path)).status, 302);
    const expired = await link({ expires_at: Date.now() - 1000 });
    assertHtmlPage(await go(expired.path), 410, /Link expired/);
    const head = await go(expired.path, { method: 'HEAD' });
    assert.equal(head.status, 410);
    assert.equal(head.body, '');
    assert.ok(Number(head.headers['content-length']) > 0, 'HEAD announces the length of the page GET would send');
  });

  test('test-mode links redirect too, and their clicks carry mode "test"', async () => {
    const created = await link({ mode: 'test' });
    assert.equal((await go(created.path, { headers: { 'user-agent': DESKTOP_UA } })).status, 302);
    await t.parts.clicks.flush();
    const rows = await t.parts.db('clicks').where({ link_id: created.id });
    assert.equal(rows.length, 1);
    assert.equal(rows[0].mode, 'test');
    assert.equal(rows[0].workspace_id, t.workspace.id);
  });

  test('updates and deletes take effect at once, and a link created after a 404 opens at once', async () => {
    const created = await link({ url: 'https://example.com/before' });
    assert.equal((await go(created.path)).location, 'https://example.com/before');
    await updateLink(t.engine, created, { url: 'https://example.com/after', utm_campaign: 'spring' });
    assert.equal((await go(created.path)).location, 'https://example.com/after?utm_campaign=spring');
    await deleteLink(t.engine, created);
    assert.equal((await go(created.path)).status, 404);

    const slug = randomSlug();
    assert.equal((await go(`/${slug}`)).status, 404);
    await link({ slug });
    assert.equal((await go(`/${slug}`)).status, 302);
  });

  test('the Host header picks the domain: exact host, then host without port; unknown hosts use the default domain', async () => {
    const slug = randomSlug();
    await addDomain(t.engine, t.workspace.id, 'links.example.org');
    await addDomain(t.engine, t.workspace.id, 'ports.example.org:8443');
    await t.parts.redirects.domains.refresh();
    await link({ slug, url: 'https://example.com/default-domain' });
    await link({ slug, domain: 'links.example.org', url: 'https://example.com/custom' });
    await link({ slug, domain: 'ports.example.org:8443', url: 'https://example.com/with-port' });

    const at = async (host: string) => (await visit(t.baseUrl, `/${slug}`, { host })).location;
    assert.equal(await at('links.example.org'), 'https://example.com/custom');
    assert.equal(await at('LINKS.Example.org.'), 'https://example.com/custom');
    assert.equal(await at('links.example.org:8080'), 'https://example.com/custom');
    assert.equal(await at('ports.example.org:8443'), 'https://example.com/with-port');
    assert.equal(await at('ports.example.org'), 'https://example.com/default-domain');
    assert.equal(await at(TEST_DOMAIN), 'https://example.com/default-domain');
    assert.equal(await at('unknown.example.net'), 'https://example.com/default-domain');
  });

  test('a custom domain without the slug answers 404 instead of falling back', async () => {
    const created = await link();
    await addDomain(t.engine, t.workspace.id, 'empty.example.org');
    await t.parts.redirects.domains.refresh();
    assert.equal((await visit(t.baseUrl, created.path, { host: 'empty.example.org' })).status, 404);
  });

  test('the API and health checks stay with Express', async () => {
    const health = await go('/healthz');
    assert.equal(health.status, 200);
    assert.deepEqual(JSON.parse(health.body), { status: 'ok' });
    assert.equal((await go('/api/v1/me', { headers: { authorization: `Bearer ${t.adminKey}` } })).status, 200);
    for (const path of ['/api', '/robots.txt', '/favicon.ico']) {
      assert.match(String((await go(path)).headers['content-type']), /application\/json/, `${path}: reserved for the engine's own routes`);
    }
  });

  test('the same fast path serves redirects when the engine is mounted in a host Express app, also under a prefix', async () => {
    const created = await link();
    const host = express();
    host.get('/host-route', (_req, res) => {
      res.send('host');
    });
    host.use('/go', t.engine.app);
    host.use(t.engine.app);
    const server = host.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      for (const path of [created.path, `/go${created.path}`]) {
        const response = await visit(base, path, { host: TEST_DOMAIN });
        assert.equal(response.status, 302, path);
        assert.equal(response.location, 'https://example.com/landing');
        assert.match(String(response.headers['x-request-id']), REQUEST_ID);
      }
      assert.equal((await visit(base, '/host-route')).body, 'host');
      assert.equal((await visit(base, '/api/v1/me', { headers: { authorization: `Bearer ${t.adminKey}` } })).status, 200);
      assertHtmlPage(await visit(base, '/missing-link', { host: TEST_DOMAIN }), 404, /Link not found/);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('redirects with MASK_UNKNOWN_HOST=404 and MASK_REDIRECT_STATUS=301', () => {
  let t: TestEngine;
  before(async () => {
    t = await startTestEngine({ unknownHost: '404', redirectStatus: 301 });
  });
  after(() => t.stop());

  test('an unknown host answers 404; the default domain still redirects, with the configured status', async () => {
    const created = await createLink(t.engine, { workspaceId: t.workspace.id });
    assert.equal((await visit(t.baseUrl, created.path, { host: 'unknown.example.net' })).status, 404);
    const response = await visit(t.baseUrl, created.path, { host: TEST_DOMAIN });
    assert.equal(response.status, 301);
    assert.match(String(response.headers['cache-control']), /no-store/);
  });
});
