import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import { createDb } from '../../../engine/store/db';
import { migrateLatest } from '../../../engine/store/migrate';
import { systemClock } from '../../../engine/support/time';
import { UsageStore } from '../../../engine/store/usage';
import { UsageRecorder } from '../../../engine/usage/recorder';
import { createTestDatabase } from '../../support/databases';
import { startTestEngine, type TestEngine } from '../../support/engine';

describe('usage: odd methods never poison the flush (both dialects)', () => {
  let t: TestEngine;
  before(async () => {
    t = await startTestEngine();
  });
  after(() => t.stop());

  test('PROPFIND and MKCALENDAR are counted as OTHER, and every later flush still writes', async () => {
    for (const method of ['PROPFIND', 'MKCALENDAR', 'propfind']) {
      const response = await t.api(method, '/api/v1/links');
      assert.ok(response.status >= 400 && response.status < 500, `${method}: ${response.status}`);
    }
    await t.parts.usage.flush();
    assert.equal((await t.api('GET', '/api/v1/me')).status, 200);
    await t.parts.usage.flush();
    const report = await t.api('GET', '/api/v1/usage?interval=minute');
    assert.equal(report.status, 200, report.text);
    const methods = Object.fromEntries(report.body.endpoints.map((e: { method: string; route: string; requests: number }) => [`${e.method} ${e.route}`, e.requests]));
    assert.equal(methods['GET /api/v1/me'], 1, JSON.stringify(methods));
    assert.ok(Object.keys(methods).some((name) => name.startsWith('OTHER ')), JSON.stringify(methods));
    assert.ok(!Object.keys(methods).some((name) => /PROPFIND|MKCALENDAR/i.test(name)));
  });
});

describe('usage recorder: a refused row is logged and dropped, the rest is written', () => {
  test('one bad counter among good ones: the good ones land, the bad one is logged once, later flushes succeed', async () => {
    const database = await createTestDatabase();
    const db = createDb(database.url);
    const lines: Array<{ msg?: string; row?: unknown }> = [];
    const logger = pino({ level: 'error' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const recorder = new UsageRecorder(new UsageStore(db), systemClock, logger, { flushMs: 60_000, retentionDays: 90 });
    const at = Date.now();
    const sample = (keyId: string | null) => ({ workspaceId: 'ws_x', mode: 'live' as const, keyId: keyId as string, method: 'GET', route: '/api/v1/me', status: 200, durationMs: 3, at });
    try {
      await migrateLatest(db);
      for (const keyId of ['key_a', 'key_b', 'key_c', 'key_d', 'key_e']) recorder.record(sample(keyId));
      recorder.record(sample(null)); // key_id is NOT NULL: refused by either database
      await recorder.flush();
      const written = await db('api_usage').where({ bucket_ms: 60_000 }).orderBy('key_id').pluck('key_id');
      assert.deepEqual(written, ['key_a', 'key_b', 'key_c', 'key_d', 'key_e']);
      const dropped = lines.filter((line) => line.msg === 'dropped an API usage row the database refused');
      assert.equal(dropped.length, 2, 'one per resolution (minute and hour)');

      recorder.record(sample('key_a'));
      await recorder.flush();
      const again = await db('api_usage').where({ bucket_ms: 60_000, key_id: 'key_a' }).first();
      assert.equal(Number(again.requests), 2, 'the next flush writes, nothing was kept back');
      assert.equal(lines.filter((line) => line.msg === 'dropped an API usage row the database refused').length, 2);
    } finally {
      await recorder.close().catch(() => undefined);
      await db.destroy();
      await database.drop();
    }
  });

  test('values are bounded before they are buffered', () => {
    const recorder = new UsageRecorder(null as never, systemClock, pino({ level: 'silent' }), { flushMs: 60_000, retentionDays: 90 });
    recorder.record({ workspaceId: 'ws_x', mode: 'live', keyId: 'key_x', method: 'VERYLONGMETHOD', route: `/api/v1/${'x'.repeat(500)}`, status: 200, durationMs: 1, at: 0 });
    const pending = [...(recorder as unknown as { pending: Map<string, { method: string; route: string }> }).pending.values()];
    assert.ok(pending.length > 0);
    for (const counter of pending) {
      assert.equal(counter.method, 'OTHER');
      assert.ok(counter.route.length <= 200);
    }
  });
});
