import { validationError } from '../support/errors';
import { INTERVAL_MS, type Interval } from './report';
import { MINUTE_RETENTION_MS } from './recorder';

const MAX_POINTS = 1_440;
const DEFAULT_SPAN_MS: Record<Interval, number> = { minute: 3_600_000, hour: 86_400_000, day: 30 * 86_400_000 };

/**
 * The range of a usage report, aligned to whole intervals (UTC): `start` rounded down, `end` rounded up, so the
 * interval in progress is included; by default the last 60 minutes, 24 hours or 30 days. Refuses ranges that are
 * empty, finer than the data kept, or too long for one answer.
 */
export function resolveRange(input: { start?: Date; end?: Date; interval: Interval }, now: number): { start: number; end: number } {
  const step = INTERVAL_MS[input.interval];
  const endAt = input.end?.getTime() ?? now;
  const end = Math.ceil(endAt / step) * step;
  const startAt = input.start?.getTime() ?? end - DEFAULT_SPAN_MS[input.interval];
  if (startAt >= endAt) throw validationError([{ field: 'end', message: 'Must be after start' }]);
  const start = Math.floor(startAt / step) * step;
  if (input.interval === 'minute' && start < now - MINUTE_RETENTION_MS - step) {
    throw validationError([{ field: 'interval', message: 'Minute detail is kept for 48 hours; use hour or day for older ranges' }]);
  }
  if ((end - start) / step > MAX_POINTS) {
    throw validationError([{ field: 'start', message: `The range holds more than ${MAX_POINTS} ${input.interval}s; narrow it or use a longer interval` }]);
  }
  return { start, end };
}
