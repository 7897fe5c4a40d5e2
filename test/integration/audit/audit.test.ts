import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { diffChanges, recordAudit } from '../../../engine/domain/audit';
import { systemActor } from '../../../engine/domain/actor';
import { startTestEngine, type TestEngine } from '../../support/engine';

describe('audit log (seed 002)', () => {
  let t: TestEngine;
  let adminKeyId: string;
  const secrets: string[] = [];
  const requestIds: Record<string, string> = {};
  let created: { id: string; key: string };

  before(async () => {
    t = await startTestEngine();
    adminKeyId = (await t.api('GET', '/api/v1/me')).body.key.id;
    secrets.push(t.adminKey);

    const create = await t.api('POST', '/api/v1/keys', { body: { name: 'CRM', scopes: ['links:read'], rate_limit: 100 } });
    created = create.body;
    secrets.push(created.key);
    requestIds.created = create.headers.get('x-request-id') as string;

    const update = await t.api('PATCH', `/api/v1/keys/${created.id}`, { body: { name: 'CRM sync', rate_limit: null } });
    requestIds.updated = update.headers.get('x-request-id') as string;
    await t.api('PATCH', `/api/v1/keys/${created.id}`, { body: { name: 'CRM sync' } }); // no change: no entry

    const rotate = await t.api('POST', `/api/v1/keys/${created.id}/rotate`, { body: { grace_seconds: 60 } });
    secrets.push(rotate.body.key);
    requestIds.rotated = rotate.headers.get('x-request-id') as string;

    const revoke = await t.api('DELETE', `/api/v1/keys/${rotate.body.id}`);
    requestIds.revoked = revoke.headers.get('x-request-id') as string;
    assert.equal((await t.api('PATCH', `/api/v1/keys/${rotate.body.id}`, { body: { name: 'x' } })).status, 409); // refused: no entry
  });
  after(() => t.stop());

  const list = async (query = '') => {
    const response = await t.api('GET', `/api/v1/audit-logs${query}`);
    assert.equal(response.status, 200, response.text);
    return response.body as { data: any[]; pagination: { has_more: boolean; cursor: string | null } };
  };

  test('each key write is recorded with its actor, request id, resource and a diff of what changed', async () => {
    const { data } = await list();
    assert.deepEqual(data.map((e) => e.action), ['key.revoked', 'key.rotated', 'key.updated', 'key.created'], 'newest first');
    for (const entry of data) {
      assert.match(entry.id, /^aud_[0-9a-z]{26}$/);
      assert.equal(entry.actor_type, 'api_key');
      assert.equal(entry.actor_key_id, adminKeyId);
      assert.equal(entry.resource_type, 'api_key');
      assert.match(entry.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
    const [revoked, rotated, updated, createdEntry] = data;
    assert.equal(createdEntry.resource_id, created.id);
    assert.equal(createdEntry.request_id, requestIds.created);
    assert.deepEqual(createdEntry.changes, {
      name: { before: null, after: 'CRM' },
      mode: { before: null, after: 'live' },
      scopes: { before: null, after: ['links:read'] },
      rate_limit: { before: null, after: 100 },
    });
    assert.equal(updated.request_id, requestIds.updated);
    assert.deepEqual(updated.changes, { name: { before: 'CRM', after: 'CRM sync' }, rate_limit: { before: 100, after: null } });
    assert.equal(rotated.request_id, requestIds.rotated);
    assert.equal(rotated.resource_id, created.id);
    assert.equal(rotated.changes.grace_seconds.after, 60);
    assert.equal(revoked.request_id, requestIds.revoked);
    assert.equal(revoked.resource_id, rotated.changes.rotated_to.after);
  });

  test('no secret ever appears in an entry, through the API or in the table', async () => {
    const listed = await t.api('GET', '/api/v1/audit-logs?limit=100');
    const rows = JSON.stringify(await t.parts.db('audit_logs').select());
    for (const secret of secrets) {
      assert.ok(!listed.text.includes(secret), 'not in the API answer');
      assert.ok(!rows.includes(secret), 'not in the table');
      assert.ok(!rows.includes(secret.slice(12, -4)), 'not even partly');
    }
    const hashes = (await t.parts.db('api_keys').select('key_hash')).map((row: { key_hash: string }) => row.key_hash);
    for (const hash of hashes) assert.ok(!rows.includes(hash), 'no key hash');
  });

  test('diffChanges redacts secrets by name at any depth and by shape anywhere', () => {
    const changes = diffChanges(
      { url: 'https://a.example', password_hash: 'scrypt$16384$8$1$c2FsdA==$aGFzaA==', has_password: false, webhook: { secret: 'whsec_old' } },
      {
        url: 'https://b.example',
        password_hash: 'scrypt$16384$8$1$bmV3$bmV3aGFzaA==',
        has_password: true,
        webhook: { secret: 'whsec_new', url: 'https://hooks.example' },
        headers: { Authorization: 'Bearer abc.def', 'x-trace': 'ok' },
        notes: `my key is mk_live_${'k'.repeat(43)} and hook whsec_${'s'.repeat(32)}`,
        tokens: [{ token: 't1' }],
        password: 'hunter2',
        retries: 3,
      },
    );
    assert.deepEqual(changes.url, { before: 'https://a.example', after: 'https://b.example' });
    assert.deepEqual(changes.password_hash, { before: '[redacted]', after: '[redacted]' }, 'changed, but not shown');
    assert.deepEqual(changes.has_password, { before: false, after: true }, 'booleans stay visible');
    assert.deepEqual(changes.webhook, { before: { secret: '[redacted]' }, after: { secret: '[redacted]', url: 'https://hooks.example' } });
    assert.deepEqual(changes.headers.after, { Authorization: '[redacted]', 'x-trace': 'ok' });
    assert.equal(changes.notes.after, 'my key is [redacted] and hook [redacted]');
    assert.deepEqual(changes.tokens.after, '[redacted]');
    assert.deepEqual(changes.password, { before: null, after: '[redacted]' });
    assert.deepEqual(changes.retries, { before: null, after: 3 });
    assert.deepEqual(diffChanges({ secret: 'same', n: BigInt(5) }, { secret: 'same', n: BigInt(5) }), {}, 'unchanged fields are left out');
    assert.ok(!JSON.stringify(changes).match(/hunter2|whsec_old|whsec_new|abc\.def|kkkk|ssss|aGFzaA/));
  });

  test('filters: action (exact, family, several), actor key, resource, time range', async () => {
    assert.deepEqual((await list('?action=key.created')).data.map((e) => e.action), ['key.created']);
    assert.equal((await list('?action=key.*')).data.length, 4);
    assert.deepEqual((await list('?action=key.created,key.revoked')).data.map((e) => e.action), ['key.revoked', 'key.created']);
    assert.equal((await list('?action=link.*')).data.length, 0);
    assert.equal((await list('?action=key_created.*')).data.length, 0, 'an underscore is not a wildcard');
    assert.equal((await list(`?actor_key_id=${adminKeyId}`)).data.length, 4);
    assert.equal((await list(`?actor_key_id=key_${'0'.repeat(26)}`)).data.length, 0);
    assert.equal((await list('?actor_type=system')).data.length, 0);
    assert.deepEqual((await list(`?resource_id=${created.id}`)).data.map((e) => e.action), ['key.rotated', 'key.updated', 'key.created']);
    assert.equal((await list('?resource_type=api_key')).data.length, 4);
    assert.equal((await list('?resource_type=link')).data.length, 0);

    const all = (await list()).data;
    const newest = all[0].created_at;
    const oldest = all[all.length - 1].created_at;
    assert.equal((await list(`?start=${oldest}`)).data.length, 4);
    assert.equal((await list(`?end=${oldest}`)).data.length, 0, 'end is exclusive');
    assert.equal((await list(`?start=${new Date(Date.parse(newest) + 1000).toISOString()}`)).data.length, 0);
    assert.equal((await list(`?start=2020-01-01T00:00:00Z&end=2020-01-02T00:00:00%2B02:00`)).data.length, 0);
  });

  test('system actions are listed with no actor key', async () => {
    await recordAudit(t.parts.db, systemActor(t.workspace.id), { action: 'webhook.disabled', resourceType: 'webhook', resourceId: `wh_${'1'.repeat(26)}`, before: { enabled: true }, after: { enabled: false } }, new Date());
    const { data } = await list('?actor_type=system');
    assert.equal(data.length, 1);
    assert.equal(data[0].actor_key_id, null);
    assert.equal(data[0].request_id, null);
    assert.deepEqual(data[0].changes, { enabled: { before: true, after: false } });
  });

  test('cursor pagination walks every entry once; a cursor is bound to its filters', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof list>> = await list(`?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      assert.ok(page.data.length <= 2);
      seen.push(...page.data.map((e) => e.id));
      cursor = page.pagination.cursor;
      assert.equal(page.pagination.has_more, cursor !== null);
    } while (cursor);
    assert.equal(seen.length, 5);
    assert.equal(new Set(seen).size, 5);
    const first = await list('?limit=1');
    const elsewhere = await t.api('GET', `/api/v1/audit-logs?limit=1&action=key.*&cursor=${encodeURIComponent(first.pagination.cursor as string)}`);
    assert.equal(elsewhere.status, 400);
  });

  test('entries are per workspace and mode', async () => {
    const other = await t.createWorkspace('Elsewhere');
    const foreign = await t.api('GET', '/api/v1/audit-logs', { key: other.adminKey });
    assert.deepEqual(foreign.body.data, []);
    const testAdmin = await t.createKey(['admin'], { mode: 'test' });
    await t.api('POST', '/api/v1/keys', { key: testAdmin, body: { name: 'test-mode', scopes: ['links:read'] } });
    const testMode = await t.api('GET', '/api/v1/audit-logs', { key: testAdmin });
    assert.deepEqual(testMode.body.data.map((e: any) => e.action), ['key.created']);
    assert.ok(!(await list('?limit=100')).data.some((e) => e.changes.name?.after === 'test-mode'), 'live keys do not see it');
  });

  test('needs the admin scope; bad input answers 422 naming the field', async () => {
    const reader = await t.createKey(['links:read', 'team:read']);
    assert.equal((await t.api('GET', '/api/v1/audit-logs', { key: reader })).status, 403);
    const cases: Array<[string, string]> = [
      ['?action=Key Created', 'action'],
      ['?action=key.*.x', 'action'],
      ['?action=', 'action'],
      ['?actor_key_id=nope', 'actor_key_id'],
      ['?actor_type=human', 'actor_type'],
      ['?resource_type=API-KEY', 'resource_type'],
      ['?resource_id=123', 'resource_id'],
      ['?start=yesterday', 'start'],
      ['?start=2026-01-02T00:00:00Z&end=2026-01-01T00:00:00Z', 'end'],
      ['?limit=0', 'limit'],
      ['?limit=101', 'limit'],
      ['?sort=asc', 'sort'],
    ];
    for (const [query, field] of cases) {
      const response = await t.api('GET', `/api/v1/audit-logs${query}`);
      assert.equal(response.status, 422, `${query}: ${response.text}`);
      assert.deepEqual(response.body.error.details.map((d: { field: string }) => d.field), [field], query);
    }
    assert.equal((await t.api('GET', '/api/v1/audit-logs?cursor=bogus')).status, 400);
  });
});
