import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestEngine, type TestEngine } from '../../support/engine';
import { subscribeReceiver, until, type Receiver } from '../../support/webhook-receiver';

describe('Links API: upsert, bulk update and bulk delete', () => {
  let t: TestEngine;
  let receiver: Receiver;
  before(async () => {
    t = await startTestEngine({ webhookAllowedHosts: 'loopback' });
    receiver = await subscribeReceiver(t);
  });
  after(async () => {
    await t.stop();
    await receiver.close();
  });

  /** Webhook deliveries received of `type` for the link `id`. */
  const delivered = (type: string, id: string) =>
    receiver.received.filter((r) => {
      const body = JSON.parse(r.body) as { type: string; data: { id: string } };
      return body.type === type && body.data.id === id;
    }).length;

  const upsert = (body: unknown, key?: string) => t.api('PUT', '/api/v1/links/upsert', { body, key });
  const auditCount = async (action: string, resourceId: string) =>
    Number((await t.parts.db('audit_logs').where({ action, resource_id: resourceId }).count({ n: '*' }))[0].n);

  test('upsert by external_id creates once, then updates the fields given', async () => {
    const first = await upsert({ url: 'https://example.com/a', external_id: 'crm-1', title: 'First' });
    assert.equal(first.status, 200, first.text);
    assert.equal(first.headers.get('mask-upsert'), 'created');
    assert.equal(first.body.external_id, 'crm-1');
    const second = await upsert({ url: 'https://example.com/b', external_id: 'crm-1' });
    assert.equal(second.headers.get('mask-upsert'), 'updated');
    assert.equal(second.body.id, first.body.id);
    assert.equal(second.body.url, 'https://example.com/b');
    assert.equal(second.body.title, 'First');
    assert.equal(await auditCount('link.created', first.body.id), 1);
    assert.equal(await auditCount('link.updated', first.body.id), 1);
  });

  test('upsert by domain and slug; another workspace keeps its slug (409), and other modes are apart', async () => {
    const created = await upsert({ url: 'https://example.com/s', slug: 'upsert-slug' });
    assert.equal(created.headers.get('mask-upsert'), 'created');
    const updated = await upsert({ url: 'https://example.com/s2', slug: 'upsert-slug' });
    assert.equal(updated.body.id, created.body.id);
    const other = await t.createWorkspace('Thief');
    const stolen = await upsert({ url: 'https://evil.example/', slug: 'upsert-slug' }, other.adminKey);
    assert.equal(stolen.status, 409, stolen.text);
    assert.equal((await t.api('GET', `/api/v1/links/${created.body.id}`)).body.url, 'https://example.com/s2');
    const testKey = await t.createKey(['links:write'], { mode: 'test' });
    assert.equal((await upsert({ url: 'https://example.com/t', external_id: 'crm-1' }, testKey)).headers.get('mask-upsert'), 'created');
  });

  test('upsert needs external_id or slug; a slug change of a found link is refused', async () => {
    const bare = await upsert({ url: 'https://example.com/' });
    assert.equal(bare.status, 422);
    assert.equal(bare.body.error.details[0].field, 'external_id');
    await upsert({ url: 'https://example.com/x', external_id: 'ext-slug', slug: 'first-slug' });
    const moved = await upsert({ url: 'https://example.com/x', external_id: 'ext-slug', slug: 'other-slug' });
    assert.equal(moved.status, 422);
    const invalid = await upsert({ url: 'javascript:alert(1)', external_id: 'x' });
    assert.equal(invalid.status, 422);
  });

  test('concurrent upserts of one external_id (and of one slug) end with one link', async () => {
    for (const [field, value] of [['external_id', 'race-1'], ['slug', 'race-slug']] as const) {
      const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => upsert({ url: `https://example.com/${i}`, [field]: value })));
      for (const answer of answers) assert.equal(answer.status, 200, answer.text);
      assert.equal(new Set(answers.map((a) => a.body.id)).size, 1);
      assert.equal(answers.filter((a) => a.headers.get('mask-upsert') === 'created').length, 1);
      const column = field === 'external_id' ? 'external_id' : 'slug';
      assert.equal(Number((await t.parts.db('links').where({ [column]: value }).count({ n: '*' }))[0].n), 1);
    }
  });

  test('external_id is unique per workspace on create and patch (409)', async () => {
    const a = await t.api('POST', '/api/v1/links', { body: { url: 'https://example.com/', external_id: 'uniq-1' } });
    assert.equal(a.status, 201);
    assert.equal((await t.api('POST', '/api/v1/links', { body: { url: 'https://example.com/', external_id: 'uniq-1' } })).status, 409);
    const b = await t.api('POST', '/api/v1/links', { body: { url: 'https://example.com/' } });
    const patched = await t.api('PATCH', `/api/v1/links/${b.body.id}`, { body: { external_id: 'uniq-1' } });
    assert.equal(patched.status, 409, patched.text);
    const other = await t.createWorkspace('Other ext');
    assert.equal((await t.api('POST', '/api/v1/links', { body: { url: 'https://example.com/', external_id: 'uniq-1' }, key: other.adminKey })).status, 201);
  });

  test('bulk update applies one change per id with per-item results; another workspace’s id fails alone', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await t.api('POST', '/api/v1/links', { body: { url: `https://example.com/${i}` } })).body.id);
    const other = await t.createWorkspace('Foreign');
    const foreign = (await t.api('POST', '/api/v1/links', { body: { url: 'https://example.com/f' }, key: other.adminKey })).body.id;
    const response = await t.api('PATCH', '/api/v1/links/bulk', { body: { ids: [ids[0], foreign, ids[1], 'nonsense', ids[2]], patch: { tags: ['bulk'], title: 'Bulk' } } });
    assert.equal(response.status, 200, response.text);
    assert.deepEqual(response.body.data.map((l: { id: string }) => l.id), ids);
    for (const link of response.body.data) assert.deepEqual(link.tags, ['bulk']);
    assert.deepEqual(response.body.errors.map((e: { index: number; error: { code: string } }) => [e.index, e.error.code]), [[1, 'not_found'], [3, 'not_found']]);
    assert.equal((await t.api('GET', `/api/v1/links/${foreign}`, { key: other.adminKey })).body.title, null);
    for (const id of ids) assert.equal(await auditCount('link.updated', id), 1);
    await until(() => ids.every((id) => delivered('link.updated', id) === 1), 'one link.updated webhook per link');
  });

  test('bulk bodies are checked: ids 1–100, no per-link fields, no unknown fields', async () => {
    const tooMany = Array.from({ length: 101 }, () => 'lnk_x');
    for (const body of [{ ids: [] }, { ids: tooMany }, { ids: ['lnk_x'], colour: 1 }]) {
      assert.equal((await t.api('DELETE', '/api/v1/links/bulk', { body })).status, 422);
    }
    const perLink = await t.api('PATCH', '/api/v1/links/bulk', { body: { ids: ['lnk_x'], patch: { external_id: 'same' } } });
    assert.equal(perLink.status, 422);
    assert.equal(perLink.body.error.details[0].field, 'patch.external_id');
    assert.equal((await t.api('PATCH', '/api/v1/links/bulk', { body: { ids: ['lnk_x'], patch: { url: 'ftp://x' } } })).status, 422);
    const readOnly = await t.createKey(['links:read']);
    assert.equal((await t.api('DELETE', '/api/v1/links/bulk', { body: { ids: ['lnk_x'] }, key: readOnly })).status, 403);
  });

  test('bulk delete removes each link with its own audit entry; repeated and unknown ids fail alone', async () => {
    const id = (await t.api('POST', '/api/v1/links', { body: { url: 'https://example.com/d' } })).body.id;
    const response = await t.api('DELETE', '/api/v1/links/bulk', { body: { ids: [id, id] } });
    assert.equal(response.status, 200, response.text);
    assert.equal(response.body.data.length, 1);
    assert.equal(response.body.errors[0].index, 1);
    assert.equal(response.body.errors[0].error.code, 'not_found');
    assert.equal((await t.api('GET', `/api/v1/links/${id}`)).status, 404);
    assert.equal(await auditCount('link.deleted', id), 1);
    await until(() => delivered('link.deleted', id) === 1, 'the link.deleted webhook');
  });
});
