import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startTestEngine, type TestEngine } from '../../support/engine';

describe('API keys (seeds 001, 002)', () => {
  let t: TestEngine;
  before(async () => {
    t = await startTestEngine();
  });
  after(() => t.stop());

  test('a created key is shown once, stored only as its SHA-256, and works at once', async () => {
    const created = await t.api('POST', '/api/v1/keys', { body: { name: 'CRM', scopes: ['links:read', 'links:write'] } });
    assert.equal(created.status, 201, created.text);
    assert.match(created.body.key, /^mk_live_[A-Za-z0-9_-]{43}$/);
    assert.equal(created.body.prefix, created.body.key.slice(0, 12));
    assert.equal(created.body.last4, created.body.key.slice(-4));

    const row = await t.parts.db('api_keys').where({ id: created.body.id }).first();
    assert.equal(row.key_hash, createHash('sha256').update(created.body.key).digest('hex'));
    assert.ok(!JSON.stringify(row).includes(created.body.key.slice(12, -4)), 'the secret is not stored');

    const me = await t.api('GET', '/api/v1/me', { key: created.body.key });
    assert.equal(me.status, 200);
    const list = await t.api('GET', '/api/v1/keys');
    const listed = list.body.data.find((k: { id: string }) => k.id === created.body.id);
    assert.ok(listed);
    assert.equal(listed.key, undefined);
    assert.ok(!list.text.includes(created.body.key));
  });

  test('revocation is effective on the next request', async () => {
    const created = await t.api('POST', '/api/v1/keys', { body: { name: 'to revoke', scopes: ['links:read'] } });
    assert.equal((await t.api('GET', '/api/v1/me', { key: created.body.key })).status, 200);
    const revoked = await t.api('DELETE', `/api/v1/keys/${created.body.id}`);
    assert.equal(revoked.status, 200);
    assert.ok(revoked.body.revoked_at);
    const after = await t.api('GET', '/api/v1/me', { key: created.body.key });
    assert.equal(after.status, 401);
    assert.equal(after.body.error.code, 'unauthorized');
  });

  test('rotation issues a new key atomically; the old one lasts only its grace period', async () => {
    const created = await t.api('POST', '/api/v1/keys', { body: { name: 'rotating', scopes: ['links:read', 'analytics:read'] } });
    const graceful = await t.api('POST', `/api/v1/keys/${created.body.id}/rotate`, { body: { grace_seconds: 60 } });
    assert.equal(graceful.status, 201, graceful.text);
    assert.notEqual(graceful.body.key, created.body.key);
    assert.deepEqual(graceful.body.scopes, ['links:read', 'analytics:read']);
    assert.equal(graceful.body.previous.rotated_to, graceful.body.id);
    assert.equal((await t.api('GET', '/api/v1/me', { key: created.body.key })).status, 200, 'old key works during grace');
    assert.equal((await t.api('GET', '/api/v1/me', { key: graceful.body.key })).status, 200);

    const immediate = await t.api('POST', `/api/v1/keys/${graceful.body.id}/rotate`, { body: {} });
    assert.equal(immediate.status, 201);
    assert.equal((await t.api('GET', '/api/v1/me', { key: graceful.body.key })).status, 401, 'no grace: revoked at once');
    assert.equal((await t.api('GET', '/api/v1/me', { key: immediate.body.key })).status, 200);

    const again = await t.api('POST', `/api/v1/keys/${graceful.body.id}/rotate`, { body: {} });
    assert.equal(again.status, 409);
  });

  test('last_used_at is recorded without a write per request', async () => {
    const created = await t.api('POST', '/api/v1/keys', { body: { name: 'usage', scopes: ['links:read'] } });
    assert.equal(created.body.last_used_at, null);
    await t.api('GET', '/api/v1/me', { key: created.body.key });
    const before = await t.parts.db('api_keys').where({ id: created.body.id }).first();
    assert.equal(before.last_used_at, null, 'not written on the request path');
    await t.parts.keys.flushLastUsed();
    const row = await t.parts.db('api_keys').where({ id: created.body.id }).first();
    assert.equal(typeof row.last_used_at, 'number');
  });

  test('test keys see only test keys; another workspace’s key is a 404', async () => {
    const testAdmin = await t.createKey(['admin'], { mode: 'test' });
    const made = await t.api('POST', '/api/v1/keys', { key: testAdmin, body: { name: 'test-mode key', scopes: ['links:read'] } });
    assert.match(made.body.key, /^mk_test_/);
    const liveList = await t.api('GET', '/api/v1/keys?limit=100');
    assert.ok(!liveList.body.data.some((k: { id: string }) => k.id === made.body.id));
    const testList = await t.api('GET', '/api/v1/keys?limit=100', { key: testAdmin });
    assert.ok(testList.body.data.every((k: { mode: string }) => k.mode === 'test'));
    assert.equal((await t.api('DELETE', `/api/v1/keys/${made.body.id}`)).status, 404, 'live key cannot touch a test key');

    const other = await t.createWorkspace('Elsewhere');
    const foreign = await t.api('POST', '/api/v1/keys', { key: other.adminKey, body: { name: 'foreign', scopes: ['links:read'] } });
    assert.equal((await t.api('DELETE', `/api/v1/keys/${foreign.body.id}`)).status, 404);
    assert.equal((await t.api('POST', `/api/v1/keys/${foreign.body.id}/rotate`, { body: {} })).status, 404);
    assert.equal((await t.api('GET', '/api/v1/me', { key: foreign.body.key })).status, 200, 'untouched');
  });

  test('the key list is cursor-paginated', async () => {
    for (let i = 0; i < 3; i++) await t.api('POST', '/api/v1/keys', { body: { name: `page ${i}`, scopes: ['links:read'] } });
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const page: any = await t.api('GET', `/api/v1/keys?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      assert.equal(page.status, 200, page.text);
      for (const key of page.body.data) {
        assert.ok(!seen.has(key.id), 'no duplicates');
        seen.add(key.id);
      }
      cursor = page.body.pagination.cursor;
      assert.equal(page.body.pagination.has_more, cursor !== null);
    } while (cursor);
    assert.ok(seen.size >= 4);
    const tampered = await t.api('GET', '/api/v1/keys?cursor=eyJzIjoiaWQifQ.abc');
    assert.equal(tampered.status, 400);
    assert.equal(tampered.body.error.code, 'bad_request');
    const tooMany = await t.api('GET', '/api/v1/keys?limit=101');
    assert.equal(tooMany.status, 422);
    assert.equal(tooMany.body.error.details[0].field, 'limit');
  });

  test('bad input on key routes', async () => {
    assert.equal((await t.api('DELETE', '/api/v1/keys/not-an-id')).status, 404);
    const noScopes = await t.api('POST', '/api/v1/keys', { body: { name: 'x', scopes: [] } });
    assert.equal(noScopes.status, 422);
    const grace = await t.api('POST', `/api/v1/keys/key_${'0'.repeat(26)}/rotate`, { body: { grace_seconds: -1 } });
    assert.equal(grace.status, 422);
    const wrongType = await t.api('POST', '/api/v1/keys', { body: { name: 5, scopes: 'admin' } });
    assert.equal(wrongType.status, 422);
    assert.deepEqual(wrongType.body.error.details.map((d: { field: string }) => d.field).sort(), ['name', 'scopes']);
  });
});
