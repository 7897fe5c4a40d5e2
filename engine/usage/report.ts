import type { Mode } from '../domain/scopes';
import type { UsageFilter, UsageStore, UsageSums } from '../store/usage';
import { LATENCY_BUCKETS, quantile } from './histogram';
import { RESOLUTION_MS } from './recorder';

export const INTERVAL_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;
export type Interval = keyof typeof INTERVAL_MS;

export interface UsageQuery {
  workspaceId: string;
  mode: Mode;
  /** Aligned to `interval`; `end` exclusive. */
  start: number;
  end: number;
  interval: Interval;
  keyId?: string;
  method?: string;
  route?: string;
  status?: number;
}

export interface Metrics {
  requests: number;
  status_classes: { '2xx': number; '3xx': number; '4xx': number; '5xx': number };
  errors: number;
  rate_limited: number;
  latency_ms: { p50: number | null; p95: number | null; avg: number | null };
}

export interface UsageReport {
  totals: Metrics;
  timeseries: Array<{ start: number } & Metrics>;
  keys: Array<{ key_id: string; name: string | null; prefix: string | null } & Metrics>;
  endpoints: Array<{ method: string; route: string } & Metrics>;
  statuses: Array<{ status: number } & Metrics>;
}

type SummedRow = UsageSums;

/** Sums of usage rows, turned into the metrics the API shows. */
class Tally {
  private requests = 0;
  private durationMs = 0;
  private readonly classes = { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 };
  private rateLimited = 0;
  private readonly latency = new Array<number>(LATENCY_BUCKETS).fill(0);

  add(row: SummedRow): this {
    const requests = Number(row.requests);
    this.requests += requests;
    this.durationMs += Number(row.duration_ms_sum);
    const statusClass = `${Math.floor(row.status / 100)}xx` as keyof Tally['classes'];
    if (statusClass in this.classes) this.classes[statusClass] += requests;
    if (row.status === 429) this.rateLimited += requests;
    row.latency.forEach((count, i) => (this.latency[i] += Number(count)));
    return this;
  }

  metrics(): Metrics {
    return {
      requests: this.requests,
      status_classes: { ...this.classes },
      errors: this.classes['4xx'] + this.classes['5xx'],
      rate_limited: this.rateLimited,
      latency_ms: {
        p50: quantile(this.latency, 0.5),
        p95: quantile(this.latency, 0.95),
        avg: this.requests ? Math.round((this.durationMs / this.requests) * 10) / 10 : null,
      },
    };
  }
}

function tallyBy<R extends SummedRow, K>(rows: R[], keyOf: (row: R) => K): Map<K, Tally> {
  const groups = new Map<K, Tally>();
  for (const row of rows) {
    const key = keyOf(row);
    let tally = groups.get(key);
    if (!tally) groups.set(key, (tally = new Tally()));
    tally.add(row);
  }
  return groups;
}

const byRequests = (a: Metrics, b: Metrics) => b.requests - a.requests;

/** Usage over a range, from the stored counters, after `flushBuffered` has written what processes still hold. */
export class UsageReports {
  constructor(
    private readonly store: UsageStore,
    private readonly flushBuffered: () => Promise<void>,
  ) {}

  private filter(query: UsageQuery): UsageFilter {
    const bucketMs = query.interval === 'minute' ? RESOLUTION_MS.minute : RESOLUTION_MS.hour;
    const { workspaceId, mode, start, end, keyId, method, route, status } = query;
    return { workspaceId, mode, bucketMs, start, end, keyId, method, route, status };
  }

  async report(query: UsageQuery): Promise<UsageReport> {
    await this.flushBuffered();
    const intervalMs = INTERVAL_MS[query.interval];
    // intervalMs comes from INTERVAL_MS, never from the request (the store inlines it in the SQL).
    const [combinations, series] = await Promise.all([this.store.sumsByCombination(this.filter(query)), this.store.sumsBySlot(this.filter(query), intervalMs)]);

    const perSlot = tallyBy(series, (row) => Number(row.slot));
    const timeseries: UsageReport['timeseries'] = [];
    for (let start = query.start; start < query.end; start += intervalMs) {
      timeseries.push({ start, ...(perSlot.get(start) ?? new Tally()).metrics() });
    }

    const perKey = tallyBy(combinations, (row) => row.key_id);
    const names = await this.store.keyNames(query.workspaceId, [...perKey.keys()]);
    const perEndpoint = tallyBy(combinations, (row) => `${row.method} ${row.route}`);
    const perStatus = tallyBy(combinations, (row) => row.status);

    return {
      totals: combinations.reduce((tally, row) => tally.add(row), new Tally()).metrics(),
      timeseries,
      keys: [...perKey].map(([keyId, tally]) => ({ key_id: keyId, name: names.get(keyId)?.name ?? null, prefix: names.get(keyId)?.prefix ?? null, ...tally.metrics() })).sort(byRequests),
      endpoints: [...perEndpoint]
        .map(([endpoint, tally]) => {
          const space = endpoint.indexOf(' ');
          return { method: endpoint.slice(0, space), route: endpoint.slice(space + 1), ...tally.metrics() };
        })
        .sort(byRequests),
      statuses: [...perStatus].map(([status, tally]) => ({ status, ...tally.metrics() })).sort((a, b) => a.status - b.status),
    };
  }
}
