// With REDIS_URL, dashboard sessions live in Redis (the same interface as the table: timeouts, the list of one's own
// sessions, sign out everywhere). Checked on a real Redis: where they are kept, that every engine of the deployment
// sees them, that Redis expires them, and that an unreachable Redis is a 503, not a 500. (The Postgres pass also runs
// sessions.test.ts with Redis-backed sessions.)
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import Redis from 'ioredis';
import { createEngine, type Engine } from '../../../engine';
import { sha256Hex } from '../../../engine/support/crypto';
import { testSecret } from '../../support/databases';
import type { TestEngine } from '../../support/engine';
import { assertEnvelope, Browser, PASSWORD, signedIn, startAccountsEngine } from './helpers';

const redisUrl = process.env.TEST_REDIS_URL;

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('Dashboard sessions in Redis', { skip: redisUrl ? false : 'TEST_REDIS_URL is not set' }, () => {
  const redisPrefix = `mask-test:${randomBytes(6).toString('hex')}:`;
  let t: TestEngine;
  let b: Engine;
  let bUrl: string;
  let redis: Redis;

  before(async () => {
    t = await startAccountsEngine({ redisUrl, redisPrefix, sessionIdle: 60_000, sessionMaxAge: 3_600_000 });
    // A second engine of the same deployment: same database, same Redis, same prefix.
    b = createEngine({ databaseUrl: t.engine.config.databaseUrl, redisUrl, redisPrefix, logLevel: 'silent', env: {}, ...testSecret(), dashboardDir: t.engine.config.dashboardDir, migrateOnStart: false, webhookWorkers: false });
    bUrl = (await b.listen(0, '127.0.0.1')).url;
    redis = new Redis(redisUrl!);
  });
  after(async () => {
    const keys = await redis.keys(`${redisPrefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await b.close();
    await t.stop();
  });

  test('a session is kept in Redis (only its token’s hash), not in the table, and works on every engine', async () => {
    const { browser, userId } = await signedIn(t, 'member');
    const key = `${redisPrefix}sessions:s:${sha256Hex(browser.cookie!)}`;
    const stored = JSON.parse((await redis.get(key))!);
    assert.equal(stored.user_id, userId);
    assert.ok(!JSON.stringify(stored).includes(browser.cookie!), 'the cookie value itself is not stored');
    assert.deepEqual(await redis.hgetall(`${redisPrefix}sessions:u:${userId}`), { [stored.id]: sha256Hex(browser.cookie!) });
    assert.deepEqual(await t.parts.db('user_sessions').where({ user_id: userId }), []);

    const pttl = await redis.pttl(key);
    assert.ok(pttl > 50_000 && pttl <= 60_000, `Redis drops it after the idle timeout (${pttl} ms left)`);

    const onB = await fetch(`${bUrl}/api/v1/auth/session`, { headers: { cookie: `mask_session=${browser.cookie}` } });
    assert.equal(onB.status, 200, 'engine B knows the session engine A opened');
    const created = await fetch(`${bUrl}/api/v1/links`, {
      method: 'POST',
      headers: { cookie: `mask_session=${browser.cookie}`, 'x-csrf-token': browser.csrf!, 'content-type': 'application/json', origin: bUrl },
      body: JSON.stringify({ url: 'https://example.com/from-b' }),
    });
    assert.equal(created.status, 201, await created.text());

    const out = await fetch(`${bUrl}/api/v1/auth/logout`, { method: 'POST', headers: { cookie: `mask_session=${browser.cookie}`, 'x-csrf-token': browser.csrf!, origin: bUrl } });
    assert.equal(out.status, 204);
    assertEnvelope(await browser.call('GET', '/api/v1/auth/session'), 401, 'unauthorized');
    assert.equal(await redis.exists(key), 0);
    assert.deepEqual(await redis.hgetall(`${redisPrefix}sessions:u:${userId}`), {});
  });

  test('the list of one’s own sessions, ending one, signing out everywhere else, removal of the member', async () => {
    const first = await signedIn(t, 'member');
    const firstCookie = first.browser.cookie!;
    const second = new Browser(t);
    await second.login(first.email);
    const third = new Browser(t);
    await third.login(first.email);
    const listed = (await first.browser.call('GET', '/api/v1/auth/sessions')).body.data as Array<{ id: string; current: boolean }>;
    assert.equal(listed.length, 3);
    assert.deepEqual([...listed].sort((x, y) => (x.id < y.id ? 1 : -1)), listed, 'newest first');
    const secondId = (await second.call('GET', '/api/v1/auth/sessions')).body.data.find((s: { current: boolean }) => s.current).id;
    assert.equal((await first.browser.call('DELETE', `/api/v1/auth/sessions/${secondId}`)).status, 204);
    assertEnvelope(await second.call('GET', '/api/v1/auth/session'), 401, 'unauthorized');
    assertEnvelope(await first.browser.call('DELETE', `/api/v1/auth/sessions/${secondId}`), 404, 'not_found');

    assert.equal((await first.browser.call('POST', '/api/v1/auth/sessions/revoke-others')).status, 204);
    assertEnvelope(await third.call('GET', '/api/v1/auth/session'), 401, 'unauthorized');
    assert.deepEqual((await first.browser.call('GET', '/api/v1/auth/sessions')).body.data.map((s: { current: boolean }) => s.current), [true]);

    const member = (await t.api('GET', `/api/v1/members?email=${encodeURIComponent(first.email)}`)).body.data[0];
    assert.equal((await t.api('DELETE', `/api/v1/members/${member.id}`)).status, 200);
    assertEnvelope(await first.browser.call('GET', '/api/v1/auth/session'), 401, 'unauthorized');
    assert.equal(await redis.exists(`${redisPrefix}sessions:s:${sha256Hex(firstCookie)}`), 0);
  });

  test('a password reset ends the account’s sessions', async () => {
    const { browser, email } = await signedIn(t, 'member');
    await t.parts.accounts.resetPassword(email, `${PASSWORD} again`);
    assertEnvelope(await browser.call('GET', '/api/v1/auth/session'), 401, 'unauthorized');
  });
});

describe('Dashboard sessions in Redis: timeouts (real time)', { skip: redisUrl ? false : 'TEST_REDIS_URL is not set' }, () => {
  const redisPrefix = `mask-test:${randomBytes(6).toString('hex')}:`;
  let t: TestEngine;
  let redis: Redis;
  before(async () => {
    t = await startAccountsEngine({ redisUrl, redisPrefix, sessionIdle: 1200, sessionMaxAge: 2500 });
    redis = new Redis(redisUrl!);
  });
  after(async () => {
    redis.disconnect();
    await t.stop();
  });

  test('an idle session ends and Redis drops it; a session in use ends at its absolute age', async () => {
    const idle = await signedIn(t, 'member');
    const busy = new Browser(t);
    await busy.login(idle.email);
    const [idleCookie, busyCookie] = [idle.browser.cookie!, busy.cookie!];
    const started = Date.now();
    while (Date.now() - started < 1800) {
      assert.equal((await busy.call('GET', '/api/v1/links')).status, 200, `busy session alive at ${Date.now() - started} ms`);
      await sleep(400);
    }
    assert.equal(await redis.exists(`${redisPrefix}sessions:s:${sha256Hex(idleCookie)}`), 0, 'Redis expired the idle session by itself');
    assertEnvelope(await idle.browser.call('GET', '/api/v1/links'), 401, 'unauthorized');
    while (Date.now() - started < 2700) {
      await busy.call('GET', '/api/v1/links');
      await sleep(200);
    }
    assertEnvelope(await busy.call('GET', '/api/v1/links'), 401, 'unauthorized');
    assert.equal(await redis.exists(`${redisPrefix}sessions:s:${sha256Hex(busyCookie)}`), 0);
  });
});

describe('Dashboard sessions with Redis unreachable', () => {
  let t: TestEngine;
  before(async () => {
    t = await startAccountsEngine({ redisUrl: `redis://127.0.0.1:${await closedPort()}`, redisPrefix: 'mask-test:down:' });
  });
  after(() => t.stop());

  test('a session cookie answers 503 service_unavailable with Retry-After (never 500); API keys keep working', async () => {
    const someCookie = await new Browser(t).call('GET', '/api/v1/auth/session', { headers: { cookie: `mask_session=${'a'.repeat(43)}` } });
    assertEnvelope(someCookie, 503, 'service_unavailable');
    assert.match(someCookie.body.error.message, /Redis/);
    assert.ok(Number(someCookie.headers.get('retry-after')) > 0);
    // Sign-in fails closed even before a session is made: its attempts cannot be counted without Redis.
    await t.parts.accounts.createUser({ email: 'down@example.com', name: 'Down', workspaceId: t.workspace.id, role: 'member', password: PASSWORD });
    const login = await new Browser(t).call('POST', '/api/v1/auth/login', { body: { email: 'down@example.com', password: PASSWORD } });
    assert.ok([429, 503].includes(login.status), login.text);
    assert.equal((await t.api('GET', '/api/v1/links')).status, 200);
  });
});
