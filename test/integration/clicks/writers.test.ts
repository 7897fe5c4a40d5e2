import assert from 'node:assert/strict';
import type { Worker } from 'node:worker_threads';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import { ClickRecorder, ThreadBatchWriter } from '../../../engine/clicks';
import { spawnClickWriterThread } from '../../../engine/wiring/clicks';
import { clickedLink } from '../../support/analytics';
import { testDialect } from '../../support/databases';
import { startTestEngine, TEST_DOMAIN, type TestEngine } from '../../support/engine';
import { createLink } from '../../support/link-fixtures';
import { DESKTOP_UA, visit } from '../../support/redirect-client';
import { subscribeReceiver, until } from '../../support/webhook-receiver';

for (const clickWriter of ['inline', 'worker'] as const) {
  describe(`the ${clickWriter} click writer`, () => {
    let t: TestEngine;

    before(async () => {
      t = await startTestEngine({ clickWriter, webhookAllowedHosts: 'loopback' });
    });
    after(() => t.stop());

    test('stores every click with its counter, rollups, monthly usage and click.recorded events', async () => {
      const receiver = await subscribeReceiver(t);
      try {
        const link = await createLink(t.engine, { workspaceId: t.workspace.id });
        for (let i = 0; i < 5; i++) {
          assert.equal((await visit(t.baseUrl, link.path, { host: TEST_DOMAIN, headers: { 'user-agent': DESKTOP_UA } })).status, 302);
        }
        await t.parts.clicks.flush();
        const { db } = t.parts;
        const rows = await db('clicks').where({ link_id: link.id });
        assert.equal(rows.length, 5);
        assert.equal(Number((await db('links').where({ id: link.id }).first()).clicks), 5);
        const [{ n }] = await db('link_click_rollups').where({ link_id: link.id, dimension: 'all' }).sum({ n: 'clicks' });
        assert.equal(Number(n), 5);
        assert.equal(Number((await db('workspace_monthly_usage').where({ workspace_id: t.workspace.id }).first()).clicks), 5);
        const clickEvents = () => receiver.received.map((r) => JSON.parse(r.body)).filter((event) => event.type === 'click.recorded');
        await until(() => clickEvents().length >= 5, 'five click.recorded deliveries');
        assert.deepEqual(clickEvents().map((event) => event.data.click_id).sort(), rows.map((row: { id: string }) => row.id).sort());
      } finally {
        await receiver.close();
      }
    });
  });
}

describe('the engine’s click recorder', () => {
  let t: TestEngine;
  before(async () => {
    t = await startTestEngine();
  });
  after(() => t.stop());

  // Failure model: a wrapper around the writer (the clicks-written metric) hid its lanes, so Postgres committed one
  // batch at a time.
  test('commits as many batches at once as its database takes: 2 on Postgres, 1 on SQLite', () => {
    assert.equal(t.parts.clicks.lanes, testDialect() === 'postgres' ? 2 : 1);
  });
});

describe('a click flush for a subscribed workspace', () => {
  let t: TestEngine;

  before(async () => {
    // Inline, so the flush's queries run on this thread's connection, where they can be watched; no timed flush, so
    // the three clicks go in the one flush the test watches (a timer firing between the visits would split them).
    t = await startTestEngine({ clickWriter: 'inline', webhookAllowedHosts: 'loopback', clickFlushMs: 60_000 });
  });
  after(() => t.stop());

  test('reads its endpoints once: the interest check and the delivery plan share the read', async () => {
    const receiver = await subscribeReceiver(t);
    const { db } = t.parts;
    const endpointReads: string[] = [];
    const onQuery = (query: { sql: string }) => {
      if (/from [`"]webhook_endpoints[`"]/i.test(query.sql)) endpointReads.push(query.sql);
    };
    try {
      const link = await createLink(t.engine, { workspaceId: t.workspace.id });
      for (let i = 0; i < 3; i++) await visit(t.baseUrl, link.path, { host: TEST_DOMAIN, headers: { 'user-agent': DESKTOP_UA } });
      db.on('query', onQuery);
      await t.parts.clicks.flush();
      db.off('query', onQuery);
      assert.equal(endpointReads.length, 1, endpointReads.join('\n'));
      assert.equal(Number((await db('webhook_deliveries').where({ event_type: 'click.recorded' }).count({ n: '*' }))[0].n), 3, 'one delivery per click');
    } finally {
      db.off('query', onQuery);
      await receiver.close();
    }
  });
});

describe('the worker click writer when its thread dies', () => {
  let t: TestEngine;

  before(async () => {
    t = await startTestEngine();
  });
  after(() => t.stop());

  test('the batch it was writing is kept, retried on a new thread, and stored once', async () => {
    const workers: Worker[] = [];
    const { config, db, secret } = t.parts;
    const writer = new ThreadBatchWriter(
      () => {
        const worker = spawnClickWriterThread({ databaseUrl: config.databaseUrl, secret: secret.value });
        workers.push(worker);
        return worker;
      },
      () => Date.now(),
      () => undefined,
    );
    const recorder = new ClickRecorder(writer, pino({ level: 'silent' }), { flushMs: 60_000, batchSize: 1000, bufferMax: 10_000 });
    const link = await createLink(t.engine, { workspaceId: t.workspace.id });
    // One link object, as the link cache hands out: the first thread was sent it, the new thread must be sent it again.
    const clicked = clickedLink({ ...link, short_url: `https://${link.domain}/${link.slug}` }, t.workspace.id);
    const click = () => ({
      link: clicked,
      at: Date.now(),
      url: 'https://example.com/',
      userAgent: DESKTOP_UA,
      referrer: null,
      country: null,
      address: '203.0.113.9',
      head: false,
    });
    try {
      for (let i = 0; i < 4; i++) recorder.record(click());
      const flushing = recorder.flush();
      // At once: the thread is still starting, so the batch is certainly not written yet.
      await workers[0].terminate();
      await assert.rejects(flushing, /click writer stopped/);
      assert.equal(recorder.buffered, 4, 'the batch waits for its retry');
      await recorder.flush();
      assert.equal(workers.length, 2, 'a new thread took over');
      // A batch's objects live for one flush: the thread's young generation is kept small (V8's default adds RSS).
      assert.ok((workers[1].resourceLimits?.maxYoungGenerationSizeMb ?? Infinity) <= 8);
      for (let i = 0; i < 3; i++) recorder.record(click());
      await recorder.flush();
      assert.equal(workers.length, 2);
      assert.equal((await db('clicks').where({ link_id: link.id })).length, 7);
      assert.equal(Number((await db('links').where({ id: link.id }).first()).clicks), 7);
    } finally {
      await recorder.close();
    }
    assert.equal(workers[1].threadId, -1, 'close() ends the thread');
  });
});
