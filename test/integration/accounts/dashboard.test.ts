import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestEngine } from '../../support/engine';
import { withBase } from '../../../engine/dashboard-server/static';
import { startAccountsEngine } from './helpers';

describe('Dashboard accounts: the /app static route', () => {
  let t: TestEngine;
  before(async () => {
    t = await startAccountsEngine();
  });
  after(() => t.stop());

  const get = (path: string) => fetch(`${t.baseUrl}${path}`, { redirect: 'manual' });

  test('every /app/* path serves index.html with the mount path, no-cache and a strict CSP', async () => {
    for (const path of ['/app/', '/app/links', '/app/links/lnk_123/analytics', '/app/setup?token=abc', '/app/invite/x']) {
      const response = await get(path);
      assert.equal(response.status, 200, path);
      assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
      assert.equal(response.headers.get('cache-control'), 'no-cache');
      const csp = response.headers.get('content-security-policy') ?? '';
      for (const directive of ["default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'"]) assert.ok(csp.includes(directive), `${directive} in ${csp}`);
      assert.ok(!csp.includes('unsafe-inline'));
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
      const html = await response.text();
      assert.equal(html.match(/<base /g)?.length, 1, 'one <base>');
      assert.match(html, /<head>\s*<base href="\/app\/">/);
      assert.match(html, /<div id="root"><\/div>/);
    }
    const bare = await get('/app?x=1');
    assert.equal(bare.status, 308);
    assert.equal(bare.headers.get('location'), '/app/?x=1');
  });

  test("the built client's <base href> becomes the mount path (its assets and routes resolve from it)", () => {
    const built = '<html><head>\n<meta charset="utf-8" />\n<base href="/app/" />\n<link rel="icon" href="./assets/favicon-BQ7wiq-Y.svg" /></head></html>';
    assert.equal(withBase(built, '/console/'), '<html><head>\n<meta charset="utf-8" />\n<base href="/console/">\n<link rel="icon" href="./assets/favicon-BQ7wiq-Y.svg" /></head></html>');
    assert.equal(withBase('<head><base href="/a/"><base href="/b/"></head>', '/x/'), '<head><base href="/x/"></head>', 'one <base> only');
    assert.equal(withBase('<head></head>', '/a"b/'), '<head>\n    <base href="/a&#34;b/"></head>', 'written when missing, escaped');
  });

  test('hashed assets are immutable, other files revalidated; missing assets and escapes are 404', async () => {
    const asset = await get('/app/assets/app-3f9a1c2b.js');
    assert.equal(asset.status, 200);
    assert.equal(asset.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.match(asset.headers.get('content-type') ?? '', /javascript/);
    assert.equal(await asset.text(), 'console.log("mask");\n');
    const vite = await get('/app/assets/favicon-BQ7wiq-Y.svg');
    assert.equal(vite.headers.get('cache-control'), 'public, max-age=31536000, immutable', "Vite's hashes may hold a -");
    assert.equal((await get('/app/assets/apple-touch-icon.png')).headers.get('cache-control'), 'no-cache', 'no hash, no immutable');
    const icon = await get('/app/favicon.svg');
    assert.equal(icon.status, 200);
    assert.equal(icon.headers.get('cache-control'), 'no-cache');
    for (const path of ['/app/assets/missing-00000000.js', '/app/%2e%2e/package.json', '/app/..%2fpackage.json', '/app/%E0%A4%A']) {
      const response = await get(path);
      assert.equal(response.status, 404, path);
      assert.ok(!(await response.text()).includes('<base '), path);
    }
    const direct = await get('/app/index.html');
    assert.match(await direct.text(), /<base href="\/app\/">/, 'index.html itself is served with the base too');
  });

  test('paths outside /app are not the dashboard', async () => {
    assert.equal((await get('/api/v1/app')).status, 401, 'an unknown API path, as before');
    for (const path of ['/apple', '/app-x/', '/application', '/App/']) {
      const response = await get(path);
      assert.equal(response.status, 404, path);
      assert.ok(!(await response.text()).includes('<base '), path);
    }
    const post = await fetch(`${t.baseUrl}/app/`, { method: 'POST' });
    assert.equal(post.status, 404);
  });
});
