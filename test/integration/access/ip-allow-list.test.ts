import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestEngine, type TestEngine } from '../../support/engine';

const from = (address: string) => ({ 'x-forwarded-for': address });

describe('key IP allow-lists (seed 003: 403 "IP address does not allow access")', () => {
  let t: TestEngine;
  before(async () => {
    t = await startTestEngine({ trustProxy: 'loopback' });
  });
  after(() => t.stop());

  test('a key with allowed_ips works from those addresses and ranges, IPv4 and IPv6, and is refused from elsewhere', async () => {
    const created = await t.api('POST', '/api/v1/keys', {
      body: { name: 'office only', scopes: ['links:read'], allowed_ips: ['203.0.113.0/24', '2001:db8::/32', '10.1.2.3/8', '198.51.100.20', '::ffff:192.0.2.1'] },
    });
    assert.equal(created.status, 201, created.text);
    assert.deepEqual(created.body.allowed_ips, ['203.0.113.0/24', '2001:db8::/32', '10.0.0.0/8', '198.51.100.20', '192.0.2.1']);
    const key = created.body.key as string;

    for (const address of ['203.0.113.9', '2001:db8:5::1', '10.200.0.1', '198.51.100.20', '::ffff:203.0.113.77', '192.0.2.1']) {
      const allowed = await t.api('GET', '/api/v1/me', { key, headers: from(address) });
      assert.equal(allowed.status, 200, `${address}: ${allowed.text}`);
    }
    for (const address of ['198.51.100.21', '2001:db9::1', '11.0.0.1', '127.0.0.1']) {
      const refused = await t.api('GET', '/api/v1/links', { key, headers: from(address) });
      assert.equal(refused.status, 403, `${address}: ${refused.text}`);
      assert.equal(refused.body.error.code, 'forbidden');
      assert.match(refused.body.error.message, /allowed addresses \(allowed_ips\)/);
      assert.ok(refused.body.error.message.includes(address), `the message names the address: ${refused.body.error.message}`);
    }
  });

  test('a refused request does not use up the key’s own rate limit', async () => {
    const created = await t.api('POST', '/api/v1/keys', { body: { name: 'limited', scopes: ['links:read'], allowed_ips: ['203.0.113.5'] } });
    const key = created.body.key as string;
    const first = await t.api('GET', '/api/v1/me', { key, headers: from('203.0.113.5') });
    const remaining = Number(first.headers.get('x-ratelimit-remaining'));
    const refused = await t.api('GET', '/api/v1/me', { key, headers: from('198.51.100.99') });
    assert.equal(refused.status, 403);
    assert.match(refused.headers.get('ratelimit-policy') ?? '', /failed-auth/);
    const next = await t.api('GET', '/api/v1/me', { key, headers: from('203.0.113.5') });
    assert.equal(Number(next.headers.get('x-ratelimit-remaining')), remaining - 1);
  });

  test('a bad entry is a 422 naming it, on create and on update, and nothing is stored', async () => {
    const bad = await t.api('POST', '/api/v1/keys', {
      body: { name: 'bad', scopes: ['links:read'], allowed_ips: ['10.0.0.0/33', '192.0.2.1', 'office', '2001:db8::/129', '10.1'] },
    });
    assert.equal(bad.status, 422, bad.text);
    const fields = Object.fromEntries(bad.body.error.details.map((d: { field: string; message: string }) => [d.field, d.message]));
    assert.match(fields['allowed_ips.0'], /"10\.0\.0\.0\/33" is not a valid CIDR range: an IPv4 prefix is 0 to 32 bits/);
    assert.equal(fields['allowed_ips.1'], undefined);
    assert.match(fields['allowed_ips.2'], /"office" is not an IP address or CIDR range/);
    assert.match(fields['allowed_ips.3'], /"2001:db8::\/129" is not a valid CIDR range: an IPv6 prefix is 0 to 128 bits/);
    assert.match(fields['allowed_ips.4'], /"10\.1" is not an IP address/);
    const notText = await t.api('POST', '/api/v1/keys', { body: { name: 'bad', scopes: ['links:read'], allowed_ips: [7] } });
    assert.equal(notText.status, 422);
    assert.equal(notText.body.error.details[0].field, 'allowed_ips.0');
    assert.equal(await t.parts.db('api_keys').where({ name: 'bad' }).first(), undefined);

    const created = await t.api('POST', '/api/v1/keys', { body: { name: 'to patch', scopes: ['links:read'] } });
    const patch = await t.api('PATCH', `/api/v1/keys/${created.body.id}`, { body: { allowed_ips: ['10.0.0.0/33'] } });
    assert.equal(patch.status, 422);
    assert.equal(patch.body.error.details[0].field, 'allowed_ips.0');
    assert.equal((await t.api('GET', '/api/v1/me', { key: created.body.key, headers: from('198.51.100.1') })).status, 200, 'still unrestricted');
  });

  test('changes are audited, null or [] lifts the restriction, and rotation keeps the list', async () => {
    const created = await t.api('POST', '/api/v1/keys', { body: { name: 'audited', scopes: ['links:read'] } });
    assert.equal(created.body.allowed_ips, null);
    const set = await t.api('PATCH', `/api/v1/keys/${created.body.id}`, { body: { allowed_ips: ['203.0.113.0/24'] } });
    assert.equal(set.status, 200, set.text);
    assert.deepEqual(set.body.allowed_ips, ['203.0.113.0/24']);
    assert.equal((await t.api('GET', '/api/v1/me', { key: created.body.key, headers: from('198.51.100.1') })).status, 403);

    const rotated = await t.api('POST', `/api/v1/keys/${created.body.id}/rotate`, { body: {} });
    assert.deepEqual(rotated.body.allowed_ips, ['203.0.113.0/24']);
    assert.equal((await t.api('GET', '/api/v1/me', { key: rotated.body.key, headers: from('198.51.100.1') })).status, 403);
    assert.equal((await t.api('GET', '/api/v1/me', { key: rotated.body.key, headers: from('203.0.113.1') })).status, 200);

    const cleared = await t.api('PATCH', `/api/v1/keys/${rotated.body.id}`, { body: { allowed_ips: [] } });
    assert.equal(cleared.body.allowed_ips, null);
    assert.equal((await t.api('GET', '/api/v1/me', { key: rotated.body.key, headers: from('198.51.100.1') })).status, 200);

    const audit = await t.api('GET', `/api/v1/audit-logs?action=key.updated&resource_id=${created.body.id}`);
    assert.deepEqual(audit.body.data[0].changes.allowed_ips, { before: null, after: ['203.0.113.0/24'] });
    const clearedAudit = await t.api('GET', `/api/v1/audit-logs?action=key.updated&resource_id=${rotated.body.id}`);
    assert.deepEqual(clearedAudit.body.data[0].changes.allowed_ips, { before: ['203.0.113.0/24'], after: null });
  });

  test('test-mode keys carry their own lists', async () => {
    const testAdmin = await t.createKey(['admin'], { mode: 'test' });
    const created = await t.api('POST', '/api/v1/keys', { key: testAdmin, body: { name: 'test only', scopes: ['links:read'], allowed_ips: ['2001:db8::7'] } });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.mode, 'test');
    assert.equal((await t.api('GET', '/api/v1/me', { key: created.body.key, headers: from('2001:db8::7') })).status, 200);
    assert.equal((await t.api('GET', '/api/v1/me', { key: created.body.key, headers: from('2001:db8::8') })).status, 403);
  });
});

describe('key IP allow-lists without TRUST_PROXY', () => {
  let t: TestEngine;
  before(async () => {
    t = await startTestEngine();
  });
  after(() => t.stop());

  test('X-Forwarded-For is not believed: the socket address decides', async () => {
    const office = await t.api('POST', '/api/v1/keys', { body: { name: 'office', scopes: ['links:read'], allowed_ips: ['203.0.113.0/24'] } });
    const spoofed = await t.api('GET', '/api/v1/me', { key: office.body.key, headers: from('203.0.113.9') });
    assert.equal(spoofed.status, 403);
    assert.match(spoofed.body.error.message, /came from 127\.0\.0\.1/);
    const local = await t.api('POST', '/api/v1/keys', { body: { name: 'local', scopes: ['links:read'], allowed_ips: ['127.0.0.0/8'] } });
    assert.equal((await t.api('GET', '/api/v1/me', { key: local.body.key, headers: from('203.0.113.9') })).status, 200);
  });
});
