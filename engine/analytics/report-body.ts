import type { LinkOwner } from '../store/links';
import { toIso } from '../support/time';
import type { ClickFilters } from './queries';
import { resolveRange, type ResolvedRange } from './range';
import { TimeZone, type Interval } from './zone';

const iso = (ms: number) => toIso(ms) as string;

/** A report request as the contracts validate it. */
export interface ReportQuery<G extends string> {
  group_by: G;
  interval: Interval;
  timezone: string;
  start?: string;
  end?: string;
  limit: number;
}

/** What answers reports: a time series over bucket bounds, or the top `limit` values of a dimension. */
export interface ReportSource<G extends string, R extends { totals: unknown; data: object[] }> {
  timeseries(owner: LinkOwner, filters: ClickFilters, bounds: number[]): Promise<R>;
  breakdown(owner: LinkOwner, filters: ClickFilters, groupBy: Exclude<G, 'timeseries'>, start: number, end: number, limit: number): Promise<R>;
}

/** A report as the API answers it: what was asked, the range rounded to whole buckets, totals and items. */
function reportBody<G extends string, I extends string, T, D extends object>(
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

/**
 * Answers a report request from `source`: the range resolved on the query's calendar, the clicks this process still
 * buffers written first (so the report includes clicks made just before it), then the series or the breakdown.
 */
export async function answerReport<G extends string, R extends { totals: unknown; data: object[] }>(
  source: ReportSource<G, R>,
  owner: LinkOwner,
  query: ReportQuery<G>,
  filters: ClickFilters,
  now: number,
  flushClicks: () => Promise<void>,
) {
  const zone = TimeZone.of(query.timezone) as TimeZone; // validated by the contract
  const series = query.group_by === 'timeseries';
  const range = resolveRange({ start: query.start, end: query.end, interval: query.interval, zone, series }, now);
  await flushClicks();
  const result = series
    ? await source.timeseries(owner, filters, range.bounds)
    : await source.breakdown(owner, filters, query.group_by as Exclude<G, 'timeseries'>, range.start, range.end, query.limit);
  return reportBody(query, zone, range, result);
}
