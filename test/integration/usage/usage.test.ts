import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import { createDb } from '../../../engine/store/db';
import { migrateLatest } from '../../../engine/store/migrate';
import { systemClock } from '../../../engine/support/time';
import { LATENCY_BUCKETS, latencyBucket, quantile } from '../../../engine/usage/histogram';
import { UsageStore } from '../../../engine/store/usage';
import { UsageRecorder } from '../../../engine/usage/recorder';
import { createTestDatabase } from '../../support/databases';
import { startTestEngine, type TestEngine } from '../../support/engine';

const NO_KEY = `key_${'0'.repeat(26)}`;

describe('usage analytics (seed 002)', () => {
  let t: TestEngine;
  let busy: { id: string; key: string };
  let limited: { id: string; key: string };

  before(async () => {
    t = await startTestEngine();
    const create = async (body: object) => (await t.api('POST', '/api/v1/keys', { body })).body as { id: string; key: string };
    busy = await create({ name: 'busy', scopes: ['admin'] });
    limited = await create({ name: 'limited', scopes: ['links:read'], rate_limit: 2 });

    // What the tests below expect to read back, request by request.
    for (let i = 0; i < 4; i++) await t.api('GET', '/api/v1/me', { key: busy.key });
    for (let i = 0; i < 3; i++) await t.api('DELETE', `/api/v1/keys/${NO_KEY}`, { key: busy.key });
    for (let i = 0; i < 2; i++) await t.api('POST', '/api/v1/keys', { key: busy.key, body: { name: '' } });
    await t.api('GET', '/api/v1/nothing-here', { key: busy.key });
    for (let i = 0; i < 5; i++) await t.api('GET', '/api/v1/me', { key: limited.key });
    await t.api('GET', '/api/v1/keys', { key: limited.key, headers: {} });
    await t.api('GET', '/api/v1/me', { key: `mk_live_${'z'.repeat(43)}` });
  });
  after(() => t.stop());

  const usage = async (query: string) => {
    const response = await t.api('GET', `/api/v1/usage${query}`);
    assert.equal(response.status, 200, response.text);
    return response.body;
  };
  const pick = (rows: any[], field: string) => Object.fromEntries(rows.map((row) => [row[field], row.requests]));

  test('counts per key, endpoint (route template) and status equal what was sent', async () => {
    const report = await usage(`?interval=minute&key_id=${busy.id}`);
    assert.equal(report.totals.requests, 10);
    assert.deepEqual(report.totals.status_classes, { '2xx': 4, '3xx': 0, '4xx': 6, '5xx': 0 });
    assert.equal(report.totals.errors, 6);
    assert.equal(report.totals.rate_limited, 0);
    assert.deepEqual(
      report.endpoints.map((e: any) => [e.method, e.route, e.requests, e.errors]),
      [
        ['GET', '/api/v1/me', 4, 0],
        ['DELETE', '/api/v1/keys/:id', 3, 3],
        ['POST', '/api/v1/keys', 2, 2],
        ['GET', '(unmatched)', 1, 1],
      ],
    );
    assert.deepEqual(pick(report.statuses, 'status'), { 200: 4, 404: 4, 422: 2 });
    assert.deepEqual(report.keys.map((k: any) => [k.key_id, k.name, k.requests]), [[busy.id, 'busy', 10]]);
  });

  test('429s are counted, per key and in the totals; failed authentications belong to no workspace', async () => {
    const report = await usage(`?interval=minute&key_id=${limited.id}`);
    assert.equal(report.totals.requests, 6);
    assert.equal(report.totals.rate_limited, 4);
    assert.deepEqual(pick(report.statuses, 'status'), { 200: 2, 429: 4 });
    assert.deepEqual(
      report.endpoints.map((e: any) => [e.method, e.route, e.requests, e.rate_limited]),
      [
        ['GET', '/api/v1/me', 5, 3],
        ['GET', '/api/v1/keys', 1, 1],
      ],
    );
    const all = await usage('?interval=minute');
    const perKey = pick(all.keys, 'key_id');
    assert.equal(perKey[busy.id], 10);
    assert.equal(perKey[limited.id], 6);
    assert.equal(all.totals.requests, all.keys.reduce((sum: number, k: any) => sum + k.requests, 0), 'no keyless requests');
  });

  test('filters by endpoint, method and status', async () => {
    assert.equal((await usage(`?interval=minute&route=/api/v1/me&key_id=${busy.id}`)).totals.requests, 4);
    assert.equal((await usage(`?interval=minute&route=/api/v1/keys/:id&method=delete`)).totals.requests, 3);
    assert.equal((await usage(`?interval=minute&status=429`)).totals.requests, 4);
    assert.equal((await usage(`?interval=minute&status=429&key_id=${busy.id}`)).totals.requests, 0);
  });

  test('latency: p50 ≤ p95 from the histogram, for every group', async () => {
    const report = await usage(`?interval=minute&key_id=${busy.id}`);
    for (const metrics of [report.totals, ...report.endpoints, ...report.keys, ...report.statuses]) {
      const { p50, p95, avg } = metrics.latency_ms;
      assert.equal(typeof p50, 'number');
      assert.ok(p50 > 0 && p50 <= p95, `p50 ${p50} p95 ${p95}`);
      assert.ok(avg > 0);
    }
    const empty = await usage(`?interval=minute&key_id=${NO_KEY}`);
    assert.deepEqual(empty.totals.latency_ms, { p50: null, p95: null, avg: null });
    assert.equal(empty.totals.requests, 0);
  });

  test('the timeseries covers the range point by point, zeros included, and adds up to the totals', async () => {
    const minutes = await usage(`?interval=minute&key_id=${busy.id}`);
    assert.equal(minutes.interval, 'minute');
    assert.equal(minutes.timeseries.length, 60, 'the last 60 minutes, the current one included');
    assert.equal(minutes.timeseries[0].start, minutes.start);
    for (let i = 1; i < minutes.timeseries.length; i++) {
      assert.equal(Date.parse(minutes.timeseries[i].start) - Date.parse(minutes.timeseries[i - 1].start), 60_000);
    }
    assert.equal(minutes.timeseries.reduce((sum: number, p: any) => sum + p.requests, 0), 10);
    assert.ok(minutes.timeseries.some((p: any) => p.requests === 0));

    const hours = await usage(`?key_id=${busy.id}`);
    assert.equal(hours.interval, 'hour');
    assert.equal(hours.timeseries.length, 24);
    assert.deepEqual(hours.totals, minutes.totals, 'hour and minute rows agree');
    const days = await usage(`?interval=day&key_id=${busy.id}`);
    assert.equal(days.timeseries.length, 30);
    assert.equal(days.totals.requests, 10);
    assert.match(days.start, /T00:00:00Z$/);

    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    const start = new Date(minute - 3 * 3_600_000).toISOString();
    const end = new Date(minute - 2 * 3_600_000 - 1).toISOString();
    const past = await usage(`?interval=minute&start=${start}&end=${end}`);
    assert.equal(past.totals.requests, 0, 'nothing happened then');
    assert.equal(past.timeseries.length, 60);
  });

  test('usage is per workspace and mode', async () => {
    const other = await t.createWorkspace('Elsewhere');
    const foreign = await t.api('GET', '/api/v1/usage?interval=minute', { key: other.adminKey });
    assert.equal(foreign.status, 200);
    assert.equal(foreign.body.totals.requests, 0);
    const testMode = await t.createKey(['admin'], { mode: 'test' });
    const test = await t.api('GET', '/api/v1/usage?interval=minute', { key: testMode });
    assert.equal(test.body.totals.requests, 0);
    assert.deepEqual(test.body.keys, []);
  });

  test('needs the admin scope', async () => {
    const reader = await t.createKey(['analytics:read']);
    const response = await t.api('GET', '/api/v1/usage', { key: reader });
    assert.equal(response.status, 403);
  });

  test('bad input answers 422 naming the field', async () => {
    const cases: Array<[string, string]> = [
      ['?interval=week', 'interval'],
      ['?start=yesterday', 'start'],
      ['?end=2026-13-01T00:00:00Z', 'end'],
      ['?start=2026-01-02T00:00:00Z&end=2026-01-01T00:00:00Z', 'end'],
      [`?interval=minute&start=${new Date(Date.now() - 5 * 86_400_000).toISOString()}`, 'interval'],
      ['?interval=hour&start=2020-01-01T00:00:00Z&end=2026-01-01T00:00:00Z', 'start'],
      ['?key_id=nope', 'key_id'],
      ['?method=TRACE', 'method'],
      ['?route=me', 'route'],
      ['?status=abc', 'status'],
      ['?status=700', 'status'],
      ['?colour=red', 'colour'],
    ];
    for (const [query, field] of cases) {
      const response = await t.api('GET', `/api/v1/usage${query}`);
      assert.equal(response.status, 422, `${query}: ${response.text}`);
      assert.equal(response.body.error.code, 'validation_error');
      assert.deepEqual(response.body.error.details.map((d: { field: string }) => d.field), [field], query);
    }
  });

  test('the counters survive a restart: close flushes them', async () => {
    const other = await startTestEngine({ usageFlushSeconds: 300 });
    const { databaseUrl } = other.engine.config;
    const me = await other.api('GET', '/api/v1/me');
    await other.api('GET', '/api/v1/me');
    await other.engine.close();
    const db = createDb(databaseUrl);
    try {
      const rows = await db('api_usage').where({ key_id: me.body.key.id, bucket_ms: 60_000 });
      assert.equal(rows.reduce((sum: number, row: { requests: number }) => sum + Number(row.requests), 0), 2);
    } finally {
      await db.destroy();
      await other.stop();
    }
  });
});

