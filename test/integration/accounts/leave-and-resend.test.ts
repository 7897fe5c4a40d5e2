import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestEngine } from '../../support/engine';
import { assertEnvelope, Browser, signedIn, startAccountsEngine, uniqueEmail } from './helpers';

const tokenOf = (url: string) => new URL(url).pathname.split('/').pop() as string;

describe('Dashboard accounts: leaving a workspace and resending an invitation', () => {
  let t: TestEngine;
  before(async () => {
    t = await startAccountsEngine();
  });
  after(() => t.stop());

  const memberOf = async (email: string) => (await t.api('GET', `/api/v1/members?email=${encodeURIComponent(email)}`)).body.data[0];

  test('a member or viewer leaves on their own: the membership goes, audited as member.left, and their sessions end', async () => {
    for (const role of ['member', 'viewer'] as const) {
      const { browser, email, userId } = await signedIn(t, role);
      const member = await memberOf(email);
      const left = await browser.call('POST', '/api/v1/workspace/leave');
      assert.equal(left.status, 204, left.text);
      assert.equal(await memberOf(email), undefined);
      assertEnvelope(await browser.call('GET', '/api/v1/links'), 401, 'unauthorized');
      const audit = await t.api('GET', `/api/v1/audit-logs?resource_id=${member.id}`);
      const entry = audit.body.data.find((e: { action: string }) => e.action === 'member.left');
      assert.ok(entry, audit.text);
      assert.equal(entry.actor_type, 'user');
      assert.equal(entry.actor_user_id, userId);
    }
  });

  test('the only owner is refused (409) and stays; an owner beside another owner may leave', async () => {
    const other = await t.createWorkspace('Solo');
    const solo = await signedIn(t, 'owner', other.workspace.id);
    await signedIn(t, 'member', other.workspace.id);
    const refused = await solo.browser.call('POST', '/api/v1/workspace/leave', { headers: { 'x-mask-workspace': other.workspace.id } });
    assertEnvelope(refused, 409, 'conflict');
    assert.match(refused.body.error.message, /only owner/);
    const owners = await t.api('GET', '/api/v1/members?role=owner', { key: other.adminKey });
    assert.equal(owners.body.data.length, 1);

    const second = await signedIn(t, 'owner', other.workspace.id);
    const left = await second.browser.call('POST', '/api/v1/workspace/leave', { headers: { 'x-mask-workspace': other.workspace.id } });
    assert.equal(left.status, 204, left.text);
  });

  test('leaving needs a session and its CSRF token: an API key is refused, and so is a write without the token', async () => {
    assertEnvelope(await t.api('POST', '/api/v1/workspace/leave'), 401, 'unauthorized');
    const { browser, email } = await signedIn(t, 'member');
    assertEnvelope(await browser.call('POST', '/api/v1/workspace/leave', { csrf: false }), 403);
    assert.ok(await memberOf(email), 'still a member');
  });

  test('resend keeps the invitation (id, email, role) with a new link and a fresh expiry; the old link stops working', async () => {
    const admin = await signedIn(t, 'admin');
    const email = uniqueEmail('resent');
    const invited = await admin.browser.call('POST', '/api/v1/invitations', { body: { email, role: 'viewer' } });
    assert.equal(invited.status, 201, invited.text);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const resent = await admin.browser.call('POST', `/api/v1/invitations/${invited.body.id}/resend`);
    assert.equal(resent.status, 200, resent.text);
    assert.equal(resent.body.id, invited.body.id);
    assert.equal(resent.body.email, email);
    assert.equal(resent.body.role, 'viewer');
    assert.equal(resent.body.mailed, false);
    assert.notEqual(resent.body.url, invited.body.url);
    assert.ok(Date.parse(resent.body.expires_at) > Date.parse(invited.body.expires_at), 'the expiry moves on');

    assertEnvelope(await t.api('GET', `/api/v1/auth/invitations/${tokenOf(invited.body.url)}`, { key: null }), 404, 'not_found');
    assert.equal((await t.api('GET', `/api/v1/auth/invitations/${tokenOf(resent.body.url)}`, { key: null })).status, 200);
    const pending = await admin.browser.call('GET', '/api/v1/invitations');
    assert.deepEqual(pending.body.data.filter((i: { email: string }) => i.email === email).map((i: { id: string }) => i.id), [invited.body.id]);
    const audit = await t.api('GET', `/api/v1/audit-logs?resource_id=${invited.body.id}`);
    assert.deepEqual(audit.body.data.map((e: { action: string }) => e.action).sort(), ['invitation.created', 'invitation.resent']);

    const accepted = await new Browser(t).call('POST', `/api/v1/auth/invitations/${tokenOf(resent.body.url)}/accept`, { body: { name: 'Resent', password: 'correct horse battery' } });
    assert.equal(accepted.status, 200, accepted.text);
    assertEnvelope(await admin.browser.call('POST', `/api/v1/invitations/${invited.body.id}/resend`), 404, 'not_found');
  });

  test('resend refuses revoked, unknown, malformed and other workspaces’ ids, and callers without admin', async () => {
    const admin = await signedIn(t, 'owner');
    const invited = await admin.browser.call('POST', '/api/v1/invitations', { body: { email: uniqueEmail('revoked'), role: 'member' } });
    assert.equal((await admin.browser.call('DELETE', `/api/v1/invitations/${invited.body.id}`)).status, 204);
    assertEnvelope(await admin.browser.call('POST', `/api/v1/invitations/${invited.body.id}/resend`), 404, 'not_found');
    assertEnvelope(await admin.browser.call('POST', '/api/v1/invitations/inv_01jz0000000000000000000000/resend'), 404, 'not_found');
    assertEnvelope(await admin.browser.call('POST', '/api/v1/invitations/nope/resend'), 404, 'not_found');

    const pending = await admin.browser.call('POST', '/api/v1/invitations', { body: { email: uniqueEmail('pending'), role: 'member' } });
    const viewer = await signedIn(t, 'viewer');
    assertEnvelope(await viewer.browser.call('POST', `/api/v1/invitations/${pending.body.id}/resend`), 403, 'forbidden');
    const other = await t.createWorkspace('Elsewhere');
    assertEnvelope(await t.api('POST', `/api/v1/invitations/${pending.body.id}/resend`, { key: other.adminKey }), 404, 'not_found');
  });
});
