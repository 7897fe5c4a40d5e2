// An incoming X-Request-Id of a sane shape is kept (a proxy's or caller's correlation id); anything else is replaced.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestEngine, TEST_DOMAIN, type TestEngine } from '../../support/engine';
import { visit } from '../../support/redirect-client';

describe('request ids', () => {
  let t: TestEngine;
  let slug: string;
  before(async () => {
    t = await startTestEngine();
    const created = await t.api('POST', '/api/v1/links', { body: { url: 'https://example.com/ids' } });
    assert.equal(created.status, 201);
    slug = created.body.slug;
  });
  after(() => t.stop());

  test('the API keeps a sane incoming id', async () => {
    const response = await t.api('GET', '/api/v1/me', { headers: { 'x-request-id': 'edge-7f3a.b_9' } });
    assert.equal(response.headers.get('x-request-id'), 'edge-7f3a.b_9');
  });

  test('the API replaces an id of another shape', async () => {
    for (const bad of ['has space', 'x'.repeat(129), 'a<b>', '']) {
      const response = await t.api('GET', '/api/v1/me', { headers: { 'x-request-id': bad } });
      assert.match(response.headers.get('x-request-id') ?? '', /^req_[0-9a-z]+$/, bad);
    }
  });

  test('the redirect fast path keeps a sane id and replaces others', async () => {
    const kept = await visit(t.baseUrl, `/${slug}`, { host: TEST_DOMAIN, headers: { 'x-request-id': 'lb-123' } });
    assert.equal(kept.status, 302);
    assert.equal(kept.headers['x-request-id'], 'lb-123');
    const replaced = await visit(t.baseUrl, `/${slug}`, { host: TEST_DOMAIN, headers: { 'x-request-id': 'no/slashes' } });
    assert.match(String(replaced.headers['x-request-id']), /^req_/);
    const missing = await visit(t.baseUrl, '/no-such-link-here', { host: TEST_DOMAIN, headers: { 'x-request-id': 'trace.404' } });
    assert.equal(missing.status, 404);
    assert.equal(missing.headers['x-request-id'], 'trace.404');
  });
});
