import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testDialect } from '../../support/databases';
import { startTestEngine, TEST_DOMAIN, type TestEngine } from '../../support/engine';
import { assertValidation } from '../../support/links';

const DOMAIN_FIELDS = ['created_at', 'hostname', 'id', 'is_default', 'secure'];

describe('Custom domains API', () => {
  let t: TestEngine;
  before(async () => {
    t = await startTestEngine();
  });
  after(() => t.stop());

  const db = () => t.parts.db;
  const addDomain = async (hostname: string, extra: Record<string, unknown> = {}, key?: string) => {
    const response = await t.api('POST', '/api/v1/domains', { key, body: { hostname, ...extra } });
    assert.equal(response.status, 201, response.text);
    return response.body;
  };

  test('add, get, list and delete a domain; each change is audited', async () => {
    const created = await addDomain('go.acme.example');
    assert.deepEqual(Object.keys(created).sort(), DOMAIN_FIELDS);
    assert.match(created.id, /^dom_[0-9a-z]{26}$/);
    assert.equal(created.hostname, 'go.acme.example');
    assert.equal(created.is_default, false);
    assert.equal(created.secure, true);
    assert.match(created.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    assert.deepEqual((await t.api('GET', `/api/v1/domains/${created.id}`)).body, created);
    const list = await t.api('GET', '/api/v1/domains');
    assert.equal(list.status, 200);
    assert.ok(list.body.data.some((d: { id: string }) => d.id === created.id));
    assert.ok(!list.body.data.some((d: { hostname: string }) => d.hostname === TEST_DOMAIN), 'the instance domain is no row');

    const deleted = await t.api('DELETE', `/api/v1/domains/${created.id}`);
    assert.deepEqual(deleted.body, { deleted: true, id: created.id });
    assert.equal((await t.api('GET', `/api/v1/domains/${created.id}`)).status, 404);
    assert.equal((await t.api('DELETE', `/api/v1/domains/${created.id}`)).status, 404);
    const audits = await db()('audit_logs').where({ resource_id: created.id }).orderBy('id');
    assert.deepEqual(audits.map((a) => a.action), ['domain.created', 'domain.deleted']);
    assert.equal(audits[0].actor_type, 'api_key');
  });

  test('host names are canonical: lower case, punycode for IDN, no trailing dot; dev hosts may carry a port', async () => {
    assert.equal((await addDomain('  Links.Shop.EXAMPLE.  ')).hostname, 'links.shop.example');
    assert.equal((await addDomain('bücher.example')).hostname, 'xn--bcher-kva.example');
    const dev = await addDomain('app.localhost:8080');
    assert.equal(dev.hostname, 'app.localhost:8080');
    assert.equal(dev.secure, false, 'development hosts default to http');
    assert.equal((await addDomain('plain.example', { secure: false })).secure, false);
    const conflict = await t.api('POST', '/api/v1/domains', { body: { hostname: 'BÜCHER.example' } });
    assert.equal(conflict.status, 409, 'the Unicode and punycode forms are one name');
  });

  test('bad host names answer 422 naming the field; nothing is stored', async () => {
    const before = Number((await db()('domains').count({ n: '*' }))[0].n);
    const bad: unknown[] = [
      '',
      '   ',
      'https://go.example.com',
      'go.example.com/path',
      'go.example.com?x=1',
      'go.example.com:8080',
      'go.example.com:',
      '192.168.1.10',
      '127.0.0.1:3000',
      '[::1]',
      '2001:db8::1',
      'localhost:0',
      'localhost:70000',
      'com',
      'intranet',
      'under_score.example',
      '-lead.example',
      'trail-.example',
      'double..dot.example',
      '*.wild.example',
      'sp ace.example',
      'tab\t.example',
      'nul\u0000.example',
      `${'a'.repeat(64)}.example`,
      `${Array.from({ length: 60 }, () => 'abcd').join('.')}.example`,
      'user@host.example',
      'xn--zz.example',
      'a'.repeat(2000),
      42,
      null,
      ['go.example.com'],
    ];
    for (const hostname of bad) {
      const response = await t.api('POST', '/api/v1/domains', { body: { hostname } });
      assertValidation(response, ['hostname']);
    }
    assertValidation(await t.api('POST', '/api/v1/domains', { body: {} }), ['hostname']);
    assertValidation(await t.api('POST', '/api/v1/domains', { body: { hostname: 'ok.example', verified: true } }), ['verified']);
    assertValidation(await t.api('POST', '/api/v1/domains', { body: { hostname: 'ok.example', is_default: 'yes', secure: 1 } }), ['is_default', 'secure']);
    assert.equal(Number((await db()('domains').count({ n: '*' }))[0].n), before);
  });

  test('a host name belongs to one workspace; the instance domain cannot be added', async () => {
    await addDomain('taken.example');
    const other = await t.createWorkspace('Rival');
    const stolen = await t.api('POST', '/api/v1/domains', { key: other.adminKey, body: { hostname: 'TAKEN.example' } });
    assert.equal(stolen.status, 409);
    assert.equal(stolen.body.error.code, 'conflict');
    assert.match(stolen.body.error.message, /another workspace/);
    const again = await t.api('POST', '/api/v1/domains', { body: { hostname: 'taken.example' } });
    assert.equal(again.status, 409);
    assert.match(again.body.error.message, /already a domain of this workspace/);
    const instance = await t.api('POST', '/api/v1/domains', { key: other.adminKey, body: { hostname: TEST_DOMAIN } });
    assert.equal(instance.status, 409);
    assert.match(instance.body.error.message, /shared domain/);
  });

  test('another workspace’s domain answers 404 like one that never existed, and is not listed', async () => {
    const mine = await addDomain('private.example');
    const other = await t.createWorkspace('Intruder');
    const never = `dom_${'0'.repeat(26)}`;
    for (const [method, body] of [['GET'], ['PATCH', { is_default: true }], ['DELETE']] as const) {
      const foreign = await t.api(method, `/api/v1/domains/${mine.id}`, { key: other.adminKey, body });
      const missing = await t.api(method, `/api/v1/domains/${never}`, { key: other.adminKey, body });
      assert.equal(foreign.status, 404, method);
      assert.deepEqual(foreign.body, missing.body);
    }
    assert.equal((await t.api('GET', '/api/v1/domains/not-an-id')).status, 404);
    assert.deepEqual((await t.api('GET', '/api/v1/domains', { key: other.adminKey })).body.data, []);
    assert.equal((await t.api('GET', `/api/v1/domains/${mine.id}`)).status, 200, 'still there');
    const link = await t.api('POST', '/api/v1/links', { key: other.adminKey, body: { url: 'https://example.com/', domain: 'private.example' } });
    assertValidation(link, ['domain']);
  });

  test('domains need an admin key; test keys read the same domains as live ones', async () => {
    for (const scopes of [['links:write'], ['team:read'], ['links:read', 'links:write', 'pages:write', 'webhooks:write']] as const) {
      const key = await t.createKey([...scopes]);
      assert.equal((await t.api('GET', '/api/v1/domains', { key })).status, 403);
      assert.equal((await t.api('POST', '/api/v1/domains', { key, body: { hostname: 'nope.example' } })).status, 403);
    }
    const testAdmin = await t.createKey(['admin'], { mode: 'test' });
    const created = await addDomain('both-modes.example');
    assert.ok((await t.api('GET', '/api/v1/domains?limit=100', { key: testAdmin })).body.data.some((d: { id: string }) => d.id === created.id));
  });

  test('one default domain: new links without a domain use it; deleting it falls back to the instance domain', async () => {
    const { workspace, adminKey } = await t.createWorkspace('Defaults');
    const call = (method: string, path: string, body?: unknown) => t.api(method, path, { key: adminKey, body });
    const first = (await call('POST', '/api/v1/domains', { hostname: 'first.example', is_default: true })).body;
    assert.equal(first.is_default, true);
    assert.equal((await call('GET', '/api/v1/me')).body.workspace.default_domain, 'first.example');
    const onFirst = await call('POST', '/api/v1/links', { url: 'https://example.com/a' });
    assert.equal(onFirst.body.domain, 'first.example');
    assert.match(onFirst.body.short_url, /^https:\/\/first\.example\//);

    const second = (await call('POST', '/api/v1/domains', { hostname: 'second.example', secure: false })).body;
    const promoted = await call('PATCH', `/api/v1/domains/${second.id}`, { is_default: true });
    assert.equal(promoted.status, 200, promoted.text);
    assert.equal(promoted.body.is_default, true);
    assert.equal((await call('GET', `/api/v1/domains/${first.id}`)).body.is_default, false, 'only one default');
    const onSecond = await call('POST', '/api/v1/links', { url: 'https://example.com/b' });
    assert.match(onSecond.body.short_url, /^http:\/\/second\.example\//, 'secure: false gives http short URLs');
    const rows = await db()('domains').where({ workspace_id: workspace.id, is_default: true });
    assert.deepEqual(rows.map((r) => r.hostname), ['second.example']);

    const demoted = await call('PATCH', `/api/v1/domains/${second.id}`, { is_default: false });
    assert.equal(demoted.body.is_default, false);
    assert.equal((await call('GET', '/api/v1/me')).body.workspace.default_domain, TEST_DOMAIN);
    await call('PATCH', `/api/v1/domains/${second.id}`, { is_default: true });
    await call('DELETE', `/api/v1/links/${onSecond.body.id}`);
    assert.equal((await call('DELETE', `/api/v1/domains/${second.id}`)).status, 200);
    assert.equal((await call('GET', '/api/v1/me')).body.workspace.default_domain, TEST_DOMAIN);
    assert.equal((await call('POST', '/api/v1/links', { url: 'https://example.com/c' })).body.domain, TEST_DOMAIN);

    const unchanged = await db()('audit_logs').where({ resource_id: first.id }).count({ n: '*' });
    await call('PATCH', `/api/v1/domains/${first.id}`, { is_default: false });
    assert.deepEqual(await db()('audit_logs').where({ resource_id: first.id }).count({ n: '*' }), unchanged, 'a no-op patch is not audited');
    assertValidation(await call('PATCH', `/api/v1/domains/${first.id}`, { hostname: 'renamed.example' }), ['hostname']);
  });

  test('a domain that links of either mode still use cannot be deleted (409) until they are gone', async () => {
    const domain = await addDomain('busy.example');
    const testKey = await t.createKey(['links:write'], { mode: 'test' });
    const live = await t.api('POST', '/api/v1/links', { body: { url: 'https://example.com/live', domain: 'busy.example' } });
    const testLink = await t.api('POST', '/api/v1/links', { key: testKey, body: { url: 'https://example.com/test', domain: 'Busy.Example.' } });
    assert.equal(testLink.body.domain, 'busy.example', 'a link’s domain is canonicalised too');
    const refused = await t.api('DELETE', `/api/v1/domains/${domain.id}`);
    assert.equal(refused.status, 409);
    assert.match(refused.body.error.message, /2 links/);
    assert.equal((await t.api('GET', `/api/v1/domains/${domain.id}`)).status, 200, 'nothing deleted');
    await t.api('DELETE', `/api/v1/links/${live.body.id}`);
    assert.match((await t.api('DELETE', `/api/v1/domains/${domain.id}`)).body.error.message, /1 links/);
    await t.api('DELETE', `/api/v1/links/${testLink.body.id}`, { key: testKey });
    assert.equal((await t.api('DELETE', `/api/v1/domains/${domain.id}`)).status, 200);
  });

  test('a link on an IDN domain is stored and shown in punycode', async () => {
    await addDomain('münchen.example');
    const link = await t.api('POST', '/api/v1/links', { body: { url: 'https://example.com/', domain: 'MÜNCHEN.example', slug: 'idn-link' } });
    assert.equal(link.status, 201, link.text);
    assert.equal(link.body.short_url, 'https://xn--mnchen-3ya.example/idn-link');
    const filtered = await t.api('GET', `/api/v1/links?domain=${encodeURIComponent('münchen.example')}`);
    assert.deepEqual(filtered.body.data.map((l: { id: string }) => l.id), [link.body.id]);
  });

  test('a domain deleted while a link is being created on it refuses the link', async () => {
    const domain = await addDomain('vanishing.example');
    const trx = await db().transaction();
    await trx('domains').where({ id: domain.id }).del();
    // Postgres: the request passes the first check, then waits on the row lock inside its transaction. SQLite: it
    // waits for the one connection, then finds the domain gone.
    const pending = t.api('POST', '/api/v1/links', { body: { url: 'https://example.com/', domain: 'vanishing.example' } });
    await new Promise((resolve) => setTimeout(resolve, testDialect() === 'postgres' ? 300 : 50));
    await trx.commit();
    assertValidation(await pending, ['domain']);
    assert.equal(Number((await db()('links').where({ domain: 'vanishing.example' }).count({ n: '*' }))[0].n), 0);
  });

  test('the list pages with a cursor, oldest first', async () => {
    const { adminKey } = await t.createWorkspace('Many domains');
    const made = [];
    for (const name of ['p1', 'p2', 'p3']) made.push((await t.api('POST', '/api/v1/domains', { key: adminKey, body: { hostname: `${name}.pages.example` } })).body.id);
    const first = await t.api('GET', '/api/v1/domains?limit=2', { key: adminKey });
    assert.equal(first.body.pagination.has_more, true);
    const second = await t.api('GET', `/api/v1/domains?limit=2&cursor=${first.body.pagination.cursor}`, { key: adminKey });
    assert.deepEqual([...first.body.data, ...second.body.data].map((d: { id: string }) => d.id), made);
    assert.deepEqual(second.body.pagination, { has_more: false, cursor: null });
    assert.equal((await t.api('GET', `/api/v1/domains?cursor=${first.body.pagination.cursor}`)).status, 400, 'a cursor of another workspace');
    assertValidation(await t.api('GET', '/api/v1/domains?limit=0', { key: adminKey }), ['limit']);
    assertValidation(await t.api('GET', '/api/v1/domains?sort=hostname', { key: adminKey }), ['sort']);
  });
});
