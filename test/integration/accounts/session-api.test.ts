import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { newId } from '../../../engine/support/ids';
import type { TestEngine } from '../../support/engine';
import { assertEnvelope, signedIn, startAccountsEngine } from './helpers';

const link = (slug: string) => ({ url: 'https://example.com/page', slug });

describe('Dashboard accounts: one API for keys and sessions', () => {
  let t: TestEngine;
  before(async () => {
    t = await startAccountsEngine();
  });
  after(() => t.stop());

  test('a session authenticates /api/v1: reads need no token, writes need X-CSRF-Token and the same origin', async () => {
    const { browser } = await signedIn(t, 'member');
    const list = await browser.call('GET', '/api/v1/links');
    assert.equal(list.status, 200, list.text);
    assert.ok(Array.isArray(list.body.data));

    const noToken = await browser.call('POST', '/api/v1/links', { body: link('sess-no-token'), csrf: false });
    assertEnvelope(noToken, 403, 'forbidden');
    assert.match(noToken.body.error.message, /X-CSRF-Token/);
    assertEnvelope(await browser.call('POST', '/api/v1/links', { body: link('sess-bad-token'), headers: { 'x-csrf-token': 'x'.repeat(43) } }), 403, 'forbidden');
    assertEnvelope(await browser.call('POST', '/api/v1/links', { body: link('sess-cross-origin'), headers: { origin: 'https://evil.example' } }), 403, 'forbidden');
    assertEnvelope(await browser.call('POST', '/api/v1/links', { body: link('sess-cross-site'), headers: { 'sec-fetch-site': 'cross-site' } }), 403, 'forbidden');
    assertEnvelope(await browser.call('DELETE', '/api/v1/links/lnk_00000000000000000000000000', { csrf: false }), 403, 'forbidden');

    const created = await browser.call('POST', '/api/v1/links', { body: link('sess-created'), headers: { origin: t.baseUrl, 'sec-fetch-site': 'same-origin' } });
    assert.equal(created.status, 201, created.text);
    assert.equal((await t.api('GET', `/api/v1/links/${created.body.id}`)).status, 200, 'in the workspace the key sees too');
    assert.equal((await browser.call('GET', `/api/v1/links?search=sess-created`)).body.data.length, 1);
  });

  test('API keys keep working as before: no CSRF token, whatever the Origin', async () => {
    const created = await t.api('POST', '/api/v1/links', { body: link('key-no-csrf'), headers: { origin: 'https://elsewhere.example' } });
    assert.equal(created.status, 201, created.text);
    const me = await t.api('GET', '/api/v1/me');
    assert.equal(me.status, 200);
    assert.equal(me.body.key.last4.length, 4);
  });

  test('a viewer reads but may not write (403); a member may not manage keys; an admin may', async () => {
    const viewer = (await signedIn(t, 'viewer')).browser;
    assert.equal((await viewer.call('GET', '/api/v1/links')).status, 200);
    assert.equal((await viewer.call('GET', '/api/v1/analytics')).status, 200);
    const write = await viewer.call('POST', '/api/v1/links', { body: link('viewer-write') });
    assertEnvelope(write, 403, 'forbidden');
    assert.match(write.body.error.message, /viewer/);
    const me = await viewer.call('GET', '/api/v1/me');
    assert.equal(me.status, 200, me.text);
    assert.equal(me.body.key, null);
    assert.deepEqual(me.body.scopes.sort(), ['analytics:read', 'links:read', 'pages:read', 'team:read', 'webhooks:read']);

    const member = (await signedIn(t, 'member')).browser;
    assertEnvelope(await member.call('GET', '/api/v1/keys'), 403, 'forbidden');
    const admin = (await signedIn(t, 'admin')).browser;
    assert.equal((await admin.call('GET', '/api/v1/keys')).status, 200);
  });

  test('X-Mask-Workspace picks one of the user\'s workspaces (default the first); others are refused', async () => {
    const { workspace: second } = await t.createWorkspace('Second');
    const { workspace: foreign } = await t.createWorkspace('Foreign');
    const { browser, userId } = await signedIn(t, 'member');
    // The same user joins a second workspace, later: a member row linked to their account.
    const { email } = (await t.parts.accounts.findUser(userId))!;
    await t.parts.db('members').insert({ id: newId('mem'), workspace_id: second.id, name: 'Same', email, role: 'viewer', user_id: userId, created_at: Date.now(), updated_at: Date.now() });

    const session = await browser.call('GET', '/api/v1/auth/session');
    assert.equal(session.body.workspace_id, t.workspace.id);
    assert.deepEqual(session.body.workspaces.map((w: { id: string; role: string }) => [w.id, w.role]), [[t.workspace.id, 'member'], [second.id, 'viewer']]);
    const chosen = await browser.call('GET', '/api/v1/auth/session', { headers: { 'x-mask-workspace': second.id } });
    assert.equal(chosen.body.workspace_id, second.id);

    const there = await browser.call('POST', '/api/v1/links', { body: link('second-ws'), headers: { 'x-mask-workspace': second.id } });
    assertEnvelope(there, 403, 'forbidden');
    const me = await browser.call('GET', '/api/v1/me', { headers: { 'x-mask-workspace': second.id } });
    assert.equal(me.body.workspace.id, second.id);
    assertEnvelope(await browser.call('GET', '/api/v1/links', { headers: { 'x-mask-workspace': foreign.id } }), 403, 'forbidden');
    assertEnvelope(await browser.call('GET', '/api/v1/links', { headers: { 'x-mask-workspace': 'nope' } }), 400, 'bad_request');
  });

  test('audit entries name the user who acted', async () => {
    const { browser, userId } = await signedIn(t, 'admin');
    const created = await browser.call('POST', '/api/v1/links', { body: link('audited-by-user') });
    assert.equal(created.status, 201, created.text);
    const audit = await browser.call('GET', `/api/v1/audit-logs?resource_id=${created.body.id}`);
    assert.equal(audit.status, 200, audit.text);
    const [entry] = audit.body.data;
    assert.equal(entry.action, 'link.created');
    assert.equal(entry.actor_type, 'user');
    assert.equal(entry.actor_user_id, userId);
    assert.equal(entry.actor_key_id, null);
    const byUser = await t.api('GET', `/api/v1/audit-logs?actor_user_id=${userId}&action=link.*`);
    assert.deepEqual(byUser.body.data.map((e: { resource_id: string }) => e.resource_id), [created.body.id]);
    const byKey = await t.api('GET', `/api/v1/audit-logs?actor_type=api_key&resource_id=${created.body.id}`);
    assert.equal(byKey.body.data.length, 0);
  });

  test('the auth routes are in the OpenAPI document, public ones without security', async () => {
    const doc = (await t.api('GET', '/api/v1/openapi.json', { key: null })).body;
    for (const path of ['/auth/session', '/auth/login', '/auth/logout', '/auth/setup', '/auth/invitations/{token}', '/auth/invitations/{token}/accept', '/auth/sessions', '/auth/sessions/{id}', '/auth/sessions/revoke-others', '/auth/oidc', '/invitations', '/invitations/{id}']) {
      assert.ok(doc.paths[path], `${path} documented`);
    }
    assert.deepEqual(doc.paths['/auth/login'].post.security, []);
    assert.equal(doc.paths['/auth/login'].post['x-required-scope'], 'none');
    assert.deepEqual(doc.paths['/auth/sessions'].get.security, [{ sessionCookie: [] }]);
    assert.ok(doc.paths['/auth/login'].post.requestBody.content['application/json'].schema.properties.password);
    assert.equal(doc.paths['/invitations'].post['x-required-scope'], 'admin');
    assert.ok(doc.components.securitySchemes.sessionCookie);
  });
});
