import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestEngine, type TestEngine } from '../../support/engine';
import { assertValidation } from '../../support/links';

const MEMBER_FIELDS = ['created_at', 'email', 'id', 'name', 'role', 'updated_at'];

describe('Team members API', () => {
  let t: TestEngine;
  before(async () => {
    t = await startTestEngine();
  });
  after(() => t.stop());

  const db = () => t.parts.db;
  /** A workspace of its own, so owner rules and lists start empty. */
  const team = async () => {
    const { adminKey } = await t.createWorkspace('Team');
    const call = (method: string, path: string, body?: unknown) => t.api(method, path, { key: adminKey, body });
    const add = async (email: string, role = 'member', name = email.split('@')[0]) => {
      const response = await call('POST', '/api/v1/members', { name, email, role });
      assert.equal(response.status, 201, response.text);
      return response.body;
    };
    return { adminKey, call, add };
  };

  test('add, get, list, rename, change role and remove a member; every change is audited', async () => {
    const created = await t.api('POST', '/api/v1/members', { body: { name: ' Ada Lovelace ', email: ' Ada@Example.COM ' } });
    assert.equal(created.status, 201, created.text);
    assert.deepEqual(Object.keys(created.body).sort(), MEMBER_FIELDS);
    assert.match(created.body.id, /^mem_[0-9a-z]{26}$/);
    assert.equal(created.body.name, 'Ada Lovelace');
    assert.equal(created.body.email, 'ada@example.com', 'trimmed and lower-cased');
    assert.equal(created.body.role, 'member', 'the default role');
    const id = created.body.id;

    assert.deepEqual((await t.api('GET', `/api/v1/members/${id}`)).body, created.body);
    assert.ok((await t.api('GET', '/api/v1/members')).body.data.some((m: { id: string }) => m.id === id));
    const changed = await t.api('PATCH', `/api/v1/members/${id}`, { body: { name: 'Countess Lovelace', role: 'admin' } });
    assert.equal(changed.status, 200, changed.text);
    assert.equal(changed.body.role, 'admin');
    assert.equal(changed.body.name, 'Countess Lovelace');
    assert.ok(changed.body.updated_at >= created.body.updated_at);
    const same = await t.api('PATCH', `/api/v1/members/${id}`, { body: { role: 'admin' } });
    assert.deepEqual(same.body, changed.body, 'a patch that changes nothing changes nothing');

    assert.deepEqual((await t.api('DELETE', `/api/v1/members/${id}`)).body, { deleted: true, id });
    assert.equal((await t.api('GET', `/api/v1/members/${id}`)).status, 404);
    assert.equal((await t.api('DELETE', `/api/v1/members/${id}`)).status, 404);
    const audits = await db()('audit_logs').where({ resource_id: id }).orderBy('id');
    assert.deepEqual(audits.map((a) => a.action), ['member.added', 'member.updated', 'member.removed']);
    assert.deepEqual(JSON.parse(audits[1].changes).role, { before: 'member', after: 'admin' });
  });

  test('an email is a member once per workspace, case-insensitively; other workspaces may use it', async () => {
    const { call, add } = await team();
    await add('grace@example.com');
    const duplicate = await call('POST', '/api/v1/members', { name: 'Grace again', email: 'GRACE@example.com', role: 'viewer' });
    assert.equal(duplicate.status, 409);
    assert.equal(duplicate.body.error.code, 'conflict');
    assert.deepEqual(duplicate.body.error.details, [{ field: 'email', message: 'Already a member' }]);
    const other = await team();
    await other.add('grace@example.com');
  });

  test('bad input answers 422 naming each bad field; nothing is stored', async () => {
    const { call } = await team();
    const bad: Array<[unknown, string[]]> = [
      [{}, ['email', 'name']],
      [{ name: 'X', email: 'not-an-email' }, ['email']],
      [{ name: 'X', email: 'Ada <ada@example.com>' }, ['email']],
      [{ name: 'X', email: 'two@@example.com' }, ['email']],
      [{ name: 'X', email: 'ada@example' }, ['email']],
      [{ name: 'X', email: `${'a'.repeat(250)}@example.com` }, ['email']],
      [{ name: 'X', email: 42 }, ['email']],
      [{ name: '', email: 'a@example.com' }, ['name']],
      [{ name: '   ', email: 'a@example.com' }, ['name']],
      [{ name: 'x'.repeat(201), email: 'a@example.com' }, ['name']],
      [{ name: 'bell\u0007', email: 'a@example.com' }, ['name']],
      [{ name: 'X', email: 'a@example.com', role: 'superuser' }, ['role']],
      [{ name: 'X', email: 'a@example.com', role: 'Owner' }, ['role']],
      [{ name: 'X', email: 'a@example.com', password: 'secret' }, ['password']],
    ];
    for (const [body, fields] of bad) assertValidation(await call('POST', '/api/v1/members', body), fields);
    assert.deepEqual((await call('GET', '/api/v1/members')).body.data, []);
    const { body: member } = await call('POST', '/api/v1/members', { name: 'Ok', email: 'ok@example.com' });
    assertValidation(await call('PATCH', `/api/v1/members/${member.id}`, { email: 'new@example.com' }), ['email']);
    assertValidation(await call('PATCH', `/api/v1/members/${member.id}`, { role: 'god', name: '' }), ['name', 'role']);
    assertValidation(await call('GET', '/api/v1/members?role=king'), ['role']);
  });

  test('the only owner cannot be removed or demoted while other members remain', async () => {
    const { call, add } = await team();
    const owner = await add('owner@example.com', 'owner');
    const helper = await add('helper@example.com', 'member');
    for (const [method, body] of [['DELETE'], ['PATCH', { role: 'admin' }]] as const) {
      const refused = await call(method, `/api/v1/members/${owner.id}`, body);
      assert.equal(refused.status, 409, method);
      assert.match(refused.body.error.message, /last owner/);
    }
    assert.equal((await call('PATCH', `/api/v1/members/${owner.id}`, { name: 'Still owner' })).status, 200, 'renaming is fine');
    await call('PATCH', `/api/v1/members/${helper.id}`, { role: 'owner' });
    assert.equal((await call('PATCH', `/api/v1/members/${owner.id}`, { role: 'viewer' })).status, 200, 'another owner exists now');
    assert.equal((await call('DELETE', `/api/v1/members/${helper.id}`)).status, 409, 'helper is the only owner now');
    assert.equal((await call('DELETE', `/api/v1/members/${owner.id}`)).status, 200);
    assert.equal((await call('DELETE', `/api/v1/members/${helper.id}`)).status, 200, 'the last member may go');
  });

  test('team:read lists and reads; writing needs admin; other scopes get 403', async () => {
    const reader = await t.createKey(['team:read']);
    const writer = await t.createKey(['links:write', 'pages:write', 'webhooks:write']);
    const { body: member } = await t.api('POST', '/api/v1/members', { body: { name: 'Scoped', email: 'scoped@example.com', role: 'viewer' } });
    assert.equal((await t.api('GET', '/api/v1/members', { key: reader })).status, 200);
    assert.equal((await t.api('GET', `/api/v1/members/${member.id}`, { key: reader })).status, 200);
    for (const key of [reader, writer]) {
      assert.equal((await t.api('POST', '/api/v1/members', { key, body: { name: 'N', email: 'n@example.com' } })).status, 403);
      assert.equal((await t.api('PATCH', `/api/v1/members/${member.id}`, { key, body: { role: 'owner' } })).status, 403);
      assert.equal((await t.api('DELETE', `/api/v1/members/${member.id}`, { key })).status, 403);
    }
    const forbidden = await t.api('GET', '/api/v1/members', { key: writer });
    assert.equal(forbidden.status, 403);
    assert.match(forbidden.body.error.message, /team:read/);
    assert.equal((await t.api('GET', '/api/v1/members', { key: null })).status, 401);
    const testReader = await t.createKey(['team:read'], { mode: 'test' });
    assert.ok((await t.api('GET', '/api/v1/members?limit=100', { key: testReader })).body.data.some((m: { id: string }) => m.id === member.id), 'members are shared by both modes');
  });

  test('another workspace’s member answers 404 like one that never existed', async () => {
    const { body: member } = await t.api('POST', '/api/v1/members', { body: { name: 'Mine', email: 'mine@example.com' } });
    const other = await team();
    const never = `mem_${'0'.repeat(26)}`;
    for (const [method, body] of [['GET'], ['PATCH', { role: 'owner' }], ['DELETE']] as const) {
      const foreign = await other.call(method, `/api/v1/members/${member.id}`, body);
      const missing = await other.call(method, `/api/v1/members/${never}`, body);
      assert.equal(foreign.status, 404, method);
      assert.deepEqual(foreign.body, missing.body);
    }
    assert.deepEqual((await other.call('GET', '/api/v1/members')).body.data, []);
    assert.equal((await t.api('GET', `/api/v1/members/${member.id}`)).body.role, 'member', 'untouched');
  });

  test('the list pages with a cursor and filters by role and email', async () => {
    const { call, add } = await team();
    const ids = [];
    for (const [email, role] of [['a@x.example', 'owner'], ['b@x.example', 'viewer'], ['c@x.example', 'viewer'], ['d@x.example', 'admin']]) {
      ids.push((await add(email, role)).id);
    }
    const first = await call('GET', '/api/v1/members?limit=3');
    assert.equal(first.body.pagination.has_more, true);
    const second = await call('GET', `/api/v1/members?limit=3&cursor=${first.body.pagination.cursor}`);
    assert.deepEqual([...first.body.data, ...second.body.data].map((m: { id: string }) => m.id), ids);
    const viewers = await call('GET', '/api/v1/members?role=viewer&limit=1');
    assert.deepEqual(viewers.body.data.map((m: { email: string }) => m.email), ['b@x.example']);
    const next = await call('GET', `/api/v1/members?role=viewer&limit=1&cursor=${viewers.body.pagination.cursor}`);
    assert.deepEqual(next.body.data.map((m: { email: string }) => m.email), ['c@x.example']);
    assert.equal((await call('GET', `/api/v1/members?role=admin&cursor=${viewers.body.pagination.cursor}`)).status, 400, 'a cursor of other filters');
    assert.deepEqual((await call('GET', '/api/v1/members?email=D@X.example')).body.data.map((m: { id: string }) => m.id), [ids[3]]);
  });
});