describe('usage recorder', () => {
  test('a write that fails keeps its counts for the next flush; concurrent flushes never count twice', async () => {
    const database = await createTestDatabase();
    const db = createDb(database.url);
    const recorder = new UsageRecorder(new UsageStore(db), systemClock, pino({ level: 'silent' }), { flushMs: 60_000, retentionDays: 90 });
    const sample = { workspaceId: 'ws_x', mode: 'live' as const, keyId: 'key_x', method: 'GET', route: '/api/v1/me', status: 200, durationMs: 3, at: Date.now() };
    try {
      recorder.record(sample);
      recorder.record(sample);
      await recorder.flush(); // no api_usage table yet: the write fails
      await migrateLatest(db);
      recorder.record(sample);
      await Promise.all([recorder.flush(), recorder.flush()]);
      recorder.record(sample);
      await recorder.close();
      const rows = await db('api_usage').where({ key_id: 'key_x' }).orderBy('bucket_ms');
      assert.deepEqual(rows.map((row: { bucket_ms: number; requests: number }) => [row.bucket_ms, Number(row.requests)]), [
        [60_000, 4],
        [3_600_000, 4],
      ]);
      assert.equal(Number(rows[0].latency_2), 4, 'all in the (2.5, 5] ms bucket');
    } finally {
      await db.destroy();
      await database.drop();
    }
  });
});

describe('latency histogram', () => {
  test('buckets by upper bound and estimates quantiles inside the bucket holding the rank', () => {
    assert.equal(latencyBucket(0.3), 0);
    assert.equal(latencyBucket(1), 0);
    assert.equal(latencyBucket(7), 3);
    assert.equal(latencyBucket(60_000), LATENCY_BUCKETS - 1);
    const counts = new Array(LATENCY_BUCKETS).fill(0);
    counts[latencyBucket(7)] = 90; // (5, 10]
    counts[latencyBucket(400)] = 10; // (250, 500]
    assert.equal(quantile(counts, 0.5), 7.8);
    assert.equal(quantile(counts, 0.95), 375);
    assert.equal(quantile(new Array(LATENCY_BUCKETS).fill(0), 0.5), null);
    const slow = new Array(LATENCY_BUCKETS).fill(0);
    slow[LATENCY_BUCKETS - 1] = 3;
    assert.equal(quantile(slow, 0.5), 10_000, 'beyond the last bound only the bound is known');
  });
});
