import { dateInputProblem, instantOf as analyticsInstantOf } from '../../analytics/range';
import { TimeZone, DAY_MS } from '../../analytics/zone';
import type { Condition } from './types';
import { WEEKDAYS } from './types';

/**
 * What a rule can ask about one visit. Everything but `now` is a function, so a fact no condition asks for is never
 * computed (parsing the user agent, the Accept-Language header or the query costs more than most rules do).
 */
export interface VisitFacts {
  now: number;
  country(): string | null;
  device(): string;
  os(): string | null;
  browser(): string | null;
  bot(): boolean;
  /** Accept-Language tags, most preferred first, in lower case (q=0 and `*` left out). */
  languages(): readonly string[];
  /** The values of a query parameter of the short URL (empty when absent). */
  query(name: string): readonly string[];
  /** The referrer's host name in lower case, or null. */
  referrerHost(): string | null;
}

export type Predicate = (facts: VisitFacts) => boolean;

const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/;

/** Seconds since midnight of an `HH:MM[:SS]` time, or null when `value` is not one. */
export function secondsOfDay(value: string): number | null {
  const match = TIME_OF_DAY.exec(value);
  return match ? Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3] ?? 0) : null;
}

/**
 * An instant from an ISO 8601 date and time with a zone, or from a local date and time (no zone) read in `zone`; null
 * when `value` is neither (a date alone is not a point in time here). The analytics API's date parsing, so both take
 * the same timestamps and refuse the same impossible ones (2026-02-30, 24:00, 09:61).
 */
export function instantOf(value: string, zone: TimeZone): number | null {
  return /T/i.test(value) && dateInputProblem(value) === null ? analyticsInstantOf(value, zone) : null;
}

const lowerSet = (values: readonly string[]) => new Set(values.map((value) => value.toLowerCase()));

/** The visitor's preferred language matches `wanted` (`de` matches `de` and `de-AT`; `de-AT` only `de-AT`). */
const languageMatches = (preferred: string, wanted: string) => preferred === wanted || preferred.startsWith(`${wanted}-`);

const hostMatches = (host: string, wanted: string) => host === wanted || host.endsWith(`.${wanted}`);

function timePredicate(condition: Extract<Condition, { type: 'time' }>): Predicate {
  const zone = TimeZone.of(condition.timezone) ?? (TimeZone.of('UTC') as TimeZone);
  const days = condition.days ? new Set(condition.days.map((day) => WEEKDAYS.indexOf(day))) : null;
  const weekdayOf = (at: number) => (new Date(zone.wallClock(at)).getUTCDay() + 6) % 7;
  const dayOk = (at: number) => days === null || days.has(weekdayOf(at));
  const startOfDay = secondsOfDay(condition.start);
  const endOfDay = secondsOfDay(condition.end);
  if (startOfDay !== null && endOfDay !== null) {
    return ({ now }) => {
      const wall = zone.wallClock(now);
      const seconds = Math.floor((((wall % DAY_MS) + DAY_MS) % DAY_MS) / 1000);
      return seconds >= startOfDay && seconds < endOfDay && dayOk(now);
    };
  }
  const start = instantOf(condition.start, zone) ?? Number.POSITIVE_INFINITY;
  const end = instantOf(condition.end, zone) ?? Number.NEGATIVE_INFINITY;
  return ({ now }) => now >= start && now < end && dayOk(now);
}

/** A condition as a function of the visit, with its lists turned into sets once (when the link is loaded). */
export function compileCondition(condition: Condition): Predicate {
  switch (condition.type) {
    case 'country': {
      const codes = new Set(condition.values);
      return (facts) => {
        const country = facts.country();
        return country !== null && codes.has(country);
      };
    }
    case 'device': {
      const types = new Set<string>(condition.values);
      return (facts) => types.has(facts.device());
    }
    case 'os': {
      const names = lowerSet(condition.values);
      return (facts) => names.has(facts.os()?.toLowerCase() ?? '');
    }
    case 'browser': {
      const names = lowerSet(condition.values);
      return (facts) => names.has(facts.browser()?.toLowerCase() ?? '');
    }
    case 'language': {
      const wanted = condition.values.map((tag) => tag.toLowerCase());
      return (facts) => {
        const preferred = facts.languages()[0];
        return preferred !== undefined && wanted.some((tag) => languageMatches(preferred, tag));
      };
    }
    case 'time':
      return timePredicate(condition);
    case 'query': {
      const { name, value } = condition;
      return value === undefined ? (facts) => facts.query(name).length > 0 : (facts) => facts.query(name).includes(value);
    }
    case 'referrer': {
      const hosts = condition.values.map((host) => host.toLowerCase());
      return (facts) => {
        const host = facts.referrerHost();
        return host !== null && hosts.some((wanted) => hostMatches(host, wanted));
      };
    }
    case 'bot': {
      const { value } = condition;
      return (facts) => facts.bot() === value;
    }
  }
}

/** All conditions hold (a rule without conditions always matches). */
export function compileConditions(conditions: readonly Condition[]): Predicate {
  const predicates = conditions.map(compileCondition);
  if (predicates.length === 1) return predicates[0];
  return (facts) => {
    for (const predicate of predicates) if (!predicate(facts)) return false;
    return true;
  };
}
