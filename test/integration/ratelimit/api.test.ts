import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../../engine/config';
import { startTestEngine, type ApiResponse, type TestEngine } from '../../support/engine';

/** Checks seed 001's X-RateLimit-* headers and the IETF draft fields; returns the remaining count. */
function assertLimitHeaders(response: ApiResponse, policy: string, limit: number): number {
  const { headers } = response;
  assert.equal(headers.get('x-ratelimit-limit'), String(limit), `${response.status} ${response.text}`);
  const remaining = Number(headers.get('x-ratelimit-remaining'));
  assert.ok(Number.isInteger(remaining) && remaining >= 0 && remaining <= limit, `remaining ${remaining}`);
  const reset = Number(headers.get('x-ratelimit-reset'));
  const nowSeconds = Date.now() / 1000;
  assert.ok(Number.isInteger(reset) && reset >= nowSeconds - 1 && reset <= nowSeconds + 61, `reset ${reset} is Unix seconds`);
  assert.equal(headers.get('ratelimit-policy'), `"${policy}";q=${limit};w=60`);
  const field = /^"([a-z-]+)";r=(\d+);t=(\d+)$/.exec(headers.get('ratelimit') ?? '');
  assert.ok(field, `RateLimit: ${headers.get('ratelimit')}`);
  assert.equal(field[1], policy);
  assert.equal(Number(field[2]), remaining);
  assert.ok(Number(field[3]) <= 60);
  return remaining;
}

function assertTooMany(response: ApiResponse): number {
  assert.equal(response.status, 429, response.text);
  const retryAfter = Number(response.headers.get('retry-after'));
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
  assert.deepEqual(response.body, {
    error: {
      code: 'rate_limit_exceeded',
      message: response.body.error.message,
      retry_after: retryAfter,
    },
  });
  assert.match(response.body.error.message, new RegExp(`Retry after ${retryAfter} seconds?\\.$`));
  assert.equal(response.headers.get('x-ratelimit-remaining'), '0');
  return retryAfter;
}

let addresses = 0;
/** A client address of its own (the engine trusts X-Forwarded-For here), so tests never share address limits. */
const from = () => ({ 'x-forwarded-for': `198.51.100.${++addresses}` });

