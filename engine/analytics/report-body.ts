import { toIso } from '../support/time';
import type { ResolvedRange } from './range';
import type { TimeZone } from './zone';

const iso = (ms: number) => toIso(ms) as string;

/** A report as the API answers it: what was asked, the range rounded to whole buckets, totals and items. */
export function reportBody<G extends string, I extends string, T, D extends object>(
  query: { group_by: G; interval: I },
  zone: TimeZone,
  range: Pick<ResolvedRange, 'start' | 'end'>,
  result: { totals: T; data: D[] },
) {
  return {
    group_by: query.group_by,
    interval: query.interval,
    timezone: zone.name,
    start: iso(range.start),
    end: iso(range.end),
    totals: result.totals,
    data: result.data.map((item) => ('start' in item ? { ...item, start: iso(item.start as number) } : item)),
  };
}
