import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { startTestEngine, type TestEngine } from '../../support/engine';

const REQUEST_ID = /^req_[0-9a-z]{26}$/;

function assertEnvelope(response: { status: number; headers: Headers; body: any; text: string }, status: number, code: string) {
  assert.equal(response.status, status, response.text);
  assert.match(response.headers.get('x-request-id') ?? '', REQUEST_ID);
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
  assert.equal(response.body?.error?.code, code, response.text);
  assert.equal(typeof response.body.error.message, 'string');
  assert.doesNotMatch(response.text, /at .*\.(ts|js):\d+/, 'no stack trace');
}

describe('API conventions (seed 001)', () => {
  let t: TestEngine;
  before(async () => {
    t = await startTestEngine();
  });
  after(() => t.stop());

  test('GET /api/v1/me answers the key, its workspace, scopes and mode', async () => {
    const response = await t.api('GET', '/api/v1/me');
    assert.equal(response.status, 200);
    assert.match(response.headers.get('x-request-id') ?? '', REQUEST_ID);
    assert.equal(response.body.workspace.id, t.workspace.id);
    assert.deepEqual(response.body.scopes, ['admin']);
    assert.equal(response.body.mode, 'live');
  });

  test('/me works for a key with any scope, and through X-API-Key', async () => {
    const key = await t.createKey(['analytics:read'], { mode: 'test' });
    const response = await t.api('GET', '/api/v1/me', { key: null, headers: { 'x-api-key': key } });
    assert.equal(response.status, 200);
    assert.equal(response.body.mode, 'test');
    assert.deepEqual(response.body.scopes, ['analytics:read']);
  });

  test('missing, malformed and unknown keys answer 401', async () => {
    assertEnvelope(await t.api('GET', '/api/v1/me', { key: null }), 401, 'unauthorized');
    assertEnvelope(await t.api('GET', '/api/v1/me', { key: 'mk_live_nope' }), 401, 'unauthorized');
    assertEnvelope(await t.api('GET', '/api/v1/me', { key: `mk_live_${'a'.repeat(43)}` }), 401, 'unauthorized');
    assertEnvelope(await t.api('GET', '/api/v1/me', { key: null, headers: { authorization: 'Basic abc' } }), 401, 'unauthorized');
  });

  test('a missing scope answers 403', async () => {
    const key = await t.createKey(['links:read']);
    assertEnvelope(await t.api('GET', '/api/v1/keys', { key }), 403, 'forbidden');
  });

  test('malformed JSON answers 400, never HTML', async () => {
    assertEnvelope(await t.api('POST', '/api/v1/keys', { rawBody: '{"name": ', headers: { 'content-type': 'application/json' } }), 400, 'bad_request');
  });

  test('a JSON body that is not an object answers 400', async () => {
    assertEnvelope(await t.api('POST', '/api/v1/keys', { rawBody: '"text"', headers: { 'content-type': 'application/json' } }), 400, 'bad_request');
    assertEnvelope(await t.api('POST', '/api/v1/keys', { rawBody: '[1,2]', headers: { 'content-type': 'application/json' } }), 400, 'bad_request');
  });

  test('a body over 1 MB answers 413', async () => {
    const rawBody = JSON.stringify({ name: 'x'.repeat(1_100_000), scopes: ['admin'] });
    assertEnvelope(await t.api('POST', '/api/v1/keys', { rawBody, headers: { 'content-type': 'application/json' } }), 413, 'payload_too_large');
  });

  test('a body of another content type answers 415', async () => {
    assertEnvelope(await t.api('POST', '/api/v1/keys', { rawBody: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'unsupported_media_type');
    assertEnvelope(await t.api('POST', '/api/v1/keys', { rawBody: '{"name":"x"}', headers: { 'content-type': 'text/plain' } }), 415, 'unsupported_media_type');
  });

  test('an unknown route answers 404 in the envelope', async () => {
    assertEnvelope(await t.api('GET', '/api/v1/nothing-here'), 404, 'not_found');
    assertEnvelope(await t.api('DELETE', '/api/v1/me'), 404, 'not_found');
  });

  test('validation errors list every invalid and unknown field at once', async () => {
    const response = await t.api('POST', '/api/v1/keys', { body: { name: '', scopes: ['nope'], colour: 'red' } });
    assertEnvelope(response, 422, 'validation_error');
    const fields = response.body.error.details.map((d: { field: string }) => d.field).sort();
    assert.deepEqual(fields, ['colour', 'name', 'scopes.0']);
  });

  test('health and readiness', async () => {
    const health = await t.api('GET', '/healthz', { key: null });
    assert.equal(health.status, 200);
    assert.match(health.headers.get('x-request-id') ?? '', REQUEST_ID);
    const ready = await t.api('GET', '/readyz', { key: null });
    assert.equal(ready.status, 200, ready.text);
    assert.equal(ready.body.checks.database, 'ok');
  });

  test('/api/v1/openapi.json is a valid OpenAPI 3.1 document covering every route', async () => {
    const response = await t.api('GET', '/api/v1/openapi.json', { key: null });
    assert.equal(response.status, 200);
    assert.equal(response.body.openapi, '3.1.0');
    const validator = new Validator();
    const result = await validator.validate(response.body);
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2));
    assert.ok(response.body.paths['/keys/{id}/rotate'].post);
    assert.equal(response.body.paths['/keys'].post['x-required-scope'], 'admin');
  });
});
