import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestEngine } from '../../support/engine';
import { assertEnvelope, Browser, PASSWORD, signedIn, startAccountsEngine, uniqueEmail } from './helpers';

const tokenOf = (url: string) => new URL(url).pathname.split('/').pop() as string;

describe('Dashboard accounts: invitations', () => {
  let t: TestEngine;
  before(async () => {
    t = await startAccountsEngine();
  });
  after(() => t.stop());

  test('an admin invites by email; the link creates the account with the role, once', async () => {
    const admin = await signedIn(t, 'admin');
    const email = uniqueEmail('invited');
    const invited = await admin.browser.call('POST', '/api/v1/invitations', { body: { email: email.toUpperCase(), role: 'viewer' } });
    assert.equal(invited.status, 201, invited.text);
    assert.match(invited.body.id, /^inv_/);
    assert.equal(invited.body.email, email);
    assert.equal(invited.body.role, 'viewer');
    assert.ok(invited.body.url.startsWith(`${t.baseUrl}/app/invite/`), invited.body.url);
    const days = (Date.parse(invited.body.expires_at) - Date.parse(invited.body.created_at)) / 86_400_000;
    assert.equal(days, 7);
    const token = tokenOf(invited.body.url);

    const listed = await admin.browser.call('GET', '/api/v1/invitations');
    assert.deepEqual(listed.body.data.map((i: { id: string }) => i.id), [invited.body.id]);
    assert.equal(listed.body.data[0].url, undefined, 'the link is shown only once');

    const preview = await t.api('GET', `/api/v1/auth/invitations/${token}`, { key: null });
    assert.equal(preview.status, 200, preview.text);
    assert.deepEqual(preview.body, { email, workspace_name: t.workspace.name, role: 'viewer' });

    const short = await new Browser(t).call('POST', `/api/v1/auth/invitations/${token}/accept`, { body: { name: 'Grace', password: 'short' } });
    assertEnvelope(short, 422, 'validation_error');
    assertEnvelope(await new Browser(t).call('POST', `/api/v1/auth/invitations/${token}/accept`, { body: {} }), 422, 'validation_error');
    assertEnvelope(await new Browser(t).call('POST', `/api/v1/auth/invitations/${token}/accept`, { rawBody: '{' }), 400, 'bad_request');

    const browser = new Browser(t);
    const accepted = await browser.call('POST', `/api/v1/auth/invitations/${token}/accept`, { body: { name: 'Grace', password: PASSWORD } });
    assert.equal(accepted.status, 200, accepted.text);
    assert.equal(accepted.body.user.email, email);
    assert.deepEqual(accepted.body.workspaces, [{ id: t.workspace.id, name: t.workspace.name, role: 'viewer' }]);
    assert.equal((await browser.call('GET', '/api/v1/links')).status, 200);
    assertEnvelope(await browser.call('POST', '/api/v1/links', { body: { url: 'https://example.com/' } }), 403, 'forbidden');

    assertEnvelope(await t.api('GET', `/api/v1/auth/invitations/${token}`, { key: null }), 404, 'not_found');
    assertEnvelope(await new Browser(t).call('POST', `/api/v1/auth/invitations/${token}/accept`, { body: { name: 'Eve', password: PASSWORD } }), 404, 'not_found');
    assert.equal((await admin.browser.call('GET', '/api/v1/invitations')).body.data.length, 0, 'no longer pending');

    const members = await t.api('GET', `/api/v1/members?email=${encodeURIComponent(email)}`);
    assert.equal(members.body.data[0].role, 'viewer');
    const signIn = new Browser(t);
    await signIn.login(email);
  });

  test('an invitation can be revoked; members and viewers cannot invite; keys with admin can', async () => {
    const admin = await signedIn(t, 'owner');
    const invited = await admin.browser.call('POST', '/api/v1/invitations', { body: { email: uniqueEmail('revoked') } });
    assert.equal(invited.body.role, 'member', 'the default role');
    assertEnvelope(await admin.browser.call('DELETE', `/api/v1/invitations/${invited.body.id}`, { csrf: false }), 403, 'forbidden');
    assert.equal((await admin.browser.call('DELETE', `/api/v1/invitations/${invited.body.id}`)).status, 204);
    assertEnvelope(await admin.browser.call('DELETE', `/api/v1/invitations/${invited.body.id}`), 404, 'not_found');
    assertEnvelope(await t.api('GET', `/api/v1/auth/invitations/${tokenOf(invited.body.url)}`, { key: null }), 404, 'not_found');

    for (const role of ['member', 'viewer'] as const) {
      const { browser } = await signedIn(t, role);
      assertEnvelope(await browser.call('POST', '/api/v1/invitations', { body: { email: uniqueEmail() } }), 403, 'forbidden');
    }
    const byKey = await t.api('POST', '/api/v1/invitations', { body: { email: uniqueEmail('bykey'), role: 'admin' } });
    assert.equal(byKey.status, 201, byKey.text);
    assertEnvelope(await t.api('POST', '/api/v1/invitations', { body: { email: 'nope', role: 'owner' } }), 422, 'validation_error');
    assertEnvelope(await t.api('POST', '/api/v1/invitations', { body: { email: admin.email } }), 409, 'conflict');
  });

  test('an invitation for an existing account adds the membership once its password is given', async () => {
    const { workspace: other, adminKey } = await t.createWorkspace('Other team');
    const existing = await signedIn(t, 'member');
    const invited = await t.api('POST', '/api/v1/invitations', { key: adminKey, body: { email: existing.email, role: 'admin' } });
    assert.equal(invited.status, 201, invited.text);
    const token = tokenOf(invited.body.url);
    const wrong = await new Browser(t).call('POST', `/api/v1/auth/invitations/${token}/accept`, { body: { name: 'Same', password: 'not the password' } });
    assertEnvelope(wrong, 401, 'unauthorized');
    const accepted = await new Browser(t).call('POST', `/api/v1/auth/invitations/${token}/accept`, { body: { name: 'Same', password: PASSWORD } });
    assert.equal(accepted.status, 200, accepted.text);
    assert.deepEqual(accepted.body.workspaces.map((w: { id: string; role: string }) => [w.id, w.role]), [[t.workspace.id, 'member'], [other.id, 'admin']]);
  });
});
