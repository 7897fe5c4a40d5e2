import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../../engine/config';
import { createDb } from '../../../engine/store/db';
import { migrateLatest } from '../../../engine/store/migrate';
import { systemClock } from '../../../engine/support/time';
import { parseRetryAfter } from '../../../engine/webhooks/http-sender';
import { LeaderLease } from '../../../engine/webhooks/leader-lease';
import { WebhookLockStore } from '../../../engine/store/webhook-locks';
import { Slots } from '../../../engine/webhooks/slots';
import { createTestDatabase } from '../../support/databases';

describe('webhook settings', () => {
  test('defaults: the Standard Webhooks schedule, 15 s, 5 days, external targets only, workers on', () => {
    const config = loadConfig({}, {});
    assert.deepEqual(config.webhookRetrySchedule, [5e3, 3e5, 18e5, 72e5, 18e6, 36e6, 504e5, 72e6, 864e5]);
    assert.equal(config.webhookTimeout, 15_000);
    assert.equal(config.webhookDisableAfter, 5 * 86_400_000);
    assert.deepEqual([...config.webhookAllowedHosts.categories], ['external']);
    assert.equal(config.webhookWorkers, true);
  });

  test('durations and schedules read from the environment; options take milliseconds too', () => {
    const config = loadConfig({ webhookTimeout: 2500 }, { WEBHOOK_RETRY_SCHEDULE: '1s, 1s,500ms,2m', WEBHOOK_DISABLE_AFTER: '36h', WEBHOOK_WORKERS: 'false' });
    assert.deepEqual(config.webhookRetrySchedule, [1000, 1000, 500, 120_000]);
    assert.equal(config.webhookTimeout, 2500);
    assert.equal(config.webhookDisableAfter, 36 * 3_600_000);
    assert.equal(config.webhookWorkers, false);
    assert.deepEqual(loadConfig({}, { WEBHOOK_RETRY_SCHEDULE: '' }).webhookRetrySchedule.length, 9, 'empty means the default');
  });

  for (const [name, value] of [
    ['WEBHOOK_RETRY_SCHEDULE', '5s,soon'],
    ['WEBHOOK_RETRY_SCHEDULE', '5s,8d'],
    ['WEBHOOK_RETRY_SCHEDULE', Array(31).fill('1s').join(',')],
    ['WEBHOOK_TIMEOUT', '10 minutes'],
    ['WEBHOOK_TIMEOUT', '5m'],
    ['WEBHOOK_TIMEOUT', '50ms'],
    ['WEBHOOK_DISABLE_AFTER', '-1d'],
    ['WEBHOOK_CONCURRENCY', '0'],
    ['WEBHOOK_CONCURRENCY', 'lots'],
    ['WEBHOOK_WORKERS', 'sometimes'],
    ['WEBHOOK_POLL_INTERVAL', '1ms'],
    ['WEBHOOK_SWEEP_INTERVAL', '2h'],
    ['WEBHOOK_RETENTION', 'forever'],
  ]) {
    test(`${name}=${value.slice(0, 20)} stops start-up with a line naming it`, () => {
      assert.throws(() => loadConfig({}, { [name]: value }), (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, new RegExp(`^Invalid configuration: ${name} `));
        assert.doesNotMatch(error.message, /\n/);
        return true;
      });
    });
  }
});

describe('webhook dispatch parts', () => {
  test('Retry-After: seconds or an HTTP date; anything else is ignored', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('120', now), 120_000);
    assert.equal(parseRetryAfter(' 0 ', now), 0);
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now), 0, 'a date in the past means now');
    assert.equal(parseRetryAfter('soon', now), null);
    assert.equal(parseRetryAfter('-5', now), null);
    assert.equal(parseRetryAfter(undefined, now), null);
  });

  test('slots: take as many as are free, wait when none is', async () => {
    const slots = new Slots(3);
    assert.equal(await slots.take(2), 2);
    assert.equal(await slots.take(5), 1);
    let got = 0;
    const waiting = slots.take(4).then((n) => (got = n));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(got, 0, 'none free: it waits');
    slots.give(2);
    await waiting;
    assert.equal(got, 2);
  });

  test('one dispatcher lease per database: a second holder waits until the first releases it or it expires', async () => {
    const database = await createTestDatabase();
    const db = createDb(database.url);
    try {
      await migrateLatest(db);
      const first = new LeaderLease(new WebhookLockStore(db), systemClock, 'webhook-dispatcher', 60_000);
      const second = new LeaderLease(new WebhookLockStore(db), systemClock, 'webhook-dispatcher', 60_000);
      assert.equal(await first.hold(), true);
      assert.equal(await second.hold(), false);
      assert.equal(await first.hold(), true, 'the holder keeps it');
      await first.release();
      assert.equal(await second.hold(), true);
      assert.equal(await first.hold(), false);
      const clock = { now: () => new Date(Date.now() + 120_000) };
      assert.equal(await new LeaderLease(new WebhookLockStore(db), clock, 'webhook-dispatcher', 60_000).hold(), true, 'an expired lease is taken over');
    } finally {
      await db.destroy();
      await database.drop();
    }
  });
});
