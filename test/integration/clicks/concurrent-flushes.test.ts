// Several click flushes committing at once on one Postgres (several engines, or one engine's writer lanes) over the
// same links: each takes row locks on the links it counts, so they must take them in one order or deadlock.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Knex } from 'knex';
import pino from 'pino';
import { ClickRecorder, type BatchWriter, type IdentifiedClick } from '../../../engine/clicks';
import { createDb } from '../../../engine/store/db';
import { inlineBatchWriter } from '../../../engine/wiring/clicks';
import { clickedLink } from '../../support/analytics';
import { testDialect } from '../../support/databases';
import { startTestEngine, TEST_DOMAIN, type TestEngine } from '../../support/engine';
import { createLink } from '../../support/link-fixtures';
import { DESKTOP_UA } from '../../support/redirect-client';

const WRITERS = 4;
const BATCHES_EACH = 12;
const BATCH = 300;
const LINKS = 60;

describe('click flushes committing at once', { skip: testDialect() === 'sqlite' ? 'SQLite has one writer at a time: flushes never overlap there' : false }, () => {
  let t: TestEngine;
  const connections: Knex[] = [];

  before(async () => {
    t = await startTestEngine();
  });
  after(async () => {
    await Promise.all(connections.map((db) => db.destroy()));
    await t.stop();
  });

  test('store every click and count it once, with no deadlock between them', async () => {
    const links: Array<Awaited<ReturnType<typeof createLink>>> = [];
    for (let i = 0; i < LINKS; i++) links.push(await createLink(t.engine, { workspaceId: t.workspace.id }));
    let n = 0;
    // Each writer visits the links in its own order, as different engines' traffic would.
    const batch = (writer: number): IdentifiedClick[] =>
      Array.from({ length: BATCH }, (_, i) => {
        n++;
        const link = links[(i * (writer + 1) + writer * 7) % LINKS];
        return {
          id: `clk_${String(n).padStart(26, '0')}`,
          link: { id: link.id, workspaceId: t.workspace.id, mode: 'live', domain: TEST_DOMAIN, slug: link.slug, shortUrl: `https://${TEST_DOMAIN}${link.path}`, maxClicks: null },
          at: Date.now(),
          url: 'https://example.com/',
          userAgent: DESKTOP_UA,
          referrer: null,
          country: ['FR', 'US', null][n % 3],
          address: `198.51.${(n >> 8) & 255}.${n & 255}`,
          head: false,
        } as IdentifiedClick;
      });
    const { clock, outbox, secret } = t.parts;
    const writers = Array.from({ length: WRITERS }, () => {
      const db = createDb(t.engine.config.databaseUrl);
      connections.push(db);
      return inlineBatchWriter(db, clock, outbox, secret);
    });
    const outcomes = await Promise.allSettled(
      writers.map(async (writer, w) => {
        for (let b = 0; b < BATCHES_EACH; b++) await writer.write(batch(w));
      }),
    );
    const failures = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected').map((o) => String(o.reason?.message ?? o.reason));
    assert.deepEqual(failures, [], 'every flush commits');
    const total = WRITERS * BATCHES_EACH * BATCH;
    const { db } = t.parts;
    assert.equal(Number((await db('clicks').count({ n: '*' }))[0].n), total);
    assert.equal(Number((await db('links').sum({ n: 'clicks' }))[0].n), total);
  });
});

describe('a click recorder whose writer has lanes', () => {
  let t: TestEngine;

  before(async () => {
    t = await startTestEngine({ clickWriter: 'inline' });
  });
  after(() => t.stop());

  for (const lanes of [1, 2]) {
    test(`keeps at most ${lanes} batch(es) committing at once, and stores every click once`, async () => {
      const { db, clock, outbox, secret } = t.parts;
      const inner = inlineBatchWriter(db, clock, outbox, secret);
      let writing = 0;
      let most = 0;
      const counted: BatchWriter = {
        lanes,
        write: async (batch) => {
          most = Math.max(most, ++writing);
          try {
            await new Promise((resolve) => setTimeout(resolve, 30)); // a commit that takes a while
            return await inner.write(batch);
          } finally {
            writing--;
          }
        },
        close: () => inner.close(),
      };
      const recorder = new ClickRecorder(counted, pino({ level: 'silent' }), { flushMs: 1000, batchSize: 100, bufferMax: 10_000 });
      const link = await createLink(t.engine, { workspaceId: t.workspace.id });
      const clicked = clickedLink({ ...link, short_url: `https://${link.domain}/${link.slug}` }, t.workspace.id);
      try {
        // Full batches arrive while the first is committing: a free lane takes each at once.
        for (let i = 0; i < 600; i++) {
          recorder.record({ link: clicked, at: Date.now(), url: 'https://example.com/', userAgent: DESKTOP_UA, referrer: null, country: null, address: `203.0.113.${i % 250}`, head: false });
          if (i % 100 === 99) await new Promise((resolve) => setTimeout(resolve, 5));
        }
        await recorder.flush();
      } finally {
        await recorder.close();
      }
      assert.equal(most, lanes);
      assert.equal(Number((await db('clicks').where({ link_id: link.id }).count({ n: '*' }))[0].n), 600);
      assert.equal(Number((await db('links').where({ id: link.id }).first()).clicks), 600);
    });
  }
});
