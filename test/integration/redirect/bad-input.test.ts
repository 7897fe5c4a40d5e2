import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestEngine, TEST_DOMAIN, type TestEngine } from '../../support/engine';
import { createLink, type TestLink } from '../../support/link-fixtures';
import { DESKTOP_UA, rawRequest, visit, type VisitOptions } from '../../support/redirect-client';

describe('redirects: bad input gets a proper 4xx, never a 500, never an unbounded row', () => {
  let t: TestEngine;
  let link: TestLink;
  const go = (path: string, options: VisitOptions = {}) => visit(t.baseUrl, path, { host: TEST_DOMAIN, ...options });
  const clicksOf = async (id: string) => {
    await t.parts.clicks.flush();
    return t.parts.db('clicks').where({ link_id: id });
  };

  before(async () => {
    t = await startTestEngine();
    link = await createLink(t.engine, { workspaceId: t.workspace.id });
  });
  after(() => t.stop());

  for (const path of ['/%FF%FE%FD', '/abc%00def', '/ab%2Fcd', '/%zz', '/ab%20cd', '/%C3%BCber-link', '/abc', `/${'a'.repeat(65)}`, `/${'a'.repeat(8000)}`, '/a.b.c', '/-abc', '/_abcd']) {
    test(`slug ${path.slice(0, 24)}${path.length > 24 ? '…' : ''} answers the HTML 404 page`, async () => {
      const response = await go(path);
      assert.equal(response.status, 404);
      assert.match(String(response.headers['content-type']), /^text\/html/);
      assert.match(response.body, /Link not found/);
    });
  }

  test('a percent-encoded slug resolves like the plain one', async () => {
    const encoded = `/${link.slug.slice(0, 2)}%${link.slug.charCodeAt(2).toString(16)}${link.slug.slice(3)}`;
    assert.equal((await go(encoded)).status, 302);
  });

  test('paths past the server header limit and raw non-ASCII bytes are refused by the HTTP parser with a 4xx', async () => {
    assert.equal((await go(`/${'a'.repeat(20_000)}`)).status, 431);
    const reply = await rawRequest(t.baseUrl, `GET /ab\xffcd HTTP/1.1\r\nHost: ${TEST_DOMAIN}\r\nConnection: close\r\n\r\n`);
    assert.match(reply, /^HTTP\/1\.1 4\d\d /);
  });

  test('multi-segment paths are not short links: Express answers its JSON 404', async () => {
    const response = await go(`${link.path}/extra`);
    assert.equal(response.status, 404);
    assert.match(String(response.headers['content-type']), /application\/json/);
  });

  test('an HTTP/1.0 request without Host uses the default domain; HTTP/1.1 without Host is refused with 400', async () => {
    const old = await rawRequest(t.baseUrl, `GET ${link.path} HTTP/1.0\r\n\r\n`);
    assert.match(old, /^HTTP\/1\.1 302 /);
    assert.match(old, /\r\nLocation: https:\/\/example\.com\/landing\r\n/);
    const modern = await rawRequest(t.baseUrl, `GET ${link.path} HTTP/1.1\r\nConnection: close\r\n\r\n`);
    assert.match(modern, /^HTTP\/1\.1 400 /);
  });

  for (const [name, host] of [
    ['huge', `${'a'.repeat(300)}.example`],
    ['spaces', 'exa mple.com'],
    ['markup', '<script>x</script>'],
    ['userinfo', 'user@example.com'],
    ['bad port', 'example.com:http'],
  ]) {
    test(`a Host header with ${name} answers the 400 page`, async () => {
      const response = await go(link.path, { host });
      assert.equal(response.status, 400);
      assert.match(response.body, /Bad request/);
      assert.doesNotMatch(response.body, /<script>x/);
    });
  }

  for (const method of ['PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
    test(`${method} on a short link answers 405 with Allow`, async () => {
      const response = await go(link.path, { method });
      assert.equal(response.status, 405);
      assert.equal(response.headers.allow, 'GET, HEAD, POST');
    });
  }

  test('absurd User-Agent and Referer headers still redirect, and the stored click keeps bounded fields', async () => {
    const target = await createLink(t.engine, { workspaceId: t.workspace.id });
    const userAgent = `${DESKTOP_UA} ${'x'.repeat(6000)}`;
    const referrer = `https://news.example.com/${'p'.repeat(6000)}`;
    const response = await go(target.path, { headers: { 'user-agent': userAgent, referer: referrer } });
    assert.equal(response.status, 302);
    const [row] = await clicksOf(target.id);
    assert.equal(row.referrer.length, 500);
    assert.equal(row.referrer_host, 'news.example.com');
    assert.equal(row.browser, 'Chrome');
    assert.ok(row.os.length <= 64);
  });

  test('a referer that is not a URL and country headers that are not country codes are stored as unknown', async () => {
    const target = await createLink(t.engine, { workspaceId: t.workspace.id });
    for (const country of ['<script>', 'DEU', 'T1', 'XX', 'de']) {
      await go(target.path, { headers: { referer: 'not a url', 'cf-ipcountry': country } });
    }
    const rows = await clicksOf(target.id);
    assert.deepEqual(rows.map((row: { country: string | null }) => row.country).sort(), ['DE', null, null, null, null].sort());
    assert.ok(rows.every((row: { referrer: string | null }) => row.referrer === null));
  });

  test('when the database cannot answer, cached links keep redirecting and others get a 503 page', async () => {
    const cached = await createLink(t.engine, { workspaceId: t.workspace.id });
    assert.equal((await go(cached.path)).status, 302);
    const { db } = t.parts;
    await db.schema.renameTable('links', 'links_offline');
    try {
      assert.equal((await go(cached.path)).status, 302);
      const response = await go('/never-cached');
      assert.equal(response.status, 503);
      assert.match(response.body, /Temporarily unavailable/);
      assert.ok(Number(response.headers['retry-after']) > 0);
    } finally {
      await db.schema.renameTable('links_offline', 'links');
    }
    assert.equal((await go('/never-cached')).status, 404);
  });

  test('destinations with characters a header cannot carry are percent-encoded, not a 500', async () => {
    const unicode = await createLink(t.engine, { workspaceId: t.workspace.id, url: 'https://bücher.example/straße?q=ü ✓' });
    assert.equal((await go(unicode.path)).location, 'https://xn--bcher-kva.example/stra%C3%9Fe?q=%C3%BC%20%E2%9C%93');
  });

  test('a query string too long to forward is dropped rather than making a huge Location header', async () => {
    const response = await go(`${link.path}?q=${'x'.repeat(5000)}`);
    assert.equal(response.status, 302);
    assert.equal(response.location, 'https://example.com/landing');
  });
});
