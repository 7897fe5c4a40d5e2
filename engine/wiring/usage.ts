import { UsageStore } from '../store/usage';
import { UsageFlushBroadcast } from '../usage/flush-broadcast';
import { UsageRecorder } from '../usage/recorder';
import { UsageReports } from '../usage/report';
import type { Foundation } from './foundation';

/** The usage recorder and its reports; with Redis, a report first has every process flush what it buffers. */
export function wireUsage({ config, db, clock, logger, lifecycle, redis }: Foundation): { usage: UsageRecorder; usageReports: UsageReports } {
  const store = new UsageStore(db);
  const usage = new UsageRecorder(store, clock, logger, { flushMs: config.usageFlushSeconds * 1000, retentionDays: config.usageRetentionDays });
  lifecycle.onStart(() => usage.start());
  lifecycle.onClose(() => usage.close());
  if (!redis) return { usage, usageReports: new UsageReports(store, () => usage.flush()) };
  const broadcast = new UsageFlushBroadcast(config.redisUrl as string, config.redisPrefix, redis, usage, logger);
  lifecycle.onStart(() => broadcast.open());
  lifecycle.onClose(() => broadcast.close());
  return { usage, usageReports: new UsageReports(store, () => broadcast.flushAll()) };
}
