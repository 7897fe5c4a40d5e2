// `/api/v1/docs`: the OpenAPI document rendered by Redoc, served by the engine itself (page, bundle, init script),
// without a key and without anything from another origin. test/e2e/api-docs.test.ts renders it in Chromium.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import express from 'express';
import { startTestEngine, type TestEngine } from '../../support/engine';

describe('API reference page', () => {
  let t: TestEngine;
  before(async () => {
    t = await startTestEngine();
  });
  after(() => t.stop());

  test('the page loads its viewer and the OpenAPI document from the engine only, under a strict CSP', async () => {
    const page = await t.api('GET', '/api/v1/docs', { key: null });
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    const csp = page.headers.get('content-security-policy') ?? '';
    for (const directive of ["default-src 'none'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'", "base-uri 'none'"]) {
      assert.ok(csp.split('; ').includes(directive), `${directive} in ${csp}`);
    }
    assert.doesNotMatch(csp, /unsafe-eval|https?:/);
    assert.doesNotMatch(csp.match(/script-src [^;]*/)![0], /unsafe-inline/, 'no inline script');
    const sources = [...page.text.matchAll(/<script([^>]*)>/g)].map((m) => /src="([^"]+)"/.exec(m[1])?.[1]);
    assert.deepEqual(sources, ['/api/v1/docs/redoc.standalone.js', '/api/v1/docs/init.js'], 'only scripts of its own, no inline script');
    assert.doesNotMatch(page.text, /https?:\/\//, 'nothing from another origin (a CDN)');
    assert.match(page.text, /data-spec-url="\/api\/v1\/openapi.json"/);
  });

  test('the Redoc bundle and the init script are served by the engine', async () => {
    const bundle = await fetch(`${t.baseUrl}/api/v1/docs/redoc.standalone.js`);
    assert.equal(bundle.status, 200);
    assert.match(bundle.headers.get('content-type') ?? '', /^text\/javascript/);
    const code = await bundle.text();
    assert.ok(code.length > 500_000, `the whole standalone bundle (${code.length} bytes)`);
    assert.match(code, /Redoc/);
    const init = await fetch(`${t.baseUrl}/api/v1/docs/init.js`);
    assert.equal(init.status, 200);
    assert.match(await init.text(), /Redoc\.init\(/);
  });

  test('mounted under a path of a host app, the page points at its own mount', async () => {
    const host = express();
    host.use('/mask', t.engine.app);
    const server = host.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mask`;
      const text = await (await fetch(`${base}/api/v1/docs`)).text();
      assert.match(text, /data-spec-url="\/mask\/api\/v1\/openapi.json"/);
      assert.match(text, /<script src="\/mask\/api\/v1\/docs\/redoc.standalone.js">/);
      assert.equal((await fetch(`${base}/api/v1/docs/redoc.standalone.js`)).status, 200);
      assert.equal((await fetch(`${base}/api/v1/openapi.json`)).status, 200);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
