import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestEngine, TEST_DOMAIN, type TestEngine } from '../../support/engine';
import { isoIn } from '../../support/links';
import { decodeQr, getRaw } from '../../support/pages';

describe('Bio pages in public: /p/{handle} and /p/{handle}/qr', () => {
  let t: TestEngine;
  let sale: { id: string; short_url: string };
  let page: { id: string; public_url: string; items: Array<{ short_url: string }> };

  const visit = async (path: string, options: Parameters<typeof getRaw>[2] = {}) => {
    const response = await getRaw(t.baseUrl, path, options);
    return { ...response, html: response.body.toString('utf8') };
  };

  before(async () => {
    t = await startTestEngine();
    sale = (await t.api('POST', '/api/v1/links', { body: { url: 'https://example.com/sale', slug: 'big-sale' } })).body;
    page = (
      await t.api('POST', '/api/v1/pages', {
        body: {
          handle: 'acme',
          title: '<script>alert("title")</script>',
          description: 'We make <b>things</b> & "stuff"\nSecond line',
          avatar_url: 'https://cdn.example.com/a.png?x=1&y="2"',
          theme: 'sunset',
          items: [
            { label: 'Sale <img src=x onerror=alert(1)>', link_id: sale.id },
            { label: 'Docs', url: 'https://example.com/docs' },
          ],
        },
      })
    ).body;
  });
  after(() => t.stop());

  test('an unpublished page is 404 until published, and again after unpublishing', async () => {
    const hidden = await visit('/p/acme');
    assert.equal(hidden.status, 404);
    assert.match(String(hidden.headers['content-type']), /^text\/html/);
    assert.match(hidden.html, /<h1>Page not found<\/h1>/);
    assert.equal(hidden.headers['cache-control'], 'no-store');

    await t.api('POST', `/api/v1/pages/${page.id}/publish`);
    assert.equal((await visit('/p/acme')).status, 200);
    await t.api('POST', `/api/v1/pages/${page.id}/unpublish`);
    assert.equal((await visit('/p/acme')).status, 404);
    await t.api('POST', `/api/v1/pages/${page.id}/publish`);
  });

  test('the HTML: items in order as links to their short URLs; every piece of user text escaped', async () => {
    const { status, html, headers } = await visit('/p/acme');
    assert.equal(status, 200);
    assert.equal(headers['content-type'], 'text/html; charset=utf-8');
    const hrefs = [...html.matchAll(/<li><a href="([^"]+)">/g)].map((m) => m[1]);
    assert.deepEqual(hrefs, page.items.map((item) => new URL(item.short_url).pathname), 'clicks go through the short links');
    assert.ok(page.items.every((item) => item.short_url.startsWith(`https://${TEST_DOMAIN}/`)), 'on the page’s own domain: as paths, back to the same host');
    assert.doesNotMatch(html, /<script|<b>|<img src=x|onerror=alert\(1\)>/i);
    assert.match(html, /<title>&lt;script&gt;alert\(&quot;title&quot;\)&lt;\/script&gt;<\/title>/);
    assert.match(html, /<h1>&lt;script&gt;alert\(&quot;title&quot;\)&lt;\/script&gt;<\/h1>/);
    assert.match(html, /<p class="bio">We make &lt;b&gt;things&lt;\/b&gt; &amp; &quot;stuff&quot;\nSecond line<\/p>/);
    assert.match(html, />Sale &lt;img src=x onerror=alert\(1\)&gt;<\/a>/);
    assert.match(html, /<img class="avatar" src="https:\/\/cdn\.example\.com\/a\.png\?x=1&amp;y=&quot;2&quot;" alt="Profile picture of &lt;script&gt;/);
    assert.match(html, /<html lang="en">/);
    assert.match(html, /<main>[\s\S]*<nav aria-label="Links">[\s\S]*<\/main>\n<footer>/, 'landmarks: main, navigation, contentinfo');
    assert.match(html, /a:focus-visible\{outline:3px solid/);
    assert.match(html, /--bg1:#ffe6d1/, 'the sunset theme');
    assert.doesNotMatch(html, /<link rel="stylesheet"|<script|src="http(?!s:\/\/cdn\.example\.com)/, 'self-contained: nothing external but the avatar');
    assert.match(html, /<link rel="canonical" href="https:\/\/go\.mask\.test\/p\/acme">/);
    assert.doesNotMatch(html, /noindex/, 'a live page may be indexed');
  });

  test('headers: a strict CSP allowing only the inline style by hash, revalidation by ETag, HEAD', async () => {
    const first = await visit('/p/acme');
    const csp = String(first.headers['content-security-policy']);
    assert.match(csp, /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; img-src https: data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'$/);
    const style = /<style>([\s\S]*?)<\/style>/.exec(first.html)?.[1] ?? '';
    const { createHash } = await import('node:crypto');
    assert.ok(csp.includes(`'sha256-${createHash('sha256').update(style).digest('base64')}'`), 'the hash is that of the inline style');
    assert.equal(first.headers['cache-control'], 'public, no-cache');
    assert.equal(first.headers['x-content-type-options'], 'nosniff');
    const etag = String(first.headers.etag);
    assert.equal((await visit('/p/acme', { headers: { 'if-none-match': etag } })).status, 304);
    await t.api('PATCH', `/api/v1/pages/${page.id}`, { body: { title: 'ACME' } });
    const changed = await visit('/p/acme', { headers: { 'if-none-match': etag } });
    assert.equal(changed.status, 200, 'an edit shows at once');
    assert.match(changed.html, /<h1>ACME<\/h1>/);
    const head = await visit('/p/acme', { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
  });

  test('paths: case-insensitive handle, trailing slash; odd handles 404; not a short link', async () => {
    assert.equal((await visit('/p/ACME')).status, 200);
    assert.equal((await visit('/p/acme/')).status, 200);
    assert.equal((await visit('/p/acme?utm_source=ig')).status, 200);
    for (const path of ['/p/ac', '/p/%3Cscript%3E', '/p/no-such-page', `/p/${'a'.repeat(65)}`]) assert.equal((await visit(path)).status, 404, path);
    const created = await t.api('POST', '/api/v1/links', { body: { url: 'https://example.com/', slug: 'p' } });
    assert.equal(created.status, 422, '"p" is reserved, so no link can shadow pages');
  });

  test('the Host picks the domain: a page on a custom domain is served there only', async () => {
    await t.parts.db('domains').insert({ id: 'dom_00000000000000000000000002', workspace_id: t.workspace.id, hostname: 'bio.acme.test', secure: true, is_default: false, created_at: Date.now() });
    await t.parts.redirects.domains.refresh();
    const branded = (
      await t.api('POST', '/api/v1/pages', {
        body: { handle: 'branded', domain: 'bio.acme.test', title: 'Branded', items: [{ label: 'Sale', link_id: sale.id }, { label: 'Docs', url: 'https://example.com/docs' }] },
      })
    ).body;
    await t.api('POST', `/api/v1/pages/${branded.id}/publish`);
    const served = await visit('/p/branded', { host: 'bio.acme.test' });
    assert.equal(served.status, 200);
    const hrefs = [...served.html.matchAll(/<li><a href="([^"]+)">/g)].map((m) => m[1]);
    assert.deepEqual(hrefs, [sale.short_url, new URL(branded.items[1].short_url).pathname], 'a link on another domain stays absolute');
    assert.equal((await visit('/p/branded', { host: 'BIO.ACME.TEST.' })).status, 200);
    assert.equal((await visit('/p/branded', { host: TEST_DOMAIN })).status, 404);
    assert.equal((await visit('/p/acme', { host: 'bio.acme.test' })).status, 404);
    assert.equal((await visit('/p/acme', { host: 'unknown.example' })).status, 200, 'an unknown host is served as the instance domain');
    assert.equal((await visit('/p/acme', { host: 'not a host!' })).status, 404, 'a malformed Host header finds nothing');
  });

  test('items whose link is not open now are left out of the public page', async () => {
    const later = (await t.api('POST', '/api/v1/links', { body: { url: 'https://example.com/later', starts_at: isoIn(3_600_000) } })).body;
    const ending = (await t.api('POST', '/api/v1/links', { body: { url: 'https://example.com/ending', expires_at: isoIn(3_600_000) } })).body;
    const capped = (await t.api('POST', '/api/v1/links', { body: { url: 'https://example.com/capped', max_clicks: 1 } })).body;
    const scheduled = (
      await t.api('POST', '/api/v1/pages', {
        body: {
          handle: 'scheduled',
          items: [
            { label: 'Now', link_id: sale.id },
            { label: 'Later', link_id: later.id },
            { label: 'Ending', link_id: ending.id },
            { label: 'Capped', link_id: capped.id },
          ],
        },
      })
    ).body;
    await t.api('POST', `/api/v1/pages/${scheduled.id}/publish`);
    const labels = async () => [...(await visit('/p/scheduled')).html.matchAll(/<li><a href="[^"]+">([^<]+)</g)].map((m) => m[1]);
    assert.deepEqual(await labels(), ['Now', 'Ending', 'Capped']);
    await t.parts.db('links').where({ id: ending.id }).update({ expires_at: Date.now() - 1000 });
    await t.parts.db('links').where({ id: capped.id }).update({ clicks: 1 });
    assert.deepEqual(await labels(), ['Now']);
    assert.equal((await t.api('GET', `/api/v1/pages/${scheduled.id}`)).body.items.length, 4, 'the API still shows every item');
  });

  test('a page without avatar or items shows a monogram and a note; a test-mode page is not indexed', async () => {
    const testKey = await t.createKey(['admin'], { mode: 'test' });
    const bare = (await t.api('POST', '/api/v1/pages', { key: testKey, body: { handle: 'emile', theme: 'dark' } })).body;
    await t.api('POST', `/api/v1/pages/${bare.id}/publish`, { key: testKey });
    const { html, status } = await visit('/p/emile');
    assert.equal(status, 200);
    assert.match(html, /<div class="avatar monogram" aria-hidden="true">E<\/div>/);
    assert.match(html, /<h1>emile<\/h1>/, 'no title: the handle');
    assert.match(html, /<p class="empty">No links here yet\.<\/p>/);
    assert.match(html, /<meta name="robots" content="noindex, nofollow">/);
    assert.match(html, /color-scheme:dark/);
  });

  test('QR codes of a page: the API at once, the public one once published', async () => {
    const api = await getRaw(t.baseUrl, `/api/v1/pages/${page.id}/qr?size=256`, { headers: { authorization: `Bearer ${t.adminKey}` } });
    assert.equal(api.status, 200);
    assert.equal(decodeQr(api.body)?.text, page.public_url);
    const pub = await getRaw(t.baseUrl, '/p/acme/qr?size=256');
    assert.equal(pub.status, 200);
    assert.deepEqual(pub.body, api.body);
    assert.equal(pub.headers['cache-control'], 'public, max-age=86400, stale-while-revalidate=604800');
    assert.equal((await getRaw(t.baseUrl, '/p/acme/qr?margin=99')).status, 422);
    const draft = (await t.api('POST', '/api/v1/pages', { body: { handle: 'draft-page' } })).body;
    assert.equal((await getRaw(t.baseUrl, '/p/draft-page/qr')).status, 404, 'an unpublished page has no public QR');
    assert.equal((await t.api('GET', `/api/v1/pages/${draft.id}/qr`)).status, 200);
    const linksOnly = await t.createKey(['links:read']);
    assert.equal((await t.api('GET', `/api/v1/pages/${draft.id}/qr`, { key: linksOnly })).status, 403);
  });
});
