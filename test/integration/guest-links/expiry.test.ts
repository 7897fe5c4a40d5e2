import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestEngine, TEST_DOMAIN, type TestEngine } from '../../support/engine';
import { until } from '../../support/webhook-receiver';

describe('guest links are deleted automatically (a 2-second lifetime, the real clock)', () => {
  let t: TestEngine;
  before(async () => {
    t = await startTestEngine({ guestLinks: true, guestLinkLifetime: '2s' });
  });
  after(() => t.stop());

  test('a guest link expires, is deleted by the sweeper, and only guest links are', async () => {
    // The guest workspace, its admin key and the admin's link first: each guest link below lives 2 seconds, so every
    // step that must happen while it lives follows its creation at once.
    const workspaceId = await t.parts.guestWorkspace.id();
    const admin = await t.createKey(['admin'], { workspaceId });
    // An admin's own link in the guest workspace, expiring as soon: expired, but never swept.
    const own = await t.api('POST', '/api/v1/links', { key: admin, body: { url: 'https://example.com/own', expires_at: new Date(Date.now() + 1500).toISOString() } });
    assert.equal(own.status, 201, own.text);
    const created = await t.api('POST', '/api/v1/links/guest', { key: null, body: { url: 'https://example.com/short-lived', slug: 'short-lived' } });
    assert.equal(created.status, 201, created.text);
    const redirect = await fetch(`${t.baseUrl}/short-lived`, { headers: { host: TEST_DOMAIN }, redirect: 'manual' });
    assert.equal(redirect.status, 302, 'works while it lives');
    assert.ok(Date.parse(created.body.expires_at) - Date.parse(created.body.created_at) <= 2000);
    // An admin moving a guest link's expiry later does not keep it past the lifetime.
    const second = await t.api('POST', '/api/v1/links/guest', { key: null, body: { url: 'https://example.com/moved' } });
    const moved = await t.api('PATCH', `/api/v1/links/${second.body.id}`, { key: admin, body: { expires_at: new Date(Date.now() + 3_600_000).toISOString() } });
    assert.equal(moved.status, 200, moved.text);

    const gone = async (id: string) => (await t.api('GET', `/api/v1/links/${id}`, { key: admin })).status === 404;
    await until(() => gone(created.body.id), 'deleting the expired guest link');
    await until(() => gone(second.body.id), 'deleting the guest link whose expiry an admin moved');
    const after = await fetch(`${t.baseUrl}/short-lived`, { headers: { host: TEST_DOMAIN }, redirect: 'manual' });
    assert.equal(after.status, 404);
    assert.equal((await t.api('GET', `/api/v1/links/${own.body.id}`, { key: admin })).status, 200, 'the admin’s own link stays');

    const audit = await t.api('GET', `/api/v1/audit-logs?action=link.deleted&resource_id=${created.body.id}`, { key: admin });
    assert.equal(audit.body.data.length, 1);
    assert.equal(audit.body.data[0].actor_type, 'system');
  });
});
