import { validationError, type ErrorDetail } from '../support/errors';
import { DAY_MS, QUARTER_MS, type Interval, type TimeZone } from './zone';

/** Earliest and latest instants a range may touch: anything outside is a typo, not a question. */
export const EARLIEST = Date.UTC(2000, 0, 1);
export const LATEST = Date.UTC(2100, 0, 1);
export const DEFAULT_SPAN_MS = 30 * DAY_MS;

/** Longest range a time series may cover per interval (the requested range, before rounding to whole buckets). */
export const MAX_SPAN_MS: Record<Interval, number> = {
  hour: 31 * DAY_MS,
  day: 732 * DAY_MS,
  week: 1827 * DAY_MS,
  month: 7305 * DAY_MS,
};
const SPAN_NAMES: Record<Interval, string> = { hour: '31 days', day: '2 years', week: '5 years', month: '20 years' };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/;
const ZONED = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/i;
const FORMAT_MESSAGE = 'Must be an ISO 8601 date or timestamp, e.g. 2026-11-01, 2026-11-01T09:30 or 2026-11-01T14:30:00Z';

/** The wall-clock time of a date or zone-less date-time, as if UTC; null when malformed or not a calendar date. */
function wallClockOf(text: string): number | null {
  const match = DATE.exec(text) ?? LOCAL.exec(text);
  if (!match) return null;
  const [year, month, day, hour = 0, minute = 0, second = 0] = match.slice(1, 7).map((part) => Number(part ?? 0));
  const ms = Number((match[7] ?? '').padEnd(3, '0').slice(0, 3));
  const check = new Date(0);
  check.setUTCFullYear(year, month - 1, day); // not Date.UTC, which reads years 0–99 as 1900–1999
  check.setUTCHours(hour, minute, second, ms);
  const wall = check.getTime();
  const valid =
    check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === day && check.getUTCHours() === hour && check.getUTCMinutes() === minute && check.getUTCSeconds() === second;
  return valid ? wall : null;
}

function zonedInstantOf(text: string): number | null {
  const match = ZONED.exec(text);
  if (!match) return null;
  const local = wallClockOf(match[1]);
  if (local === null) return null;
  const fraction = (match[2] ?? '').padEnd(3, '0').slice(0, 3);
  const at = Date.parse(`${match[1]}${fraction ? `.${fraction}` : ''}${match[3].toUpperCase()}`);
  return Number.isNaN(at) ? null : at;
}

/** Why `text` is not a date input the analytics API takes, or null. */
export function dateInputProblem(text: string): string | null {
  return wallClockOf(text) !== null || zonedInstantOf(text) !== null ? null : FORMAT_MESSAGE;
}

/** The instant of a date input: a zone-less date or time is read on `zone`'s clock. */
export function instantOf(text: string, zone: TimeZone): number {
  const wall = wallClockOf(text);
  // Far outside the accepted range the zone does not matter: the range check refuses it.
  if (wall !== null) return wall < EARLIEST - DAY_MS || wall > LATEST + DAY_MS ? wall : zone.fromWallClock(wall);
  const at = zonedInstantOf(text);
  if (at === null) throw validationError([{ field: 'start', message: FORMAT_MESSAGE }]);
  return at;
}

export interface RangeInput {
  start?: string;
  end?: string;
  interval: Interval;
  zone: TimeZone;
  /** Time series refuse ranges with too many buckets for the interval. */
  series: boolean;
}

export interface ResolvedRange {
  /** Bucket boundaries: `bounds[0]` is the range's start, the last one its end; one bucket between each pair. */
  bounds: number[];
  start: number;
  end: number;
}

/** The requested range, exact: default end now, default start 30 days before the end. Refuses inverted or absurd ranges. */
export function requestedRange(input: Pick<RangeInput, 'start' | 'end' | 'zone'>, now: number): { start: number; end: number } {
  const end = input.end === undefined ? now : instantOf(input.end, input.zone);
  const start = input.start === undefined ? end - DEFAULT_SPAN_MS : instantOf(input.start, input.zone);
  const details: ErrorDetail[] = [];
  const within = (at: number) => at >= EARLIEST && at <= LATEST;
  if (!within(start)) details.push({ field: 'start', message: 'Must be between 2000-01-01 and 2100-01-01' });
  if (!within(end)) details.push({ field: 'end', message: 'Must be between 2000-01-01 and 2100-01-01' });
  if (details.length === 0 && start >= end) details.push({ field: 'end', message: input.end === undefined ? 'Must be after start (end defaults to now)' : 'Must be after start' });
  if (details.length) throw validationError(details);
  return { start, end };
}

/**
 * The range of a report, rounded outward to whole buckets of `interval` on the zone's calendar (like /usage), so every
 * bucket is complete and the same parameters give the same totals whatever `group_by` is.
 */
export function resolveRange(input: RangeInput, now: number): ResolvedRange {
  const { start, end } = requestedRange(input, now);
  if (input.series && end - start > MAX_SPAN_MS[input.interval]) {
    throw validationError([
      { field: 'interval', message: `A ${input.interval} time series covers at most ${SPAN_NAMES[input.interval]}; narrow the range or use a longer interval` },
    ]);
  }
  const { zone, interval } = input;
  // A breakdown needs only the rounded ends; a time series every boundary between them.
  const bounds = input.series ? zone.boundaries(interval, start, end) : [zone.startOf(interval, start), zone.endOf(interval, end)];
  if (bounds.some((at) => at % QUARTER_MS !== 0)) {
    // Only historical local mean times (before 2000 for every zone in use) are off whole quarter hours.
    throw validationError([{ field: 'timezone', message: 'This zone’s offset in that range is not a whole number of quarter hours' }]);
  }
  return { bounds, start: bounds[0], end: bounds[bounds.length - 1] };
}