describe('API rate limits (seed 001)', () => {
  let t: TestEngine;
  before(async () => {
    t = await startTestEngine({ trustProxy: true, anonymousRateLimitPerMinute: 4, authFailuresPerMinute: 3 });
  });
  after(() => t.stop());

  test('every API response carries the limit headers, errors included', async () => {
    const key = await t.createKey(['links:read']);
    const headers = from();
    const responses: Array<[string, ApiResponse]> = [
      ['200', await t.api('GET', '/api/v1/me', { key, headers })],
      ['403', await t.api('GET', '/api/v1/keys', { key, headers })],
      ['404 unknown route', await t.api('GET', '/api/v1/nothing-here', { key, headers })],
      ['404 unknown method', await t.api('DELETE', '/api/v1/me', { key, headers })],
    ];
    const admin = await t.createKey(['admin']);
    const adminResponses: Array<[string, ApiResponse]> = [
      ['201', await t.api('POST', '/api/v1/keys', { key: admin, headers, body: { name: 'x', scopes: ['links:read'] } })],
      ['404 unknown id', await t.api('DELETE', `/api/v1/keys/key_${'0'.repeat(26)}`, { key: admin, headers })],
      ['404 invalid id', await t.api('DELETE', '/api/v1/keys/nope', { key: admin, headers })],
      ['422', await t.api('POST', '/api/v1/keys', { key: admin, headers, body: { name: '' } })],
      ['400', await t.api('POST', '/api/v1/keys', { key: admin, headers: { ...headers, 'content-type': 'application/json' }, rawBody: '{"name":' })],
      ['415', await t.api('POST', '/api/v1/keys', { key: admin, headers: { ...headers, 'content-type': 'text/plain' }, rawBody: 'x' })],
    ];
    let previous = Infinity;
    for (const [label, response] of responses) {
      assert.equal(response.status, Number(label.slice(0, 3)), `${label}: ${response.text}`);
      const remaining = assertLimitHeaders(response, 'api-key', 1000);
      assert.ok(remaining < previous, `${label}: every request counts against its key`);
      previous = remaining;
    }
    assert.equal(previous, 996);
    for (const [label, response] of adminResponses) {
      assert.equal(response.status, Number(label.slice(0, 3)), `${label}: ${response.text}`);
      assertLimitHeaders(response, 'api-key', 1000);
    }

    const missing = await t.api('GET', '/api/v1/me', { key: null, headers: from() });
    assert.equal(missing.status, 401);
    assertLimitHeaders(missing, 'anonymous', 4);
    const invalid = await t.api('GET', '/api/v1/me', { key: `mk_live_${'x'.repeat(43)}`, headers: from() });
    assert.equal(invalid.status, 401);
    assert.equal(assertLimitHeaders(invalid, 'failed-auth', 3), 2);
    const openapi = await t.api('GET', '/api/v1/openapi.json', { key: null, headers: from() });
    assert.equal(openapi.status, 200);
    assertLimitHeaders(openapi, 'anonymous', 4);
  });

  test('a key over its limit gets the seed-001 429 until its window frees a slot', async () => {
    const created = await t.api('POST', '/api/v1/keys', { headers: from(), body: { name: 'limited', scopes: ['links:read'], rate_limit: 3 } });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.rate_limit, 3);
    const key = created.body.key as string;
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await t.api('GET', '/api/v1/me', { key, headers: from() }));
    assert.deepEqual(answers.map((r) => r.status), [200, 200, 200, 429, 429]);
    assert.deepEqual(answers.slice(0, 3).map((r) => assertLimitHeaders(r, 'api-key', 3)), [2, 1, 0]);
    for (const refused of answers.slice(3)) {
      assertLimitHeaders(refused, 'api-key', 3);
      const retryAfter = assertTooMany(refused);
      const reset = Number(refused.headers.get('x-ratelimit-reset'));
      assert.ok(Math.abs(reset - (Date.now() / 1000 + retryAfter)) <= 2, 'Reset and Retry-After agree');
    }
    // Other keys are not affected.
    assert.equal((await t.api('GET', '/api/v1/me', { headers: from() })).status, 200);
  });

  test('a key’s limit can be changed; without one it follows its workspace, then the instance default; the workspace’s caps it', async () => {
    const created = await t.api('POST', '/api/v1/keys', { body: { name: 'tunable', scopes: ['links:read'], rate_limit: 2 } });
    const { id, key } = created.body as { id: string; key: string };
    for (let i = 0; i < 2; i++) await t.api('GET', '/api/v1/me', { key });
    assert.equal((await t.api('GET', '/api/v1/me', { key })).status, 429);

    const raised = await t.api('PATCH', `/api/v1/keys/${id}`, { body: { rate_limit: 4 } });
    assert.equal(raised.status, 200, raised.text);
    assert.equal(raised.body.rate_limit, 4);
    const next = await t.api('GET', '/api/v1/me', { key });
    assert.equal(next.status, 200, 'effective on its next request');
    assert.equal(assertLimitHeaders(next, 'api-key', 4), 1);

    const cleared = await t.api('PATCH', `/api/v1/keys/${id}`, { body: { rate_limit: null } });
    assert.equal(cleared.body.rate_limit, null);
    assertLimitHeaders(await t.api('GET', '/api/v1/me', { key }), 'api-key', 1000);

    const other = await t.createWorkspace('Limited workspace');
    await t.parts.db('workspaces').where({ id: other.workspace.id }).update({ rate_limit: 2 });
    t.parts.keyLimits.forget(other.workspace.id);
    const first = await t.api('GET', '/api/v1/me', { key: other.adminKey });
    assert.equal(assertLimitHeaders(first, 'api-key', 2), 1);
    await t.api('GET', '/api/v1/me', { key: other.adminKey });
    assertTooMany(await t.api('GET', '/api/v1/me', { key: other.adminKey }));
    const own = await t.api('POST', '/api/v1/keys', { key: other.adminKey, body: { name: 'own limit', scopes: ['links:read'], rate_limit: 50 } });
    assert.equal(own.status, 429, 'the admin key itself is limited');
    const ownKey = await t.parts.keys.create({ workspaceId: other.workspace.id, name: 'own', mode: 'live', scopes: ['links:read'], rateLimit: 50 });
    // Its own 50 (set by the operator) is capped by its workspace's 2.
    assertLimitHeaders(await t.api('GET', '/api/v1/me', { key: ownKey.secret }), 'api-key', 2);
  });

  test('the instance default comes from MASK_RATE_LIMIT_PER_MINUTE', async () => {
    const small = await startTestEngine({ env: { MASK_RATE_LIMIT_PER_MINUTE: '2' } });
    try {
      assertLimitHeaders(await small.api('GET', '/api/v1/me'), 'api-key', 2);
      await small.api('GET', '/api/v1/me');
      assertTooMany(await small.api('GET', '/api/v1/me'));
    } finally {
      await small.stop();
    }
  });

  test('requests without a key are limited per client address', async () => {
    const address = from();
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await t.api('GET', '/api/v1/me', { key: null, headers: address }));
    assert.deepEqual(answers.map((r) => r.status), [401, 401, 401, 401, 429, 429]);
    assertTooMany(answers[4]);
    assert.equal((await t.api('GET', '/api/v1/openapi.json', { key: null, headers: address })).status, 429, 'the OpenAPI document too');
    assert.equal((await t.api('GET', '/api/v1/me', { key: null, headers: from() })).status, 401, 'another address is not affected');
    assert.equal((await t.api('GET', '/api/v1/me', { headers: address })).status, 200, 'a valid key is limited by key, not address');
  });

  test('IPv6 clients are limited per /64 network', async () => {
    const answers = [];
    for (let i = 1; i <= 5; i++) {
      answers.push((await t.api('GET', '/api/v1/me', { key: null, headers: { 'x-forwarded-for': `2001:db8:aa:bb::${i}` } })).status);
    }
    assert.deepEqual(answers, [401, 401, 401, 401, 429]);
    const elsewhere = await t.api('GET', '/api/v1/me', { key: null, headers: { 'x-forwarded-for': '2001:db8:aa:cc::1' } });
    assert.equal(elsewhere.status, 401);
  });

  test('failed authentications are limited per address; once used up, failures are refused but a valid key still works from there', async () => {
    const address = from();
    const bad = [`mk_live_${'a'.repeat(43)}`, 'mk_live_short', `mk_test_${'b'.repeat(43)}`];
    const failures = [];
    for (const key of bad) failures.push(await t.api('GET', '/api/v1/me', { key, headers: address }));
    assert.deepEqual(failures.map((r) => r.status), [401, 401, 401]);
    assert.deepEqual(failures.map((r) => assertLimitHeaders(r, 'failed-auth', 3)), [2, 1, 0]);

    const guess = await t.api('GET', '/api/v1/me', { key: `mk_live_${'c'.repeat(43)}`, headers: address });
    assertTooMany(guess);
    assertLimitHeaders(guess, 'failed-auth', 3);
    assert.match(guess.body.error.message, /failed authentications/);
    const valid = await t.api('GET', '/api/v1/me', { headers: address });
    assert.equal(valid.status, 200, 'a valid key works from an address that has failed before');
    assert.match(valid.headers.get('ratelimit-policy') ?? '', /^"api-key"/, 'the key limit applies to it, not the failure limit');
    const viaHeader = await t.api('GET', '/api/v1/me', { key: null, headers: { ...address, 'x-api-key': t.adminKey } });
    assert.equal(viaHeader.status, 200, 'X-API-Key too');
    const again = await t.api('GET', '/api/v1/me', { key: null, headers: { ...address, 'x-api-key': `mk_live_${'d'.repeat(43)}` } });
    assertTooMany(again);
    assert.equal(again.headers.get('x-ratelimit-limit'), '3', 'a failure after a success is still refused: successes do not reset the count');

    assert.equal((await t.api('GET', '/api/v1/me', { headers: from() })).status, 200, 'other addresses are not affected');
    assert.equal((await t.api('GET', '/api/v1/me', { key: null, headers: address })).status, 401, 'keyless requests follow their own limit');
  });

  test('bad rate limits are refused on create and update', async () => {
    const { body: created } = await t.api('POST', '/api/v1/keys', { body: { name: 'to patch', scopes: ['links:read'] } });
    for (const rateLimit of [0, -5, 1.5, '100', 100_001, true]) {
      const onCreate = await t.api('POST', '/api/v1/keys', { body: { name: 'bad', scopes: ['links:read'], rate_limit: rateLimit } });
      assert.equal(onCreate.status, 422, `create ${rateLimit}`);
      assert.deepEqual(onCreate.body.error.details.map((d: { field: string }) => d.field), ['rate_limit']);
      const onUpdate = await t.api('PATCH', `/api/v1/keys/${created.id}`, { body: { rate_limit: rateLimit } });
      assert.equal(onUpdate.status, 422, `update ${rateLimit}`);
    }
    const empty = await t.api('PATCH', `/api/v1/keys/${created.id}`, { body: {} });
    assert.equal(empty.status, 422);
    assert.match(empty.body.error.details[0].message, /at least one/);
    const unknownField = await t.api('PATCH', `/api/v1/keys/${created.id}`, { body: { rate: 5 } });
    assert.equal(unknownField.status, 422);
    assert.equal((await t.api('PATCH', `/api/v1/keys/key_${'0'.repeat(26)}`, { body: { name: 'x' } })).status, 404);
    assert.equal((await t.api('PATCH', '/api/v1/keys/not-a-key', { body: { name: 'x' } })).status, 404);
    await t.api('DELETE', `/api/v1/keys/${created.id}`);
    const revoked = await t.api('PATCH', `/api/v1/keys/${created.id}`, { body: { name: 'renamed' } });
    assert.equal(revoked.status, 409);
  });

  test('PATCH renames a key and changes its scopes, effective on its next request', async () => {
    const { body: created } = await t.api('POST', '/api/v1/keys', { body: { name: 'narrow', scopes: ['links:read'] } });
    assert.equal((await t.api('GET', '/api/v1/keys', { key: created.key })).status, 403);
    const updated = await t.api('PATCH', `/api/v1/keys/${created.id}`, { body: { name: 'wide', scopes: ['admin'] } });
    assert.equal(updated.status, 200, updated.text);
    assert.equal(updated.body.name, 'wide');
    assert.deepEqual(updated.body.scopes, ['admin']);
    assert.equal(updated.body.key, undefined, 'the secret is never shown again');
    assert.equal((await t.api('GET', '/api/v1/keys', { key: created.key })).status, 200);
  });

  test('invalid limit settings stop start-up with a line naming them', () => {
    for (const [name, value] of [
      ['MASK_RATE_LIMIT_PER_MINUTE', '0'],
      ['MASK_ANONYMOUS_RATE_LIMIT_PER_MINUTE', 'many'],
      ['MASK_AUTH_FAILURES_PER_MINUTE', '2.5'],
      ['MASK_USAGE_FLUSH_SECONDS', '0'],
      ['MASK_USAGE_RETENTION_DAYS', '-1'],
    ]) {
      assert.throws(() => loadConfig({}, { [name]: value }), new RegExp(`^ConfigError: Invalid configuration: ${name} must be`));
    }
    const config = loadConfig({}, {});
    assert.equal(config.rateLimitPerMinute, 1000);
    assert.equal(config.anonymousRateLimitPerMinute, 120);
    assert.equal(config.authFailuresPerMinute, 60);
  });
});
