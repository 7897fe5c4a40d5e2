// Failure model: "a test key changes live settings". Workspace settings — name and default domain, plan, custom
// domains, members, invitations — exist once for both modes; a test admin key reads them and changes none (403 with
// one message naming what it tried to change), and nothing is written or audited.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestEngine, type TestEngine } from '../../support/engine';

describe('test keys cannot change live workspace settings', () => {
  let t: TestEngine;
  let testAdmin: string;
  let domain: { id: string };
  let member: { id: string };
  let invitation: { id: string };

  before(async () => {
    t = await startTestEngine();
    testAdmin = await t.createKey(['admin'], { mode: 'test' });
    domain = (await t.api('POST', '/api/v1/domains', { body: { hostname: 'live.example' } })).body;
    member = (await t.api('POST', '/api/v1/members', { body: { name: 'Ada', email: 'ada@example.com', role: 'member' } })).body;
    invitation = (await t.api('POST', '/api/v1/invitations', { body: { email: 'grace@example.com', role: 'viewer' } })).body;
  });
  after(() => t.stop());

  const auditCount = async () => Number((await t.parts.db('audit_logs').count({ n: '*' }))[0].n);

  const refusals: Array<[string, string, () => string, unknown, RegExp]> = [
    ['PATCH', 'workspace name', () => '/api/v1/workspace', { name: 'Renamed' }, /workspace settings/],
    ['POST', 'a custom domain', () => '/api/v1/domains', { hostname: 'test-mode.example' }, /custom domains/],
    ['PATCH', 'a custom domain', () => `/api/v1/domains/${domain.id}`, { is_default: true }, /custom domains/],
    ['DELETE', 'a custom domain', () => `/api/v1/domains/${domain.id}`, undefined, /custom domains/],
    ['POST', 'a member', () => '/api/v1/members', { name: 'Eve', email: 'eve@example.com' }, /members/],
    ['PATCH', 'a member', () => `/api/v1/members/${member.id}`, { role: 'admin' }, /members/],
    ['DELETE', 'a member', () => `/api/v1/members/${member.id}`, undefined, /members/],
    ['POST', 'an invitation', () => '/api/v1/invitations', { email: 'mallory@example.com', role: 'admin' }, /invitations/],
    ['DELETE', 'an invitation', () => `/api/v1/invitations/${invitation.id}`, undefined, /invitations/],
  ];

  for (const [method, what, path, body, names] of refusals) {
    test(`${method} ${what} with a test key: 403, nothing changed`, async () => {
      const before = await auditCount();
      const refused = await t.api(method, path(), { key: testAdmin, body });
      assert.equal(refused.status, 403, refused.text);
      assert.equal(refused.body.error.code, 'forbidden');
      assert.match(refused.body.error.message, /^A test key cannot change /);
      assert.match(refused.body.error.message, names);
      assert.match(refused.body.error.message, /live admin key/);
      assert.equal(await auditCount(), before, 'nothing audited');
    });
  }

  test('the test key still reads them all, and they are unchanged', async () => {
    const domains = await t.api('GET', '/api/v1/domains?limit=100', { key: testAdmin });
    assert.deepEqual(domains.body.data.map((d: { hostname: string; is_default: boolean }) => [d.hostname, d.is_default]), [['live.example', false]]);
    const members = await t.api('GET', `/api/v1/members/${member.id}`, { key: testAdmin });
    assert.equal(members.body.role, 'member');
    const invitations = await t.api('GET', '/api/v1/invitations', { key: testAdmin });
    assert.deepEqual(invitations.body.data.map((i: { id: string }) => i.id), [invitation.id]);
    assert.equal((await t.api('GET', '/api/v1/workspace', { key: testAdmin })).body.name, t.workspace.name);
  });

  test('a live admin key makes the same changes', async () => {
    assert.equal((await t.api('PATCH', `/api/v1/domains/${domain.id}`, { body: { is_default: true } })).status, 200);
    assert.equal((await t.api('PATCH', `/api/v1/members/${member.id}`, { body: { role: 'admin' } })).status, 200);
    assert.equal((await t.api('DELETE', `/api/v1/invitations/${invitation.id}`)).status, 204);
  });
});
