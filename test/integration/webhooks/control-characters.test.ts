import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestEngine, type ApiResponse, type TestEngine } from '../../support/engine';

/** 422 with the seed-001 envelope, naming exactly these fields. */
function assertRefused(response: ApiResponse, fields: string[]): void {
  assert.equal(response.status, 422, response.text);
  assert.equal(response.body.error.code, 'validation_error');
  assert.deepEqual(response.body.error.details.map((d: { field: string }) => d.field).sort(), [...fields].sort(), response.text);
}

describe('NUL and control characters are refused with 422 naming the field (bodies, queries; ids answer 404)', () => {
  let t: TestEngine;
  before(async () => {
    t = await startTestEngine();
  });
  after(() => t.stop());

  const hook = { url: 'https://93.184.216.34/hooks/x', events: ['link.created'] };

  test('webhook description and URL', async () => {
    assertRefused(await t.api('POST', '/api/v1/webhooks', { body: { ...hook, description: 'a\u0000b' } }), ['description']);
    assertRefused(await t.api('POST', '/api/v1/webhooks', { body: { ...hook, url: 'https://hooks.example/a\u0000b' } }), ['url']);
    assertRefused(await t.api('POST', '/api/v1/webhooks', { body: { ...hook, url: '\u0001https://hooks.example/x ' } }), ['url']);
    assertRefused(await t.api('POST', '/api/v1/webhooks', { body: { ...hook, url: 'https://hooks.ex\tample/x' } }), ['url']);
    assertRefused(await t.api('POST', '/api/v1/webhooks', { body: { ...hook, url: 'https://hooks.example/a\nb' } }), ['url']);
  });

  test('a description may span lines; a tab or line break is not a control character there', async () => {
    const created = await t.api('POST', '/api/v1/webhooks', { body: { ...hook, description: 'first line\nsecond\tline' } });
    assert.ok(created.status === 201 || created.status === 200, created.text);
    assert.equal(created.body.description, 'first line\nsecond\tline');
  });

  test('key names: no NUL, no line breaks', async () => {
    assertRefused(await t.api('POST', '/api/v1/keys', { body: { name: 'a\u0000b', scopes: ['links:read'] } }), ['name']);
    assertRefused(await t.api('POST', '/api/v1/keys', { body: { name: 'a\nb', scopes: ['links:read'] } }), ['name']);
    assertRefused(await t.api('POST', '/api/v1/keys', { body: { name: 'a\u001bb', scopes: ['links:read'] } }), ['name']);
  });

  test('query values and path parameters', async () => {
    assertRefused(await t.api('GET', '/api/v1/members?email=a%00b'), ['email']);
    assertRefused(await t.api('GET', '/api/v1/links?search=a%07b'), ['search']);
    // An id no resource can have answers 404, like any id that never existed.
    assert.equal((await t.api('GET', '/api/v1/links/lnk_%00')).status, 404);
  });

  test('nested strings and field names too', async () => {
    assertRefused(await t.api('POST', '/api/v1/pages', { body: { handle: 'abcd', items: [{ label: 'x\u0000', url: 'https://a.example' }] } }), ['items.0.label']);
    assertRefused(await t.api('POST', '/api/v1/webhooks', { body: { ...hook, 'x\u0000': 1 } }), ['body']);
  });

  test('a null list item is a 422, not a 500', async () => {
    const response = await t.api('POST', '/api/v1/pages', { body: { handle: 'abcd', items: [null] } });
    assert.equal(response.status, 422, response.text);
    assert.deepEqual(response.body.error.details.map((d: { field: string }) => d.field), ['items.0']);
  });
});
