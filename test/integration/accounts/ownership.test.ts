import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildCli } from '../../../engine/cli';
import type { TestEngine } from '../../support/engine';
import { assertEnvelope, signedIn, startAccountsEngine } from './helpers';

describe('Dashboard accounts: ownership transfer', () => {
  let t: TestEngine;
  before(async () => {
    t = await startAccountsEngine();
  });
  after(() => t.stop());

  const memberOf = async (workspaceId: string, userId: string) =>
    t.parts.db('members').where({ workspace_id: workspaceId, user_id: userId }).first();

  test('the owner makes a member owner and becomes admin, in one audited change; non-owners get 403', async () => {
    const { workspace, adminKey } = await t.createWorkspace('Transfer');
    const owner = await signedIn(t, 'owner', workspace.id);
    const admin = await signedIn(t, 'admin', workspace.id);
    const plain = await signedIn(t, 'member', workspace.id);
    const headers = { 'x-mask-workspace': workspace.id };
    const target = await memberOf(workspace.id, plain.userId);

    for (const caller of [admin, plain]) {
      assertEnvelope(await caller.browser.call('POST', `/api/v1/members/${target.id}/transfer-ownership`, { headers }), 403, 'forbidden');
    }
    assertEnvelope(await t.api('POST', `/api/v1/members/${target.id}/transfer-ownership`, { key: adminKey }), 403, 'forbidden');
    assertEnvelope(await owner.browser.call('POST', '/api/v1/members/mem_01jf0000000000000000000000/transfer-ownership', { headers }), 404, 'not_found');
    assert.equal((await memberOf(workspace.id, plain.userId)).role, 'member', 'refusals change nothing');

    const moved = await owner.browser.call('POST', `/api/v1/members/${target.id}/transfer-ownership`, { headers });
    assert.equal(moved.status, 200, moved.text);
    assert.equal(moved.body.id, target.id);
    assert.equal(moved.body.role, 'owner');
    assert.equal((await memberOf(workspace.id, plain.userId)).role, 'owner');
    const formerOwner = await memberOf(workspace.id, owner.userId);
    assert.equal(formerOwner.role, 'admin');

    const audit = await t.parts.db('audit_logs').where({ workspace_id: workspace.id, action: 'member.ownership_transferred' });
    assert.equal(audit.length, 1);
    assert.equal(audit[0].resource_id, target.id);
    assert.equal(audit[0].actor_user_id, owner.userId);

    // The former owner is an admin now (from the next request): no longer allowed to transfer.
    assertEnvelope(await owner.browser.call('POST', `/api/v1/members/${formerOwner.id}/transfer-ownership`, { headers }), 403, 'forbidden');
    const session = await owner.browser.call('GET', '/api/v1/auth/session', { headers });
    assert.equal(session.body.workspaces.find((w: { id: string }) => w.id === workspace.id).role, 'admin');
    // And the new owner can hand it back.
    const back = await plain.browser.call('POST', `/api/v1/members/${formerOwner.id}/transfer-ownership`, { headers });
    assert.equal(back.status, 200, back.text);
    assert.equal((await memberOf(workspace.id, plain.userId)).role, 'admin');
  });

  test('mask members transfer-ownership makes the member owner and every other owner admin', async () => {
    const { workspace } = await t.createWorkspace('Transfer CLI');
    const owner = await signedIn(t, 'owner', workspace.id);
    const next = await signedIn(t, 'viewer', workspace.id);
    const saved = { DATABASE_URL: process.env.DATABASE_URL, MASK_DEFAULT_DOMAIN: process.env.MASK_DEFAULT_DOMAIN };
    process.env.DATABASE_URL = t.engine.config.databaseUrl;
    process.env.MASK_DEFAULT_DOMAIN = new URL(t.baseUrl).host;
    try {
      const lines: string[] = [];
      await buildCli((line = '') => lines.push(line)).exitOverride().parseAsync(['node', 'mask', 'members', 'transfer-ownership', next.email, '--workspace', workspace.id]);
      assert.match(lines.join('\n'), /now owns/);
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
    assert.equal((await memberOf(workspace.id, next.userId)).role, 'owner');
    assert.equal((await memberOf(workspace.id, owner.userId)).role, 'admin');
  });
});
