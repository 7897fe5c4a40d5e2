import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../../engine/config';
import { TargetGuard, type ResolvedAddress } from '../../../engine/webhooks/target-guard';
import { classifyAddress, parseTargetPolicy, PolicyError, refusal } from '../../../engine/support/address-policy';
import { startTestEngine, type TestEngine } from '../../support/engine';
import { startReceiver, until, type Receiver } from '../../support/webhook-receiver';

// Every address form the guard must see through, and what it is.
const MATRIX: Array<[string, ReturnType<typeof classifyAddress>]> = [
  ['8.8.8.8', 'external'],
  ['93.184.216.34', 'external'],
  ['2606:4700:4700::1111', 'external'],
  ['127.0.0.1', 'loopback'],
  ['127.45.6.7', 'loopback'],
  ['::1', 'loopback'],
  ['0.0.0.0', 'loopback'],
  ['::', 'loopback'],
  ['10.1.2.3', 'private'],
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private'],
  ['192.168.1.1', 'private'],
  ['100.64.0.1', 'private'],
  ['100.127.255.254', 'private'],
  ['fc00::1', 'private'],
  ['fd12:3456::1', 'private'],
  ['169.254.1.1', 'link-local'],
  ['fe80::1', 'link-local'],
  ['169.254.169.254', 'metadata'],
  ['169.254.170.2', 'metadata'],
  ['100.100.100.200', 'metadata'],
  ['fd00:ec2::254', 'metadata'],
  ['::ffff:127.0.0.1', 'loopback'],
  ['::ffff:7f00:1', 'loopback'],
  ['::ffff:10.0.0.1', 'private'],
  ['::ffff:169.254.169.254', 'metadata'],
  ['::127.0.0.1', 'loopback'],
  ['64:ff9b::7f00:1', 'loopback'],
  ['64:ff9b::a9fe:a9fe', 'metadata'],
  ['64:ff9b:1::a00:1', 'private'],
  ['64:ff9b::808:808', 'external'],
  ['2002:7f00:1::1', 'loopback'],
  ['2002:a9fe:a9fe::1', 'metadata'],
  ['2002:c0a8:101::1', 'private'],
  ['::ffff:0:7f00:1', 'loopback'],
  ['2001::1', 'special'],
  ['2001:db8::1', 'special'],
  ['224.0.0.1', 'special'],
  ['255.255.255.255', 'special'],
  ['192.0.2.1', 'special'],
  ['198.18.0.1', 'special'],
  ['240.0.0.1', 'special'],
  ['ff02::1', 'special'],
];

