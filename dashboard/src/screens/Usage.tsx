import { useMemo, useState } from 'preact/hooks';
import { usage, type UsageMetrics } from '../api-admin';
import { LoadError, PageHead, TableRegion, useResource } from '../components/common';
import { Field } from '../components/Field';
import { lazy } from '../components/Lazy';
import { Empty, Loading } from '../components/Loading';
import { formatNumber } from '../format';
import '../admin.css';

const LineChart = lazy(() => import('../components/LineChart'));

const RANGES = {
  '1h': { label: 'Last hour', ms: 3600e3, interval: 'minute' },
  '24h': { label: 'Last 24 hours', ms: 86400e3, interval: 'hour' },
  '7d': { label: 'Last 7 days', ms: 7 * 86400e3, interval: 'hour' },
  '30d': { label: 'Last 30 days', ms: 30 * 86400e3, interval: 'day' },
} as const;
type Range = keyof typeof RANGES;

const METRIC_COLUMNS: [string, string][] = ['Requests', 'Errors', '429s', 'p50', 'p95'].map((name) => [name, 'num']);

const ms = (value: number | null) => (value === null ? '—' : `${Math.round(value)} ms`);

function Row({ label, metrics, mono }: { label: string; metrics: UsageMetrics; mono?: boolean }) {
  return (
    <tr>
      <th scope="row" class={mono ? 'mono' : undefined}>
        {label}
      </th>
      <td class="num">{formatNumber(metrics.requests)}</td>
      <td class="num">{formatNumber(metrics.errors)}</td>
      <td class="num">{formatNumber(metrics.rate_limited)}</td>
      <td class="num">{ms(metrics.latency_ms.p50)}</td>
      <td class="num">{ms(metrics.latency_ms.p95)}</td>
    </tr>
  );
}

/** One table of metrics by key or by endpoint, in its own card. */
function Breakdown({ title, first, rows, mono }: { title: string; first: string; rows: { label: string; metrics: UsageMetrics }[]; mono?: boolean }) {
  return (
    <section class="card" aria-label={title}>
      <h2>{title}</h2>
      <TableRegion label={`Usage ${title.toLowerCase()}`} columns={[first, ...METRIC_COLUMNS]}>
        {rows.map((row) => (
          <Row key={row.label} label={row.label} metrics={row.metrics} mono={mono} />
        ))}
      </TableRegion>
    </section>
  );
}

export default function Usage() {
  const [range, setRange] = useState<Range>('24h');
  const [keyId, setKeyId] = useState('');
  const [route, setRoute] = useState('');
  const report = useResource(() => {
    const end = new Date();
    const start = new Date(end.getTime() - RANGES[range].ms);
    return usage.report({ start: start.toISOString(), end: end.toISOString(), interval: RANGES[range].interval, key_id: keyId || undefined, route: route || undefined });
  }, [range, keyId, route]);
  const data = report.data;
  const chart = useMemo(
    () =>
      data && {
        times: data.timeseries.map((p) => p.start),
        series: [
          { label: 'Requests', values: data.timeseries.map((p) => p.requests), color: '--accent' },
          { label: 'Errors', values: data.timeseries.map((p) => p.errors), color: '--danger' },
          { label: '429s', values: data.timeseries.map((p) => p.rate_limited), color: '--accent-2', dash: [6, 4] },
        ],
      },
    [data],
  );

  return (
    <>
      <PageHead title="Usage" />
      <div class="filters">
        <Field id="usage-range" label="Range">
          <select id="usage-range" value={range} onChange={(e) => setRange(e.currentTarget.value as Range)}>
            {Object.entries(RANGES).map(([value, option]) => (
              <option value={value} key={value}>
                {option.label}
              </option>
            ))}
          </select>
        </Field>
        <Field id="usage-key" label="Key">
          <select id="usage-key" value={keyId} onChange={(e) => setKeyId(e.currentTarget.value)}>
            <option value="">All keys and sessions</option>
            {data?.keys.map((key) => (
              <option value={key.key_id} key={key.key_id}>
                {key.name ?? key.key_id}
              </option>
            ))}
            {keyId && !data?.keys.some((key) => key.key_id === keyId) && <option value={keyId}>{keyId}</option>}
          </select>
        </Field>
        <Field id="usage-route" label="Endpoint">
          <select id="usage-route" value={route} onChange={(e) => setRoute(e.currentTarget.value)}>
            <option value="">All endpoints</option>
            {[...new Set(data?.endpoints.map((endpoint) => endpoint.route) ?? [])].map((r) => (
              <option value={r} key={r}>
                {r}
              </option>
            ))}
            {route && !data?.endpoints.some((endpoint) => endpoint.route === route) && <option value={route}>{route}</option>}
          </select>
        </Field>
      </div>
      {report.error ? (
        <LoadError message={report.error} retry={report.reload} />
      ) : !data || !chart ? (
        <Loading label="Loading usage…" />
      ) : (
        <>
          <div class="totals" role="group" aria-label="Totals">
            {[
              ['Requests', formatNumber(data.totals.requests)],
              ['Errors', formatNumber(data.totals.errors)],
              ['429s', formatNumber(data.totals.rate_limited)],
              ['p50 latency', ms(data.totals.latency_ms.p50)],
              ['p95 latency', ms(data.totals.latency_ms.p95)],
            ].map(([label, value]) => (
              <div class="stat" key={label}>
                <p class="stat-label">{label}</p>
                <p class="stat-value">{value}</p>
              </div>
            ))}
          </div>
          <section class="card chart-box" aria-labelledby="usage-chart-title">
            <h2 id="usage-chart-title">Requests, errors and 429s over time</h2>
            {data.totals.requests === 0 ? <Empty title="No requests in this range." /> : <LineChart times={chart.times} series={chart.series} height={240} />}
          </section>
          <Breakdown
            title="By key"
            first="Key"
            rows={data.keys.map((key) => ({ label: `${key.name ?? key.key_id}${key.prefix ? ` (${key.prefix}…)` : ''}`, metrics: key }))}
          />
          <Breakdown title="By endpoint" first="Endpoint" mono rows={data.endpoints.map((endpoint) => ({ label: `${endpoint.method} ${endpoint.route}`, metrics: endpoint }))} />
        </>
      )}
    </>
  );
}
