// `/api/v1/docs`: an HTML reference rendered from the OpenAPI document, served without a key.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestEngine, type TestEngine } from '../../support/engine';

describe('API reference page', () => {
  let t: TestEngine;
  before(async () => {
    t = await startTestEngine();
  });
  after(() => t.stop());

  test('lists every operation of the OpenAPI document, with its scope', async () => {
    const page = await t.api('GET', '/api/v1/docs', { key: null });
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    const openapi = (await t.api('GET', '/api/v1/openapi.json', { key: null })).body as { paths: Record<string, Record<string, { 'x-required-scope': string }>> };
    for (const [path, item] of Object.entries(openapi.paths)) {
      for (const [method, op] of Object.entries(item)) {
        assert.ok(page.text.includes(`<span class="method ${method}">${method.toUpperCase()}</span> <code>/api/v1${path}</code>`), `${method} ${path}`);
        assert.ok(page.text.includes(`Scope: <code>${op['x-required-scope']}</code>`));
      }
    }
    assert.doesNotMatch(page.text, /<script/i);
  });
});
