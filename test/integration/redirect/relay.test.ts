import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { createEngine, type Engine } from '../../../engine';
import { testRedis, testSecret } from '../../support/databases';
import { startTestEngine, TEST_DOMAIN, type TestEngine } from '../../support/engine';
import { createLink, deleteLink, updateLink } from '../../support/link-fixtures';
import { eventually, visit } from '../../support/redirect-client';

const redis = testRedis();


describe('link changes reach other engine processes through Redis', { skip: redis.redisUrl ? false : 'needs Redis (the Postgres + Redis pass)' }, () => {
  let a: TestEngine;
  let b: Engine;
  let bUrl: string;
  const onB = (path: string) => visit(bUrl, path, { host: TEST_DOMAIN });

  before(async () => {
    a = await startTestEngine(redis);
    // A second process of the same deployment: same database, same Redis prefix, its own cache (5-minute TTL).
    b = createEngine({ databaseUrl: a.engine.config.databaseUrl, defaultDomain: TEST_DOMAIN, logLevel: 'silent', env: {}, ...testSecret(), linkCacheTtl: 300, ...redis });
    bUrl = (await b.listen(0, '127.0.0.1')).url;
  });
  after(async () => {
    await b?.close();
    await a?.stop();
  });

  test("an update or delete on one process drops the other process's cached entry", async () => {
    const link = await createLink(a.engine, { workspaceId: a.workspace.id, url: 'https://example.com/v1' });
    assert.equal((await onB(link.path)).location, 'https://example.com/v1');
    await updateLink(a.engine, link, { url: 'https://example.com/v2' });
    assert.equal((await eventually(() => onB(link.path), (r) => r.location !== 'https://example.com/v1')).location, 'https://example.com/v2');
    await deleteLink(a.engine, link);
    assert.equal((await eventually(() => onB(link.path), (r) => r.status !== 302)).status, 404);
  });

  test('a routing rule added, changed and removed on one process routes on the other at once', async () => {
    const onBFrom = (slug: string) => visit(bUrl, `/${slug}`, { host: TEST_DOMAIN, headers: { 'cf-ipcountry': 'CA' } });
    const link = (await a.api('POST', '/api/v1/links', { body: { url: 'https://example.com/default' } })).body;
    assert.equal((await onBFrom(link.slug)).location, 'https://example.com/default', 'B caches the link');
    const rule = (await a.api('POST', `/api/v1/links/${link.id}/rules`, { body: { conditions: [{ type: 'country', values: ['CA'] }], url: 'https://example.com/ca' } })).body;
    assert.equal((await eventually(() => onBFrom(link.slug), (r) => r.location !== 'https://example.com/default')).location, 'https://example.com/ca');
    await a.api('PATCH', `/api/v1/links/${link.id}/rules/${rule.id}`, { body: { url: 'https://example.com/canada' } });
    assert.equal((await eventually(() => onBFrom(link.slug), (r) => r.location !== 'https://example.com/ca')).location, 'https://example.com/canada');
    await a.api('DELETE', `/api/v1/links/${link.id}/rules/${rule.id}`);
    assert.equal((await eventually(() => onBFrom(link.slug), (r) => r.location !== 'https://example.com/canada')).location, 'https://example.com/default');
  });

  test('malformed messages on the channel are ignored, and a valid change after them still invalidates', async () => {
    const link = await createLink(a.engine, { workspaceId: a.workspace.id, url: 'https://example.com/before' });
    assert.equal((await onB(link.path)).location, 'https://example.com/before', 'B caches the link for five minutes');
    const publisher = new Redis(redis.redisUrl as string);
    try {
      for (const message of ['not json', '{"o":"x"}', '{"o":"x","c":{"id":1}}', '{"o":"x","c":{"id":"a","domain":"d","slug":"s","kind":"eaten"}}']) {
        await publisher.publish(`${redis.redisPrefix}link-changes`, message);
      }
    } finally {
      publisher.disconnect();
    }
    // Published after the malformed ones, so B's subscriber reads it after them: it must still be listening.
    await updateLink(a.engine, link, { url: 'https://example.com/after' });
    assert.equal((await eventually(() => onB(link.path), (r) => r.location !== 'https://example.com/before')).location, 'https://example.com/after');
  });
});
