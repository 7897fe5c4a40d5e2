import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestEngine, TEST_DOMAIN, type TestEngine } from '../../support/engine';

let addresses = 0;
/** A client address of its own (the engine trusts X-Forwarded-For from loopback), so tests never share guest limits. */
const newClient = () => ({ 'x-forwarded-for': `198.51.100.${++addresses}` });

const guest = (t: TestEngine, body: unknown, headers: Record<string, string> = newClient()) =>
  t.api('POST', '/api/v1/links/guest', { key: null, body, headers });

const visit = (t: TestEngine, slug: string) => fetch(`${t.baseUrl}/${slug}`, { headers: { host: TEST_DOMAIN }, redirect: 'manual' });

describe('guest links (seed 003 POST /api/links/guest)', () => {
  let t: TestEngine;
  before(async () => {
    t = await startTestEngine({
      guestLinks: true,
      trustProxy: 'loopback',
      guestLinksPerHour: 5,
      guestLinkLifetime: '1h',
      guestDeniedHosts: 'evil.example, *.bad.example',
    });
  });
  after(() => t.stop());

  test('no key: an alias, a 201 link with its id, an expiry within the lifetime, and a working redirect', async () => {
    const before = Date.now();
    const created = await guest(t, { url: 'https://example.com/article', slug: 'read-this' });
    assert.equal(created.status, 201, created.text);
    assert.match(created.body.id, /^lnk_/);
    assert.equal(created.body.slug, 'read-this');
    assert.equal(created.body.short_url, `https://${TEST_DOMAIN}/read-this`);
    const expires = Date.parse(created.body.expires_at);
    assert.ok(expires >= before + 3_600_000 - 1000 && expires <= Date.now() + 3_600_000, created.body.expires_at);
    assert.match(created.headers.get('ratelimit-policy') ?? '', /^"guest-links";q=5;w=3600$/);
    assert.equal(created.headers.get('x-ratelimit-remaining'), '4');

    const redirect = await visit(t, 'read-this');
    assert.equal(redirect.status, 302);
    assert.equal(redirect.headers.get('location'), 'https://example.com/article');
  });

  test('they live in the guest workspace, whose admins see them; other workspaces do not', async () => {
    const created = await guest(t, { url: 'https://example.com/admins-see-this' });
    assert.equal(created.status, 201, created.text);
    assert.equal((await t.api('GET', `/api/v1/links/${created.body.id}`)).status, 404, 'not in the test workspace');

    const workspaceId = await t.parts.guestWorkspace.id();
    assert.notEqual(workspaceId, t.workspace.id);
    assert.equal((await t.parts.workspaces.find(workspaceId))?.name, 'Guest links');
    const admin = await t.createKey(['admin'], { workspaceId });
    const seen = await t.api('GET', `/api/v1/links/${created.body.id}`, { key: admin });
    assert.equal(seen.status, 200, seen.text);
    const audit = await t.api('GET', `/api/v1/audit-logs?action=link.created&resource_id=${created.body.id}`, { key: admin });
    assert.equal(audit.body.data[0].actor_type, 'system');
    assert.equal(audit.body.data[0].request_id, created.headers.get('x-request-id'));
    const testKey = await t.createKey(['admin'], { workspaceId, mode: 'test' });
    assert.equal((await t.api('GET', `/api/v1/links/${created.body.id}`, { key: testKey })).status, 404, 'guest links are live links');
  });

  test('a password and an earlier expiry are kept; a later one is a 422', async () => {
    const soon = new Date(Date.now() + 600_000).toISOString();
    const created = await guest(t, { url: 'https://example.com/secret', password: 'open sesame', expires_at: soon });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.password_protected, true);
    assert.equal(Date.parse(created.body.expires_at), Math.floor(Date.parse(soon) / 1000) * 1000, 'the earlier expiry is kept');
    const gate = await visit(t, created.body.slug);
    assert.equal(gate.status, 200);
    assert.ok((await gate.text()).includes(created.body.id), 'the password page names the link id');

    const late = await guest(t, { url: 'https://example.com/late', expires_at: new Date(Date.now() + 2 * 3_600_000).toISOString() });
    assert.equal(late.status, 422);
    assert.equal(late.body.error.details[0].field, 'expires_at');
    assert.match(late.body.error.details[0].message, /at most 1h from now/);
    const past = await guest(t, { url: 'https://example.com/past', expires_at: '2020-01-01T00:00:00Z' });
    assert.equal(past.status, 422);
  });

  test('destinations at private, loopback, link-local, metadata or intranet addresses, on the deny-list or on this instance are refused', async () => {
    const refused = [
      'https://10.0.0.1/admin',
      'https://192.168.1.1/',
      'https://127.0.0.1:8080/',
      'https://2130706433/',
      'https://[::1]/',
      'https://[fd00::1]/',
      'https://[::ffff:10.0.0.1]/',
      'https://169.254.169.254/latest/meta-data/',
      'https://metadata.google.internal/',
      'https://localhost/',
      'https://printer.local/',
      'https://intranet/',
      'https://evil.example/phish',
      'https://login.evil.example/',
      'https://x.bad.example/',
      `https://${TEST_DOMAIN}/abcd`,
    ];
    for (const url of refused) {
      const answer = await guest(t, { url });
      assert.equal(answer.status, 422, `${url}: ${answer.text}`);
      assert.equal(answer.body.error.code, 'validation_error');
      assert.equal(answer.body.error.details[0].field, 'url', url);
    }
    assert.equal((await guest(t, { url: 'https://notevil.example/' })).status, 201, 'only the listed host and names under it');
    assert.equal(await t.parts.db('links').where('url', 'like', '%10.0.0.1%').first(), undefined);
  });

  test('reserved slugs, key-only fields and malformed input are refused with 422 or 400', async () => {
    for (const slug of ['api', 'healthz', 'Login', 'ADMIN', 'support', 'robots.txt', 'ab', 'has space']) {
      const answer = await guest(t, { url: 'https://example.com/', slug });
      assert.equal(answer.status, 422, `${slug}: ${answer.text}`);
      assert.equal(answer.body.error.details[0].field, 'slug');
    }
    const taken = await guest(t, { url: 'https://example.com/', slug: 'read-this' });
    assert.equal(taken.status, 409, 'a slug in use is a conflict');
    const extra = await guest(t, { url: 'https://example.com/', domain: 'go.other.test', tags: ['x'] });
    assert.equal(extra.status, 422);
    assert.deepEqual(extra.body.error.details.map((d: { field: string }) => d.field).sort(), ['domain', 'tags']);
    const script = await guest(t, { url: 'javascript:alert(1)' });
    assert.equal(script.status, 422);
    const broken = await t.api('POST', '/api/v1/links/guest', { key: null, headers: { ...newClient(), 'content-type': 'application/json' }, rawBody: '{"url":' });
    assert.equal(broken.status, 400);
  });

  test('each address has its own hourly allowance; a password link costs two units', async () => {
    const client = newClient();
    const statuses = [];
    statuses.push((await guest(t, { url: 'https://example.com/1', password: 'pass1234' }, client)).status);
    for (let i = 2; i <= 4; i++) statuses.push((await guest(t, { url: `https://example.com/${i}` }, client)).status);
    assert.deepEqual(statuses, [201, 201, 201, 201], 'five units spent');
    const over = await guest(t, { url: 'https://example.com/5' }, client);
    assert.equal(over.status, 429);
    assert.equal(over.body.error.code, 'rate_limit_exceeded');
    assert.ok(Number(over.headers.get('retry-after')) > 0);
    assert.match(over.headers.get('ratelimit-policy') ?? '', /guest-links/);
    assert.equal((await guest(t, { url: 'https://example.com/elsewhere' })).status, 201, 'another address is not affected');

    const second = newClient();
    for (let i = 0; i < 4; i++) assert.equal((await guest(t, { url: `https://example.com/b${i}` }, second)).status, 201);
    assert.equal((await guest(t, { url: 'https://example.com/b-pw', password: 'pass1234' }, second)).status, 429, 'one unit left: not enough for a password link');
    assert.equal((await guest(t, { url: 'https://example.com/b-last' }, second)).status, 201, 'but enough for a plain one');
  });
});

describe('guest links switched off (the default)', () => {
  let t: TestEngine;
  before(async () => {
    t = await startTestEngine();
  });
  after(() => t.stop());

  test('the endpoint answers 403 and creates nothing', async () => {
    const answer = await guest(t, { url: 'https://example.com/' });
    assert.equal(answer.status, 403);
    assert.equal(answer.body.error.code, 'forbidden');
    assert.match(answer.body.error.message, /turned off/);
    assert.equal((await t.parts.db('links').count({ n: '*' }))[0].n, 0);
    assert.equal(await t.parts.guestWorkspace.id().then(() => 'made').catch(() => 'none'), 'made', 'the workspace resolves on demand');
  });
});
