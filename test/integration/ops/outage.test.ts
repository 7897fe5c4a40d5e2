// Failure model: "No background failure ends a process; the API answers 503 service_unavailable with Retry-After
// while its database is unreachable." A real engine process on Postgres reached through a TCP proxy that the test
// cuts for ~12 s under API and redirect traffic.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import express from 'express';
import pino from 'pino';
import { createEngine, type Engine } from '../../../engine';
import { isDatabaseUnavailable } from '../../../engine/store/unavailable';
import { keepServingOnUnhandledRejection } from '../../../engine/cli';
import { partsOf } from '../../../engine/wiring';
import { errorHandler } from '../../../engine/web/errors';
import { createTestDatabase, testDialect, type TestDatabase } from '../../support/databases';
import { startEngineProcess, type EngineProcess } from '../../support/processes';
import { visit } from '../../support/redirect-client';
import { startTcpProxy, type TcpProxy } from '../../support/tcp-proxy';

const DOMAIN = 'go.mask.test';
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('database outage', { skip: testDialect() !== 'postgres' && 'SQLite has no connection to cut: the engine keeps its file open (the error mapping is covered below on both passes)' }, () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let child: EngineProcess;
  let adminKey: string;

  before(async () => {
    database = await createTestDatabase();
    const setup: Engine = createEngine({ databaseUrl: database.url, logLevel: 'silent', env: {} });
    await setup.migrate();
    const { workspaces, keys } = partsOf(setup);
    const workspace = await workspaces.create({ name: 'Outage' });
    adminKey = (await keys.create({ workspaceId: workspace.id, name: 'k', mode: 'live', scopes: ['admin'] })).secret;
    await setup.close();
    const direct = new URL(database.url);
    proxy = await startTcpProxy(direct.hostname, Number(direct.port || 5432));
    direct.hostname = '127.0.0.1';
    direct.port = String(proxy.port);
    child = await startEngineProcess({
      DATABASE_URL: direct.toString(),
      MASK_DEFAULT_DOMAIN: DOMAIN,
      MASK_LINK_CACHE_TTL: '300',
      MASK_DATABASE_RETRY_AFTER: '3',
      REDIS_URL: '',
    });
  });
  after(async () => {
    await child?.stop();
    await proxy?.close();
    await database?.drop();
  });

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${child.url}${path}`, { ...init, headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json', ...init.headers } });

  test('survives, keeps redirecting cached links, answers 503 with Retry-After, recovers within 2 s', async () => {
    const created = await api('/api/v1/links', { method: 'POST', body: JSON.stringify({ url: 'https://example.com/outage' }) });
    assert.equal(created.status, 201);
    const { slug } = (await created.json()) as { slug: string };
    // Cached now; the authenticated request above also queued a last_used_at write, due in 10 s.
    assert.equal((await visit(child.url, `/${slug}`, { host: DOMAIN })).status, 302);

    proxy.cut();
    const cutAt = Date.now();
    const seen = { api503: 0, apiOther: [] as number[], redirects: 0, redirectFailures: [] as number[] };
    while (Date.now() - cutAt < 12_000) {
      const response = await api('/api/v1/links');
      if (response.status === 503) {
        seen.api503++;
        assert.equal(response.headers.get('retry-after'), '3');
        const body = (await response.json()) as { error: { code: string } };
        assert.equal(body.error.code, 'service_unavailable');
      } else {
        seen.apiOther.push(response.status);
        await response.arrayBuffer();
      }
      const redirected = await visit(child.url, `/${slug}`, { host: DOMAIN });
      if (redirected.status === 302) seen.redirects++;
      else seen.redirectFailures.push(redirected.status);
      await sleep(250);
    }
    assert.ok(alive(child.pid), 'the engine process is still running after its background writes failed');
    assert.deepEqual(seen.apiOther, [], 'every API answer during the outage is a 503');
    assert.ok(seen.api503 > 5);
    assert.deepEqual(seen.redirectFailures, [], 'a cached link keeps redirecting');

    proxy.restore();
    const restoredAt = Date.now();
    let recoveredAfter = Infinity;
    while (Date.now() - restoredAt < 10_000) {
      const response = await api('/api/v1/links');
      await response.arrayBuffer();
      if (response.status === 200) {
        recoveredAfter = Date.now() - restoredAt;
        break;
      }
      await sleep(100);
    }
    assert.ok(recoveredAfter <= 2_000, `the API answers again within 2 s of the database returning (took ${recoveredAfter} ms)`);
    assert.ok(alive(child.pid));
  });
});

describe('what counts as an unreachable database', () => {
  test('connection errors of both dialects and the pool', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    assert.ok(isDatabaseUnavailable(refused));
    assert.ok(isDatabaseUnavailable(Object.assign(new Error('x'), { code: 'ETIMEDOUT' })));
    assert.ok(isDatabaseUnavailable(new Error('Connection terminated unexpectedly')));
    assert.ok(isDatabaseUnavailable(Object.assign(new Error('Knex: Timeout acquiring a connection. The pool is probably full.'), { name: 'KnexTimeoutError' })));
    assert.ok(isDatabaseUnavailable(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })));
    assert.ok(isDatabaseUnavailable(Object.assign(new Error('unable to open database file'), { code: 'SQLITE_CANTOPEN' })));
    assert.ok(isDatabaseUnavailable(new AggregateError([refused], '')));
    assert.ok(!isDatabaseUnavailable(Object.assign(new Error('duplicate key'), { code: '23505' })));
    assert.ok(!isDatabaseUnavailable(new Error('syntax error')));
  });

  test('the error middleware answers them with 503 service_unavailable and Retry-After, other errors with 500', async () => {
    const app = express();
    app.get('/refused', () => {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    });
    app.get('/locked', () => {
      throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    });
    app.get('/bug', () => {
      throw new TypeError('x is undefined');
    });
    app.use(errorHandler(pino({ level: 'silent' }), 7));
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      for (const path of ['/refused', '/locked']) {
        const response = await fetch(`${base}${path}`);
        assert.equal(response.status, 503);
        assert.equal(response.headers.get('retry-after'), '7');
        assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'service_unavailable');
      }
      const bug = await fetch(`${base}/bug`);
      assert.equal(bug.status, 500);
      assert.equal(bug.headers.get('retry-after'), null);
    } finally {
      server.close();
    }
  });

  test('the last-resort handler logs an unhandled rejection and keeps the process', async () => {
    const logged: unknown[] = [];
    const before = process.listeners('unhandledRejection');
    keepServingOnUnhandledRejection({ logger: { error: (...args: unknown[]) => logged.push(args) } as never });
    const added = process.listeners('unhandledRejection').filter((listener) => !before.includes(listener));
    try {
      assert.equal(added.length, 1);
      // Called as Node would call it (emitting the event here would reach the test runner's own listener too).
      (added[0] as (reason: unknown, promise: Promise<unknown>) => void)(new Error('background write failed'), Promise.resolve());
      assert.equal(logged.length, 1);
      assert.match(JSON.stringify(logged[0]), /unhandled promise rejection/);
    } finally {
      for (const listener of added) process.off('unhandledRejection', listener);
    }
  });
});
