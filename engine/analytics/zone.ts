export type Interval = 'hour' | 'day' | 'week' | 'month';

export const MINUTE_MS = 60_000;
export const QUARTER_MS = 15 * MINUTE_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

interface LocalDate {
  year: number;
  month: number;
  day: number;
}

/** en-US with a 23-hour clock: "11/1/2026, 04:00:00". */
const WALL_CLOCK = /^(\d+)\/(\d+)\/(\d+), (\d+):(\d+):(\d+)$/;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(name: string): Intl.DateTimeFormat {
  let formatter = formatters.get(name);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(name, formatter);
  }
  return formatter;
}

/**
 * An IANA time zone's calendar: offsets, and the bucket boundaries of hours, days, weeks (Monday) and months as that
 * zone's clocks show them, daylight-saving days included (a day is 23, 24 or 25 hours long). Every boundary is a UTC
 * instant in epoch milliseconds.
 */
export class TimeZone {
  private readonly format: Intl.DateTimeFormat;
  private readonly offsets = new Map<number, number>();

  private constructor(readonly name: string) {
    this.format = formatterFor(name);
  }

  /**
   * The zone of an IANA name, `UTC` included; null when Intl does not know it. It keeps the name as given (Intl would
   * answer Asia/Calcutta for Asia/Kolkata), with the canonical spelling when the two differ only in case.
   */
  static of(name: string): TimeZone | null {
    if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(name)) return null;
    try {
      const canonical = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
      return new TimeZone(canonical.toLowerCase() === name.toLowerCase() ? canonical : name);
    } catch {
      return null;
    }
  }

  /** Local time minus UTC at `at`, in milliseconds; offsets change only on quarter hours, so one read serves a quarter. */
  offset(at: number): number {
    const slot = Math.floor(at / QUARTER_MS);
    let offset = this.offsets.get(slot);
    if (offset === undefined) {
      const start = slot * QUARTER_MS;
      const [, month, day, year, hour, minute, second] = (WALL_CLOCK.exec(this.format.format(start)) ?? []).map(Number);
      offset = Date.UTC(year, month - 1, day, hour, minute, second) - start;
      if (this.offsets.size >= 50_000) this.offsets.clear();
      this.offsets.set(slot, offset);
    }
    return offset;
  }

  /** The wall-clock time at `at`, written as if it were UTC (so Date.UTC arithmetic works on it). */
  wallClock(at: number): number {
    return at + this.offset(at);
  }

  /** The first instant whose wall-clock time is `wall` or later: the earlier one when clocks fall back, the end of the gap when they spring forward. */
  fromWallClock(wall: number): number {
    const candidates = [wall - this.offset(wall - DAY_MS), wall - this.offset(wall + DAY_MS)].filter((at) => this.wallClock(at) === wall);
    if (candidates.length) return Math.min(...candidates);
    // In a gap: binary search, to the minute, for the first instant whose clock reads `wall` or later.
    let low = wall - 15 * HOUR_MS;
    let high = wall + 15 * HOUR_MS;
    while (high - low > MINUTE_MS) {
      const middle = low + Math.floor((high - low) / 2 / MINUTE_MS) * MINUTE_MS;
      if (this.wallClock(middle) >= wall) high = middle;
      else low = middle;
    }
    return high;
  }

  private localDate(at: number): LocalDate {
    const wall = new Date(this.wallClock(at));
    return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() };
  }

  /** The start of the local day `year-month-day` (months and days may overflow; Date.UTC normalises them). */
  startOfDate(year: number, month: number, day: number): number {
    return this.fromWallClock(Date.UTC(year, month - 1, day));
  }

  private minuteOfHour(at: number): number {
    return Math.floor((((this.wallClock(at) % HOUR_MS) + HOUR_MS) % HOUR_MS) / MINUTE_MS);
  }

  /** The start of the bucket holding `at`. */
  startOf(interval: Interval, at: number): number {
    if (interval === 'hour') {
      // Offsets are whole quarter hours: step back quarter by quarter to the instant the clock read hh:00.
      let start = Math.floor(at / QUARTER_MS) * QUARTER_MS;
      for (let i = 0; i < 12 && this.minuteOfHour(start) !== 0; i++) start -= QUARTER_MS;
      return start;
    }
    const { year, month, day } = this.localDate(at);
    if (interval === 'month') return this.startOfDate(year, month, 1);
    if (interval === 'week') {
      const weekday = (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7; // Monday = 0
      return this.startOfDate(year, month, day - weekday);
    }
    return this.startOfDate(year, month, day);
  }

  /** The start of the bucket after the one starting at `start`. */
  next(interval: Interval, start: number): number {
    // Fast path: no offset change before the plain next boundary (a boundary that is an exact hh:00 or midnight).
    const wall = this.wallClock(start);
    const plain = interval === 'hour' ? HOUR_MS : interval === 'day' ? DAY_MS : interval === 'week' ? 7 * DAY_MS : 0;
    const aligned = interval === 'hour' ? wall % HOUR_MS === 0 : wall % DAY_MS === 0;
    if (plain && aligned && this.offset(start + plain) === this.offset(start)) return start + plain;
    if (interval === 'hour') {
      let next = start + QUARTER_MS;
      for (let i = 0; i < 12 && this.minuteOfHour(next) !== 0; i++) next += QUARTER_MS;
      return next;
    }
    const { year, month, day } = this.localDate(start);
    if (interval === 'month') return this.startOfDate(year, month + 1, 1);
    return this.startOfDate(year, month, day + (interval === 'week' ? 7 : 1));
  }

  /** The end of the bucket holding the instant just before `at`: `at` itself when it is a boundary. */
  endOf(interval: Interval, at: number): number {
    const start = this.startOf(interval, at);
    return start === at ? at : this.next(interval, start);
  }

  /** Bucket boundaries covering [from, to): the first is at or before `from`, the last at or after `to`. */
  boundaries(interval: Interval, from: number, to: number): number[] {
    const bounds = [this.startOf(interval, from)];
    while (bounds[bounds.length - 1] < to) bounds.push(this.next(interval, bounds[bounds.length - 1]));
    return bounds;
  }
}