describe('SSRF policy', () => {
  for (const [ip, expected] of MATRIX) {
    test(`${ip} is ${expected}`, () => {
      assert.equal(classifyAddress(ip), expected);
    });
  }

  test('the default (external) allows public addresses only', () => {
    const policy = parseTargetPolicy('external');
    for (const [ip, kind] of MATRIX) {
      assert.equal(refusal(policy, 'hooks.example.com', ip) === null, kind === 'external', `${ip} (${kind})`);
    }
  });

  test('loopback, private, CIDRs and host names allow exactly what they name; metadata never passes', () => {
    const loopback = parseTargetPolicy('loopback');
    assert.equal(refusal(loopback, 'x', '127.0.0.1'), null);
    assert.equal(refusal(loopback, 'x', '::ffff:127.0.0.1'), null);
    assert.notEqual(refusal(loopback, 'x', '8.8.8.8'), null, 'a list without external refuses public addresses');
    assert.notEqual(refusal(loopback, 'x', '10.0.0.1'), null);

    const internal = parseTargetPolicy('external, private');
    assert.equal(refusal(internal, 'x', '10.0.0.1'), null);
    assert.equal(refusal(internal, 'x', 'fd00::5'), null);
    assert.equal(refusal(internal, 'x', '100.64.1.1'), null);
    assert.notEqual(refusal(internal, 'x', '127.0.0.1'), null);
    assert.notEqual(refusal(internal, 'x', '169.254.10.10'), null, 'link-local is not private');

    const cidr = parseTargetPolicy('external,10.1.0.0/16,fd00:abcd::/32,192.168.5.5');
    assert.equal(refusal(cidr, 'x', '10.1.200.3'), null);
    assert.equal(refusal(cidr, 'x', '::ffff:10.1.0.9'), null, 'mapped forms match IPv4 ranges');
    assert.notEqual(refusal(cidr, 'x', '10.2.0.1'), null);
    assert.equal(refusal(cidr, 'x', 'fd00:abcd::1'), null);
    assert.equal(refusal(cidr, 'x', '192.168.5.5'), null);
    assert.notEqual(refusal(cidr, 'x', '192.168.5.6'), null);

    const names = parseTargetPolicy('hooks.internal,*.corp.test');
    assert.equal(refusal(names, 'hooks.internal', '10.0.0.5'), null);
    assert.equal(refusal(names, 'a.b.corp.test', '192.168.0.9'), null);
    assert.notEqual(refusal(names, 'corp.test.evil', '192.168.0.9'), null);
    assert.notEqual(refusal(names, 'other.internal', '10.0.0.5'), null);

    for (const policy of [parseTargetPolicy('*'), parseTargetPolicy('169.254.0.0/16'), parseTargetPolicy('hooks.internal')]) {
      assert.match(refusal(policy, 'hooks.internal', '169.254.169.254') ?? '', /metadata/);
      assert.match(refusal(policy, 'hooks.internal', '64:ff9b::a9fe:a9fe') ?? '', /metadata/);
      assert.match(refusal(policy, 'metadata.google.internal', '8.8.8.8') ?? '', /metadata/);
    }
    assert.equal(refusal(parseTargetPolicy('*'), 'x', '169.254.1.1'), null, '* allows all but metadata');
  });

  test('an unreadable WEBHOOK_ALLOWED_HOSTS stops start-up with a line naming it', () => {
    for (const value of ['bogus!', '10.0.0.0/99', ' , ', 'exter nal?']) {
      assert.throws(() => parseTargetPolicy(value), PolicyError, value);
      assert.throws(() => loadConfig({}, { WEBHOOK_ALLOWED_HOSTS: value }), (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, /^Invalid configuration: WEBHOOK_ALLOWED_HOSTS must list/);
        return true;
      });
    }
  });
});

