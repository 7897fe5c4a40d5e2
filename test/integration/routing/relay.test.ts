import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createEngine, type Engine } from '../../../engine';
import { testRedis, testSecret } from '../../support/databases';
import { startTestEngine, TEST_DOMAIN, type TestEngine } from '../../support/engine';
import { eventually, visit } from '../../support/redirect-client';

const redis = testRedis();


describe('rule and split changes reach other engine processes through Redis', { skip: redis.redisUrl ? false : 'needs Redis (the Postgres + Redis pass)' }, () => {
  let a: TestEngine;
  let b: Engine;
  let bUrl: string;
  const onB = (slug: string) => visit(bUrl, `/${slug}`, { host: TEST_DOMAIN, headers: { 'cf-ipcountry': 'CA' } });

  before(async () => {
    a = await startTestEngine(redis);
    // Same database and Redis prefix, its own cache with a 5-minute TTL: only the relayed notice can refresh it.
    b = createEngine({ databaseUrl: a.engine.config.databaseUrl, defaultDomain: TEST_DOMAIN, logLevel: 'silent', env: {}, ...testSecret(), linkCacheTtl: 300, ...redis });
    bUrl = (await b.listen(0, '127.0.0.1')).url;
  });
  after(async () => {
    await b?.close();
    await a?.stop();
  });

  test('a rule added, changed and removed on one process routes on the other at once', async () => {
    const link = (await a.api('POST', '/api/v1/links', { body: { url: 'https://example.com/default' } })).body;
    assert.equal((await onB(link.slug)).location, 'https://example.com/default', 'B caches the link');
    const rule = (await a.api('POST', `/api/v1/links/${link.id}/rules`, { body: { conditions: [{ type: 'country', values: ['CA'] }], url: 'https://example.com/ca' } })).body;
    assert.equal((await eventually(() => onB(link.slug), (r) => r.location !== 'https://example.com/default')).location, 'https://example.com/ca');
    await a.api('PATCH', `/api/v1/links/${link.id}/rules/${rule.id}`, { body: { url: 'https://example.com/canada' } });
    assert.equal((await eventually(() => onB(link.slug), (r) => r.location === 'https://example.com/ca')).location, 'https://example.com/canada');
    await a.api('DELETE', `/api/v1/links/${link.id}/rules/${rule.id}`);
    assert.equal((await eventually(() => onB(link.slug), (r) => r.location === 'https://example.com/canada')).location, 'https://example.com/default');
  });
});
