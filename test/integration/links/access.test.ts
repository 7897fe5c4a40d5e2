import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestEngine, type TestEngine } from '../../support/engine';
import { subscribeReceiver, type Receiver } from '../../support/webhook-receiver';

describe('Links API: scopes, workspace isolation and test mode', () => {
  let t: TestEngine;
  let receiver: Receiver;
  let linkId: string;
  before(async () => {
    t = await startTestEngine({ webhookAllowedHosts: 'loopback' });
    receiver = await subscribeReceiver(t);
    linkId = (await t.api('POST', '/api/v1/links', { body: { url: 'https://example.com/mine', slug: 'mine-only' } })).body.id;
  });
  after(async () => {
    await t.stop();
    await receiver.close();
  });

  const routes = (id: string) => [
    { method: 'GET', path: '/api/v1/links', scope: 'links:read' },
    { method: 'GET', path: `/api/v1/links/${id}`, scope: 'links:read' },
    { method: 'POST', path: '/api/v1/links', scope: 'links:write', body: { url: 'https://example.com/x' } },
    { method: 'POST', path: '/api/v1/links/bulk', scope: 'links:write', body: { links: [{ url: 'https://example.com/x' }] } },
    { method: 'PATCH', path: `/api/v1/links/${id}`, scope: 'links:write', body: { title: 'x' } },
    { method: 'DELETE', path: `/api/v1/links/${id}`, scope: 'links:write' },
  ];

  test('each route needs its scope; another scope answers 403, no key 401', async () => {
    const readOnly = await t.createKey(['links:read']);
    const writeOnly = await t.createKey(['links:write']);
    const unrelated = await t.createKey(['analytics:read', 'pages:write']);
    for (const route of routes(linkId).filter((r) => r.method !== 'DELETE')) {
      const wrongKey = route.scope === 'links:read' ? writeOnly : readOnly;
      for (const key of [wrongKey, unrelated]) {
        const response = await t.api(route.method, route.path, { key, body: route.body });
        assert.equal(response.status, 403, `${route.method} ${route.path}`);
        assert.equal(response.body.error.code, 'forbidden');
        assert.match(response.body.error.message, new RegExp(route.scope));
      }
      assert.equal((await t.api(route.method, route.path, { key: null, body: route.body })).status, 401);
      const rightKey = route.scope === 'links:read' ? readOnly : writeOnly;
      assert.ok([200, 201].includes((await t.api(route.method, route.path, { key: rightKey, body: route.body })).status));
    }
    const disposable = (await t.api('POST', '/api/v1/links', { key: writeOnly, body: { url: 'https://example.com/bye' } })).body.id;
    assert.equal((await t.api('DELETE', `/api/v1/links/${disposable}`, { key: readOnly })).status, 403);
    assert.equal((await t.api('DELETE', `/api/v1/links/${disposable}`, { key: writeOnly })).status, 200);
  });

  test('another workspace’s link answers 404 exactly like one that never existed', async () => {
    const other = await t.createWorkspace('Intruder');
    const never = `lnk_${'0'.repeat(26)}`;
    for (const route of routes(linkId).filter((r) => r.path.includes(linkId))) {
      const body = route.method === 'PATCH' ? { title: 'hacked' } : route.body;
      const foreign = await t.api(route.method, route.path, { key: other.adminKey, body });
      const missing = await t.api(route.method, route.path.replace(linkId, never), { key: other.adminKey, body });
      assert.equal(foreign.status, 404, `${route.method}`);
      assert.deepEqual(foreign.body, missing.body);
    }
    const list = await t.api('GET', '/api/v1/links?search=mine', { key: other.adminKey });
    assert.deepEqual(list.body.data, []);
    const mine = await t.api('GET', `/api/v1/links/${linkId}`);
    assert.equal(mine.status, 200, 'not deleted by the intruder');
    assert.notEqual(mine.body.title, 'hacked', 'not changed by the intruder');
  });

  test('test-mode keys and live keys never see each other’s links', async () => {
    const testKey = await t.createKey(['links:read', 'links:write'], { mode: 'test' });
    const testLink = await t.api('POST', '/api/v1/links', { key: testKey, body: { url: 'https://example.com/sandbox' } });
    assert.equal(testLink.status, 201);
    for (const [key, id] of [[testKey, linkId], [t.adminKey, testLink.body.id]] as const) {
      assert.equal((await t.api('GET', `/api/v1/links/${id}`, { key })).status, 404);
      assert.equal((await t.api('PATCH', `/api/v1/links/${id}`, { key, body: { title: 'y' } })).status, 404);
      assert.equal((await t.api('DELETE', `/api/v1/links/${id}`, { key })).status, 404);
    }
    const testList = await t.api('GET', '/api/v1/links?limit=100', { key: testKey });
    assert.deepEqual(testList.body.data.map((l: { id: string }) => l.id), [testLink.body.id]);
    const event = await t.parts.db('events').where({ type: 'link.created' }).andWhere('payload', 'like', `%${testLink.body.id}%`).first();
    assert.equal(event.mode, 'test', 'test-mode events stay in test mode');
  });

  test('the OpenAPI document describes every links route with its scope and schemas', async () => {
    const doc = (await t.api('GET', '/api/v1/openapi.json', { key: null })).body;
    assert.equal(doc.paths['/links'].get['x-required-scope'], 'links:read');
    assert.equal(doc.paths['/links'].post['x-required-scope'], 'links:write');
    assert.equal(doc.paths['/links/bulk'].post['x-required-scope'], 'links:write');
    for (const method of ['get', 'patch', 'delete']) assert.ok(doc.paths['/links/{id}'][method]);
    const create = doc.paths['/links'].post.requestBody.content['application/json'].schema;
    assert.deepEqual(create.required, ['url']);
    assert.equal(create.additionalProperties, false);
    const bulkItem = doc.paths['/links/bulk'].post.requestBody.content['application/json'].schema.properties.links.items;
    assert.deepEqual(Object.keys(bulkItem.properties).sort(), Object.keys(create.properties).sort());
    const listParams = doc.paths['/links'].get.parameters.map((p: { name: string }) => p.name).sort();
    assert.deepEqual(listParams, ['campaign_id', 'created_after', 'created_before', 'cursor', 'domain', 'folder_id', 'limit', 'order', 'search', 'sort', 'tag']);
  });
});