describe('SSRF guard', () => {
  const resolveTo = (...addresses: string[]) => async (): Promise<ResolvedAddress[]> =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  const lookup = (guard: TargetGuard, options: { all?: boolean } = {}) =>
    new Promise<{ error: NodeJS.ErrnoException | null; address: unknown }>((resolve) =>
      guard.lookup('hooks.example.com', { all: options.all }, (error, address) => resolve({ error, address })),
    );

  test('at connect time only allowed addresses are handed to the socket; none allowed is an error', async () => {
    const policy = parseTargetPolicy('external');
    const mixed = new TargetGuard(policy, resolveTo('10.0.0.1', '93.184.216.34', '::1'));
    assert.deepEqual(await lookup(mixed), { error: null, address: '93.184.216.34' });
    assert.deepEqual((await lookup(mixed, { all: true })).address, [{ address: '93.184.216.34', family: 4 }]);
    const rebound = await lookup(new TargetGuard(policy, resolveTo('127.0.0.1')));
    assert.equal(rebound.error?.code, 'ETARGETREFUSED');
    assert.match(rebound.error?.message ?? '', /hooks\.example\.com resolves to a refused address \(127\.0\.0\.1 is a loopback address/);
  });

  test('URLs in literal and disguised IPv4 forms are refused before any request', async () => {
    const guard = new TargetGuard(parseTargetPolicy('external'), resolveTo('93.184.216.34'));
    for (const url of ['http://127.0.0.1/', 'http://2130706433/', 'http://0x7f.1/', 'http://127.1/', 'http://[::ffff:127.0.0.1]/', 'http://[::1]:8080/', 'http://169.254.169.254/latest/meta-data/', 'http://metadata.google.internal/']) {
      assert.notEqual(guard.literalRefusal(new URL(url)), null, url);
      assert.notEqual(await guard.registrationRefusal(new URL(url)), null, url);
    }
    assert.equal(await guard.registrationRefusal(new URL('https://hooks.example.com/x')), null);
    assert.match((await new TargetGuard(parseTargetPolicy('external'), resolveTo('93.184.216.34', '10.0.0.1')).registrationRefusal(new URL('https://hooks.example.com/'))) ?? '', /10\.0\.0\.1 is a private address/);
    const unresolvable = new TargetGuard(parseTargetPolicy('external'), async () => Promise.reject(Object.assign(new Error('nx'), { code: 'ENOTFOUND' })));
    assert.equal(await unresolvable.registrationRefusal(new URL('https://not-yet.example.com/')), null, 'a name that does not resolve yet is checked again on delivery');
    const silent = new TargetGuard(parseTargetPolicy('external'), () => new Promise<ResolvedAddress[]>(() => undefined));
    assert.equal(await silent.registrationRefusal(new URL('https://slow-dns.example.com/')), null, 'a DNS that never answers does not hold registration');
  });
});

describe('SSRF guard in the engine (default policy)', () => {
  let t: TestEngine;
  let receiver: Receiver;
  before(async () => {
    t = await startTestEngine({ webhookPollInterval: '50ms', webhookRetrySchedule: '1h' });
    receiver = await startReceiver();
  });
  after(async () => {
    await receiver.close();
    await t.stop();
  });

  test('registration refuses loopback, private and metadata targets with a 422 naming the address', async () => {
    const port = new URL(receiver.url).port;
    for (const [url, reason] of [
      [`http://127.0.0.1:${port}/hook`, /127\.0\.0\.1 is a loopback address/],
      [`http://localhost:${port}/hook`, /localhost resolves to a refused address \(127\.0\.0\.1 is a loopback address/],
      [`http://[::ffff:7f00:1]:${port}/`, /loopback/],
      ['http://10.0.0.8/hook', /private/],
      ['http://169.254.169.254/latest', /metadata/],
      ['http://metadata.google.internal/computeMetadata/v1/', /metadata/],
    ] as const) {
      const response = await t.api('POST', '/api/v1/webhooks', { body: { url, events: ['*'] } });
      assert.equal(response.status, 422, `${url}: ${response.text}`);
      assert.equal(response.body.error.details[0].field, 'url');
      assert.match(response.body.error.details[0].message, reason);
    }
    const patched = await t.api('POST', '/api/v1/webhooks', { body: { url: 'https://93.184.216.34/hook', events: ['*'] } });
    assert.equal(patched.status, 201, patched.text);
    const moved = await t.api('PATCH', `/api/v1/webhooks/${patched.body.id}`, { body: { url: `http://127.0.0.1:${port}/` } });
    assert.equal(moved.status, 422, 'a change of URL is checked too');
    await t.api('DELETE', `/api/v1/webhooks/${patched.body.id}`);
  });

  test('a target that became private after registration is refused at delivery time', async () => {
    const port = new URL(receiver.url).port;
    const { db, outbox, clock } = t.parts;
    // As if these names pointed elsewhere when registered: the rows are written directly, past the API's check.
    const created = await t.api('POST', '/api/v1/webhooks', { body: { url: 'https://93.184.216.34/hook', events: ['link.created'] } });
    const literal = await t.api('POST', '/api/v1/webhooks', { body: { url: 'https://93.184.216.35/hook', events: ['link.created'] } });
    await db('webhook_endpoints').where({ id: created.body.id }).update({ url: `http://localhost:${port}/rebound` });
    await db('webhook_endpoints').where({ id: literal.body.id }).update({ url: `http://127.0.0.1:${port}/literal` });
    await db.transaction((trx) => outbox.enqueue(trx, [{ workspaceId: t.workspace.id, mode: 'live', type: 'link.created', data: {} }], clock.now()));
    for (const [id, reason] of [
      [created.body.id, /refused: localhost resolves to a refused address \(127\.0\.0\.1 is a loopback address/],
      [literal.body.id, /refused: 127\.0\.0\.1 is a loopback address/],
    ] as const) {
      const attempt = await until(async () => {
        const log = await t.api('GET', `/api/v1/webhooks/${id}/deliveries?status=failed`);
        return log.body.data[0];
      }, 'the refused attempt');
      assert.match(attempt.error, reason);
      assert.equal(attempt.status_code, null);
    }
    assert.equal(receiver.received.length, 0, 'nothing reached the loopback receiver');
  });
});
