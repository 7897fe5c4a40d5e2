import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestEngine, type TestEngine } from '../../support/engine';

// A public address: valid under the default SSRF policy without any DNS lookup.
const URL_A = 'https://93.184.216.34/hooks/a';
const ID = /^wh_[0-9a-z]{26}$/;

describe('webhook endpoints API', () => {
  let t: TestEngine;
  before(async () => {
    t = await startTestEngine();
  });
  after(() => t.stop());

  const create = (body: Record<string, unknown>, key?: string) => t.api('POST', '/api/v1/webhooks', { body: { url: URL_A, events: ['link.created'], ...body }, key });

  test('create returns the endpoint and its secret, once; reads never show the secret', async () => {
    const created = await create({ events: ['link.created', 'click.recorded'], description: 'CRM sync' });
    assert.equal(created.status, 201, created.text);
    assert.match(created.body.id, ID);
    assert.match(created.body.secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    assert.deepEqual(
      { url: created.body.url, events: created.body.events, description: created.body.description, enabled: created.body.enabled, mode: created.body.mode },
      { url: URL_A, events: ['link.created', 'click.recorded'], description: 'CRM sync', enabled: true, mode: 'live' },
    );
    assert.equal(created.body.disabled_reason, null);
    assert.match(created.body.created_at, /Z$/);

    const got = await t.api('GET', `/api/v1/webhooks/${created.body.id}`);
    assert.equal(got.status, 200);
    assert.equal(got.body.secret, undefined);
    const list = await t.api('GET', '/api/v1/webhooks');
    assert.ok(list.body.data.some((e: { id: string }) => e.id === created.body.id));
    assert.ok(!list.text.includes(created.body.secret));
    assert.ok(!got.text.includes('whsec_'));
  });

  test('"*" subscribes to everything; enabled defaults to true and can start false', async () => {
    const all = await create({ events: ['*'] });
    assert.deepEqual(all.body.events, ['*']);
    const off = await create({ enabled: false });
    assert.equal(off.body.enabled, false);
    assert.equal(off.body.disabled_reason, 'manual');
  });

  test('invalid bodies answer 422 naming every bad field', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ url: undefined }, 'url'],
      [{ url: 'not a url' }, 'url'],
      [{ url: 'ftp://93.184.216.34/x' }, 'url'],
      [{ url: 'https://user:pass@93.184.216.34/x' }, 'url'],
      [{ url: 'https://93.184.216.34/x#frag' }, 'url'],
      [{ url: `https://93.184.216.34/${'a'.repeat(2100)}` }, 'url'],
      [{ url: 42 }, 'url'],
      [{ events: [] }, 'events'],
      [{ events: undefined }, 'events'],
      [{ events: ['link.exploded'] }, 'events.0'],
      [{ events: ['link.created', 'link.created'] }, 'events'],
      [{ events: ['*', 'link.created'] }, 'events'],
      [{ events: 'link.created' }, 'events'],
      [{ description: 'x'.repeat(501) }, 'description'],
      [{ enabled: 'yes' }, 'enabled'],
      [{ secret: 'whsec_mine' }, 'secret'],
    ];
    for (const [body, field] of cases) {
      const response = await create(body);
      assert.equal(response.status, 422, `${JSON.stringify(body).slice(0, 80)}: ${response.text}`);
      assert.equal(response.body.error.code, 'validation_error');
      assert.ok(response.body.error.details.some((d: { field: string }) => d.field === field), `${field} in ${response.text}`);
    }
    const malformed = await t.api('POST', '/api/v1/webhooks', { rawBody: '{"url":', headers: { 'content-type': 'application/json' } });
    assert.equal(malformed.status, 400);
  });

  test('PATCH changes url, events, description and enabled; an empty or unknown patch is a 422', async () => {
    const created = await create({});
    const id = created.body.id;
    const patched = await t.api('PATCH', `/api/v1/webhooks/${id}`, { body: { url: 'https://93.184.216.34/hooks/b', events: ['*'], description: null } });
    assert.equal(patched.status, 200, patched.text);
    assert.equal(patched.body.url, 'https://93.184.216.34/hooks/b');
    assert.deepEqual(patched.body.events, ['*']);
    assert.equal(patched.body.description, null);
    const disabled = await t.api('PATCH', `/api/v1/webhooks/${id}`, { body: { enabled: false } });
    assert.equal(disabled.body.enabled, false);
    assert.equal(disabled.body.disabled_reason, 'manual');
    assert.ok(disabled.body.disabled_at);
    const enabled = await t.api('PATCH', `/api/v1/webhooks/${id}`, { body: { enabled: true } });
    assert.equal(enabled.body.disabled_reason, null);
    assert.equal(enabled.body.disabled_at, null);
    assert.equal((await t.api('PATCH', `/api/v1/webhooks/${id}`, { body: {} })).status, 422);
    assert.equal((await t.api('PATCH', `/api/v1/webhooks/${id}`, { body: { secret: 'x' } })).status, 422);
    assert.equal((await t.api('PATCH', `/api/v1/webhooks/${id}`, { body: { events: [] } })).status, 422);
  });

  test('rotate-secret returns a new secret and how long the previous one still signs', async () => {
    const created = await create({});
    const rotated = await t.api('POST', `/api/v1/webhooks/${created.body.id}/rotate-secret`, { body: {} });
    assert.equal(rotated.status, 200, rotated.text);
    assert.match(rotated.body.secret, /^whsec_/);
    assert.notEqual(rotated.body.secret, created.body.secret);
    const graceEnds = Date.parse(rotated.body.previous_secret_expires_at) - Date.now();
    assert.ok(graceEnds > 23 * 3600_000 && graceEnds <= 24 * 3600_000, 'about 24 hours');
    const noBody = await t.api('POST', `/api/v1/webhooks/${created.body.id}/rotate-secret`);
    assert.equal(noBody.status, 200, 'the body is optional');
    const short = await t.api('POST', `/api/v1/webhooks/${created.body.id}/rotate-secret`, { body: { grace_seconds: 60 } });
    assert.ok(Date.parse(short.body.previous_secret_expires_at) - Date.now() <= 60_000);
    for (const grace of [-1, 1.5, 8 * 86400, '60']) {
      assert.equal((await t.api('POST', `/api/v1/webhooks/${created.body.id}/rotate-secret`, { body: { grace_seconds: grace } })).status, 422, String(grace));
    }
    const row = await t.parts.db('webhook_endpoints').where({ id: created.body.id }).first();
    assert.match(row.secret, /^enc:v1:/, 'sealed at rest');
    assert.equal(t.parts.webhooks.endpoints.openSecrets(row).secret, short.body.secret);
  });

  test('DELETE removes the endpoint and its delivery log', async () => {
    const created = await create({});
    const deleted = await t.api('DELETE', `/api/v1/webhooks/${created.body.id}`);
    assert.deepEqual(deleted.body, { deleted: true, id: created.body.id });
    assert.equal((await t.api('GET', `/api/v1/webhooks/${created.body.id}`)).status, 404);
    assert.equal((await t.api('DELETE', `/api/v1/webhooks/${created.body.id}`)).status, 404);
    assert.equal((await t.api('GET', `/api/v1/webhooks/${created.body.id}/deliveries`)).status, 404);
  });

  test('lists page with a cursor and filter by enabled', async () => {
    const { adminKey } = await t.createWorkspace('Pager');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await create({ enabled: i % 2 === 0 }, adminKey)).body.id);
    const first = await t.api('GET', '/api/v1/webhooks?limit=2', { key: adminKey });
    assert.equal(first.body.data.length, 2);
    assert.equal(first.body.pagination.has_more, true);
    const second = await t.api('GET', `/api/v1/webhooks?limit=2&cursor=${encodeURIComponent(first.body.pagination.cursor)}`, { key: adminKey });
    const third = await t.api('GET', `/api/v1/webhooks?limit=2&cursor=${encodeURIComponent(second.body.pagination.cursor)}`, { key: adminKey });
    assert.equal(third.body.pagination.has_more, false);
    assert.equal(third.body.pagination.cursor, null);
    assert.deepEqual([...first.body.data, ...second.body.data, ...third.body.data].map((e: { id: string }) => e.id), [...ids].reverse());
    const disabled = await t.api('GET', '/api/v1/webhooks?enabled=false', { key: adminKey });
    assert.equal(disabled.body.data.length, 2);
    const badCursor = await t.api('GET', `/api/v1/webhooks?enabled=true&cursor=${encodeURIComponent(first.body.pagination.cursor)}`, { key: adminKey });
    assert.equal(badCursor.status, 400, 'a cursor belongs to its list');
    for (const query of ['limit=0', 'limit=101', 'enabled=maybe', 'colour=red']) {
      assert.equal((await t.api('GET', `/api/v1/webhooks?${query}`, { key: adminKey })).status, 422, query);
    }
  });

  test('the delivery log validates its filters and ids', async () => {
    const created = await create({});
    const base = `/api/v1/webhooks/${created.body.id}/deliveries`;
    assert.deepEqual((await t.api('GET', base)).body, { data: [], pagination: { has_more: false, cursor: null } });
    assert.equal((await t.api('GET', `${base}?status=lost`)).status, 422);
    assert.equal((await t.api('GET', `${base}?message_id=lnk_x`)).status, 422);
    assert.equal((await t.api('GET', `${base}/dlv_${'0'.repeat(26)}`)).status, 404);
    assert.equal((await t.api('GET', `${base}/nope`)).status, 404);
    assert.equal((await t.api('POST', `${base}/dlv_${'0'.repeat(26)}/replay`)).status, 404);
  });

  test('scopes: webhooks:read may read, webhooks:write may change, other scopes may do neither', async () => {
    const created = await create({});
    const reader = await t.createKey(['webhooks:read']);
    const writer = await t.createKey(['webhooks:write']);
    const linker = await t.createKey(['links:read', 'links:write']);
    assert.equal((await t.api('GET', '/api/v1/webhooks', { key: reader })).status, 200);
    assert.equal((await t.api('GET', `/api/v1/webhooks/${created.body.id}/deliveries`, { key: reader })).status, 200);
    assert.equal((await create({}, reader)).status, 403);
    assert.equal((await t.api('POST', `/api/v1/webhooks/${created.body.id}/rotate-secret`, { key: reader, body: {} })).status, 403);
    assert.equal((await t.api('POST', `/api/v1/webhooks/${created.body.id}/test`, { key: reader, body: {} })).status, 403);
    assert.equal((await create({}, writer)).status, 201);
    assert.equal((await t.api('GET', '/api/v1/webhooks', { key: linker })).status, 403);
    assert.equal((await t.api('DELETE', `/api/v1/webhooks/${created.body.id}`, { key: linker })).status, 403);
    assert.equal((await t.api('GET', '/api/v1/webhooks', { key: null })).status, 401);
  });

  test('another workspace’s endpoint, a test-mode endpoint for a live key, and malformed ids are all 404', async () => {
    const other = await t.createWorkspace('Elsewhere');
    const theirs = await create({}, other.adminKey);
    const testKey = await t.createKey(['webhooks:read', 'webhooks:write'], { mode: 'test' });
    const testEndpoint = await create({}, testKey);
    assert.equal(testEndpoint.body.mode, 'test');
    for (const id of [theirs.body.id, testEndpoint.body.id]) {
      for (const [method, path, body] of [
        ['GET', '', undefined],
        ['PATCH', '', { description: 'x' }],
        ['DELETE', '', undefined],
        ['POST', '/rotate-secret', {}],
        ['POST', '/test', {}],
        ['GET', '/deliveries', undefined],
      ] as const) {
        const response = await t.api(method, `/api/v1/webhooks/${id}${path}`, { body });
        assert.equal(response.status, 404, `${method} ${path}`);
        assert.equal(response.body.error.code, 'not_found');
      }
    }
    const live = await t.api('GET', '/api/v1/webhooks?limit=100');
    assert.ok(!live.body.data.some((e: { id: string }) => e.id === testEndpoint.body.id || e.id === theirs.body.id));
    const asTest = await t.api('GET', '/api/v1/webhooks', { key: testKey });
    assert.deepEqual(asTest.body.data.map((e: { id: string }) => e.id), [testEndpoint.body.id]);
    for (const id of ['nope', 'lnk_01m7yvsnfzn0x2b22w1j4vx9bd', 'wh_short']) {
      assert.equal((await t.api('GET', `/api/v1/webhooks/${id}`)).status, 404, id);
    }
  });

  test('every change is audited with the key that made it, never with the secret', async () => {
    const created = await create({ description: 'audited' });
    await t.api('PATCH', `/api/v1/webhooks/${created.body.id}`, { body: { enabled: false } });
    const rotated = await t.api('POST', `/api/v1/webhooks/${created.body.id}/rotate-secret`, { body: {} });
    await t.api('DELETE', `/api/v1/webhooks/${created.body.id}`);
    const entries = await t.parts.db('audit_logs').where({ resource_id: created.body.id }).orderBy('id');
    assert.deepEqual(entries.map((e: { action: string }) => e.action), ['webhook.created', 'webhook.updated', 'webhook.secret_rotated', 'webhook.deleted']);
    for (const entry of entries) {
      assert.equal(entry.actor_type, 'api_key');
      assert.ok(entry.actor_key_id);
      assert.ok(!String(entry.changes).includes(created.body.secret.slice(6)), 'no secret in the audit log');
      assert.ok(!String(entry.changes).includes(rotated.body.secret.slice(6)));
    }
    assert.match(entries[1].changes, /"enabled":\{"before":true,"after":false\}/);
  });

  test('a workspace holds at most 100 endpoints per mode', async () => {
    const { adminKey } = await t.createWorkspace('Crowded');
    const rows = Array.from({ length: 100 }, () => ({ url: URL_A, events: ['*'] }));
    for (const body of rows) assert.equal((await t.api('POST', '/api/v1/webhooks', { body, key: adminKey })).status, 201);
    const refused = await t.api('POST', '/api/v1/webhooks', { body: rows[0], key: adminKey });
    assert.equal(refused.status, 409);
    assert.match(refused.body.error.message, /at most 100/);
  });

  test('the OpenAPI document describes every webhook route', async () => {
    const doc = (await t.api('GET', '/api/v1/openapi.json', { key: null })).body;
    for (const [path, methods] of Object.entries({
      '/webhooks': ['get', 'post'],
      '/webhooks/{id}': ['get', 'patch', 'delete'],
      '/webhooks/{id}/rotate-secret': ['post'],
      '/webhooks/{id}/test': ['post'],
      '/webhooks/{id}/deliveries': ['get'],
      '/webhooks/{id}/deliveries/{delivery_id}': ['get'],
      '/webhooks/{id}/deliveries/{delivery_id}/replay': ['post'],
    })) {
      for (const method of methods) assert.ok(doc.paths[path]?.[method], `${method} ${path}`);
    }
    assert.equal(doc.paths['/webhooks'].post['x-required-scope'], 'webhooks:write');
  });
});
