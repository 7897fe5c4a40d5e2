import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createEngine, type Engine } from '../../../engine';
import { testDialect } from '../../support/databases';
import { startTestEngine, TEST_DOMAIN, type TestEngine } from '../../support/engine';
import { createLink } from '../../support/link-fixtures';
import { DESKTOP_UA, visitSpread } from '../../support/redirect-client';

const shared = testDialect() === 'postgres' && process.env.TEST_REDIS_URL ? false : 'needs Postgres and Redis (TEST_DATABASE_URL, TEST_REDIS_URL)';

/** `total` visits to `path` as a desktop browser, spread over the engines' addresses; answers the statuses. */
const storm = async (urls: string[], path: string, total: number, concurrency: number): Promise<number[]> =>
  (await visitSpread(urls, [path], total, concurrency, { host: TEST_DOMAIN, headers: { 'user-agent': DESKTOP_UA } })).get(path) ?? [];

describe('max_clicks across two engine processes sharing Postgres and Redis', { skip: shared }, () => {
  let a: TestEngine;
  let b: Engine;
  let bUrl: string;

  before(async () => {
    // A 60 s flush: nothing is written during the storm, so only Redis can keep the processes apart.
    a = await startTestEngine({ clickFlushMs: 60_000 });
    const { databaseUrl, redisUrl, redisPrefix, secret } = a.engine.config;
    b = createEngine({ databaseUrl, redisUrl, redisPrefix, secret, defaultDomain: TEST_DOMAIN, logLevel: 'silent', env: {}, migrateOnStart: false, clickFlushMs: 60_000 });
    bUrl = (await b.listen(0, '127.0.0.1')).url;
  });
  after(async () => {
    await b?.close();
    await a?.stop();
  });

  test('together they let exactly max_clicks counted visits through', async () => {
    const link = await createLink(a.engine, { workspaceId: a.workspace.id, max_clicks: 300 });
    const statuses = await storm([a.baseUrl, bUrl], link.path, 900, 32);
    assert.equal(statuses.filter((s) => s === 302).length, 300);
    assert.equal(statuses.filter((s) => s === 410).length, 600);
    await a.parts.clicks.flush();
    await b.close();
    const stored = await a.parts.db('links').where({ id: link.id }).first();
    assert.equal(Number(stored.clicks), 300);
    assert.equal(Number((await a.parts.db('clicks').where({ link_id: link.id }).count({ n: '*' }))[0].n), 300);
  });
});

describe('max_clicks while Redis is unreachable', () => {
  let t: TestEngine;
  before(async () => {
    // Port 1: nothing listens; every reservation fails at once and the process counts alone.
    t = await startTestEngine({ redisUrl: 'redis://127.0.0.1:1', redisPrefix: 'mask-test-down:' });
  });
  after(() => t.stop());

  test('one process stays exact on its own count', async () => {
    const link = await createLink(t.engine, { workspaceId: t.workspace.id, max_clicks: 5 });
    const statuses = await storm([t.baseUrl], link.path, 12, 12);
    assert.equal(statuses.filter((s) => s === 302).length, 5);
    assert.equal(statuses.filter((s) => s === 410).length, 7);
  });
});
