import type { ComponentType } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { analytics, ApiError, links, type AnalyticsQuery, type AnalyticsReport, type Group, type GroupBy, type Interval, type Link, type SeriesPoint } from '../api';
import { save } from '../components/common';
import { describe, Field } from '../components/Field';
import { Empty, Loading } from '../components/Loading';
import { toast } from '../components/Toasts';
import { addDays, browserTimeZone, displayUrl, formatNumber } from '../format';
import { href } from '../router';
import { errorText } from './SignIn';
import { routing } from '../api-routing';

type ChartProps = { points: SeriesPoint[]; timezone: string; interval: Interval; height: number };
let chartModule: Promise<ComponentType<ChartProps>> | null = null;

/** uPlot and the chart are a separate chunk, fetched (from this server) only when a chart is shown. */
function LazyChart(props: ChartProps) {
  const [Chart, setChart] = useState<ComponentType<ChartProps> | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    chartModule ??= import('../components/Chart').then((module) => module.default);
    chartModule.then((component) => setChart(() => component), () => setFailed(true));
  }, []);
  if (failed) return <p class="form-error">The chart could not be loaded; the table below has the numbers.</p>;
  return Chart ? <Chart {...props} /> : <Loading label="Drawing the chart…" rows={4} />;
}

const CHART_HEIGHT = 280;
const PRESETS = { '24h': 'Last 24 hours', '7d': 'Last 7 days', '30d': 'Last 30 days', '90d': 'Last 90 days', custom: 'Custom range' } as const;
type Preset = keyof typeof PRESETS;
type Dimension = Exclude<GroupBy, 'timeseries'>;

interface DimensionInfo {
  key: Dimension;
  title: string;
  column: string;
  unknown: string;
}

const DIMENSIONS: DimensionInfo[] = [
  { key: 'referrer', title: 'Referrers', column: 'Referrer', unknown: 'Direct or none' },
  { key: 'country', title: 'Countries', column: 'Country', unknown: 'Unknown' },
  { key: 'device', title: 'Devices', column: 'Device', unknown: 'Unknown' },
  { key: 'browser', title: 'Browsers', column: 'Browser', unknown: 'Unknown' },
  { key: 'os', title: 'Operating systems', column: 'System', unknown: 'Unknown' },
];
const TOP_LINKS: DimensionInfo = { key: 'link', title: 'Top links', column: 'Link', unknown: 'Unknown' };
/** A single link's clicks by the routing rule and the A/B variant that served them. */
const ROUTING: DimensionInfo[] = [
  { key: 'rule', title: 'Routing rules', column: 'Rule', unknown: 'No rule (own destination)' },
  { key: 'variant', title: 'A/B variants', column: 'Variant', unknown: 'No variant (primary)' },
];

/** Today's calendar date in a time zone (`YYYY-MM-DD`). */
function todayIn(timezone: string): string {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  } catch {
    return new Date().toISOString().slice(0, 10);
  }
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The interval the API allows for a range: hour up to 31 days, day up to 2 years, week up to 5, month beyond. */
function intervalFor(days: number): Interval {
  if (days <= 2) return 'hour';
  if (days <= 730) return 'day';
  if (days <= 1826) return 'week';
  return 'month';
}

/**
 * The query of a preset. Day presets are whole calendar days in the chosen zone, ending with today; the API reads
 * zone-less dates in `timezone`, and `end` is exclusive.
 */
function rangeOf(preset: Preset, now: number, timezone: string, from: string, to: string): Pick<AnalyticsQuery, 'start' | 'end' | 'interval'> | null {
  if (preset === '24h') {
    return { start: new Date(now - 86_400_000).toISOString(), end: new Date(now).toISOString(), interval: 'hour' };
  }
  if (preset === 'custom') {
    if (!from || !to || to < from) return null;
    return { start: from, end: addDays(to, 1), interval: intervalFor(daysBetween(from, to) + 1) };
  }
  const days = { '7d': 7, '30d': 30, '90d': 90 }[preset];
  const today = todayIn(timezone);
  return { start: addDays(today, 1 - days), end: addDays(today, 1), interval: 'day' };
}

interface Reports {
  series: AnalyticsReport<SeriesPoint>;
  groups: Partial<Record<Dimension, Group[]>>;
}

const regionNames = (() => {
  try {
    return new Intl.DisplayNames(undefined, { type: 'region' });
  } catch {
    return null;
  }
})();

function groupLabel(dimension: Dimension, value: string | null, unknown: string): string {
  if (value === null || value === '') return unknown;
  if (dimension === 'country') {
    try {
      const name = regionNames?.of(value.toUpperCase());
      return name && name !== value ? `${name} (${value.toUpperCase()})` : value;
    } catch {
      return value;
    }
  }
  return value;
}

export function Analytics({ linkId }: { linkId?: string }) {
  // Rule ids of the "Routing rules" breakdown read as their place in the list ("Rule 2").
  const [ruleNames, setRuleNames] = useState<Record<string, string>>({});
  useEffect(() => {
    if (!linkId) return;
    routing.rules(linkId).then(
      (answer) => setRuleNames(Object.fromEntries(answer.data.map((rule, index) => [rule.id, `Rule ${index + 1}`]))),
      () => setRuleNames({}),
    );
  }, [linkId]);
  const [preset, setPreset] = useState<Preset>('30d');
  // The instant "last 24 hours" ends at: fixed when a preset is picked, so re-renders do not move the range.
  const [now, setNow] = useState(() => Date.now());
  const [from, setFrom] = useState(() => addDays(todayIn(browserTimeZone()), -13));
  const [to, setTo] = useState(() => todayIn(browserTimeZone()));
  const [timezone, setTimezone] = useState(browserTimeZone);
  const [zoneText, setZoneText] = useState(timezone);
  const [link, setLink] = useState<Link | null | undefined>(linkId ? undefined : null);
  const [reports, setReports] = useState<Reports | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState('');
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [exporting, setExporting] = useState(false);
  const zones = useMemo(() => {
    try {
      return (Intl as unknown as { supportedValuesOf(key: string): string[] }).supportedValuesOf('timeZone');
    } catch {
      return [];
    }
  }, []);

  const range = rangeOf(preset, now, timezone, from, to);
  const query: AnalyticsQuery | null = range ? { ...range, timezone, link_id: linkId } : null;
  const queryKey = JSON.stringify(query);

  useEffect(() => {
    if (!linkId) {
      document.title = 'Analytics · MASK';
      return;
    }
    links.get(linkId).then(
      (found) => {
        setLink(found);
        document.title = `Analytics of ${displayUrl(found.short_url)} · MASK`;
      },
      (caught) => {
        setLink(null);
        setError(caught instanceof ApiError && caught.status === 404 ? 'This link does not exist in this workspace.' : errorText(caught));
      },
    );
  }, [linkId]);

  useEffect(() => {
    if (!query) {
      setLoading(false);
      setFieldErrors({ range: 'Pick a start and an end date, the start first.' });
      return;
    }
    const controller = new AbortController();
    setLoading(true);
    setError('');
    setFieldErrors({});
    const dimensions: Dimension[] = [...DIMENSIONS.map((d) => d.key), ...(linkId ? ROUTING.map((d) => d.key) : (['link'] as const))];
    Promise.all([analytics.series(query, controller.signal), ...dimensions.map((d) => analytics.breakdown(query, d, controller.signal))]).then(
      ([series, ...breakdowns]) => {
        const groups: Reports['groups'] = {};
        dimensions.forEach((d, i) => (groups[d] = breakdowns[i].data));
        setReports({ series, groups });
        setLoading(false);
      },
      (caught) => {
        if (controller.signal.aborted) return;
        if (caught instanceof ApiError && caught.details.length) {
          const byField = caught.fieldErrors(['timezone', 'start', 'end', 'interval']);
          setFieldErrors({ timezone: byField.timezone ?? '', range: [byField.start, byField.end, byField.interval].filter(Boolean).join(' ') });
          setError(byField[''] ?? '');
        } else setError(errorText(caught));
        setReports(null);
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [queryKey]);

  const exportCsv = async () => {
    if (!query) return;
    setExporting(true);
    try {
      const name = `clicks${link ? `-${link.slug}` : ''}-${query.start?.slice(0, 10)}.csv`;
      save(await analytics.exportCsv(query), name);
      toast(`Exported ${name}`);
    } catch (caught) {
      toast(errorText(caught), 'error');
    } finally {
      setExporting(false);
    }
  };

  const applyZone = () => {
    const name = zoneText.trim() || browserTimeZone();
    setZoneText(name);
    setTimezone(name);
  };

  const series = reports?.series;
  const empty = series && series.totals.clicks === 0;
  const timeFormat = useMemo(
    () =>
      new Intl.DateTimeFormat(undefined, {
        timeZone: safeZone(timezone),
        ...(series?.interval === 'hour' ? { dateStyle: 'medium', timeStyle: 'short' } : { dateStyle: 'medium' }),
      }),
    [timezone, series?.interval],
  );

  return (
    <>
      <div class="page-head">
        <div>
          {linkId && (
            <p class="crumbs">
              <a href={href('links')}>Links</a> <span aria-hidden="true">/</span>
            </p>
          )}
          <h1>{linkId ? (link ? `Analytics of ${displayUrl(link.short_url)}` : 'Link analytics') : 'Workspace analytics'}</h1>
          {link && (
            <p class="subtle truncate" title={link.url}>
              → {displayUrl(link.url)}
            </p>
          )}
        </div>
        <button type="button" onClick={() => void exportCsv()} disabled={!query || exporting}>
          {exporting ? 'Exporting…' : 'Export CSV'}
        </button>
      </div>

      <form class="filters" aria-label="Analytics range" onSubmit={(e) => (e.preventDefault(), applyZone())}>
        <fieldset class="presets">
          <legend>Range</legend>
          {Object.entries(PRESETS).map(([key, label]) => (
            <label key={key} class={`chip ${preset === key ? 'chip-on' : ''}`}>
              <input type="radio" name="preset" value={key} checked={preset === key} onChange={() => {
                  setNow(Date.now());
                  setPreset(key as Preset);
                }}
              />
              {label}
            </label>
          ))}
        </fieldset>
        {preset === 'custom' && (
          <>
            <Field id="range-from" label="From" error={fieldErrors.range}>
              <input {...describe('range-from', fieldErrors.range)} type="date" value={from} max={to} onChange={(e) => setFrom(e.currentTarget.value)} />
            </Field>
            <Field id="range-to" label="To (inclusive)">
              <input {...describe('range-to')} type="date" value={to} min={from} onChange={(e) => setTo(e.currentTarget.value)} />
            </Field>
          </>
        )}
        <Field id="range-zone" label="Time zone" error={fieldErrors.timezone}>
          <input
            {...describe('range-zone', fieldErrors.timezone)}
            list="range-zone-options"
            value={zoneText}
            onInput={(e) => setZoneText(e.currentTarget.value)}
            onChange={applyZone}
            autocomplete="off"
            spellcheck={false}
          />
          <datalist id="range-zone-options">
            {zones.map((zone) => (
              <option value={zone} key={zone} />
            ))}
          </datalist>
        </Field>
        {preset !== 'custom' && fieldErrors.range && <p class="field-error">{fieldErrors.range}</p>}
      </form>

      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}

      <section aria-labelledby="totals-title" class="totals">
        <h2 id="totals-title" class="visually-hidden">
          Totals
        </h2>
        <div class="stat">
          <span class="stat-label">Clicks</span>
          <span class="stat-value">{series && !loading ? formatNumber(series.totals.clicks) : '–'}</span>
        </div>
        <div class="stat">
          <span class="stat-label">Unique visitors</span>
          <span class="stat-value">{series && !loading ? formatNumber(series.totals.unique_visitors) : '–'}</span>
        </div>
        <p class="muted stat-note" aria-live="polite">
          {loading ? 'Loading…' : series ? `${timeFormat.format(new Date(series.start))} – ${timeFormat.format(new Date(Date.parse(series.end) - 1))} · ${series.timezone}` : ''}
        </p>
      </section>

      <section aria-labelledby="chart-title" class="card">
        <h2 id="chart-title">Clicks over time</h2>
        <div class="chart-box" style={{ height: `${CHART_HEIGHT + 40}px` }}>
          {loading ? (
            <Loading label="Loading clicks…" rows={4} />
          ) : !series ? null : empty ? (
            <Empty title="No clicks in this range.">
              <p class="muted">Clicks appear here as soon as someone follows {link ? 'this link' : 'one of your links'}.</p>
            </Empty>
          ) : (
            <LazyChart points={series.data} timezone={safeZone(series.timezone)} interval={series.interval} height={CHART_HEIGHT} />
          )}
        </div>
        {series && !loading && !empty && (
          <details class="data-table">
            <summary>Show the numbers as a table</summary>
            <div class="table-wrap" role="region" aria-label="Clicks over time, table" tabIndex={0}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{series.interval === 'hour' ? 'Hour' : series.interval === 'day' ? 'Day' : series.interval === 'week' ? 'Week of' : 'Month of'}</th>
                    <th scope="col" class="num">
                      Clicks
                    </th>
                    <th scope="col" class="num">
                      Unique visitors
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {series.data.map((point) => (
                    <tr key={point.start}>
                      <th scope="row">{timeFormat.format(new Date(point.start))}</th>
                      <td class="num">{formatNumber(point.clicks)}</td>
                      <td class="num">{formatNumber(point.unique_visitors)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        )}
      </section>

      <div class="breakdowns">
        {[...DIMENSIONS, ...(linkId ? ROUTING : [TOP_LINKS])].map((info) => (
          <Breakdown key={info.key} info={info} loading={loading} groups={reports?.groups[info.key]} names={info.key === 'rule' ? ruleNames : undefined} />
        ))}
      </div>
    </>
  );
}

function safeZone(zone: string): string {
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: zone });
    return zone;
  } catch {
    return 'UTC';
  }
}

function Breakdown({ info, loading, groups, names }: { info: DimensionInfo; loading: boolean; groups?: Group[]; names?: Record<string, string> }) {
  const { key: dimension, title, column, unknown } = info;
  const id = `breakdown-${dimension}`;
  return (
    <section class="card breakdown" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {loading ? (
        <Loading rows={5} />
      ) : !groups || groups.length === 0 ? (
        <p class="muted empty-small">No clicks in this range.</p>
      ) : (
        <table class="fixed">
          <thead>
            <tr>
              <th scope="col">{column}</th>
              <th scope="col" class="num">
                Clicks
              </th>
              <th scope="col" class="num">
                Uniques
              </th>
            </tr>
          </thead>
          <tbody>
            {groups.map((group) => (
              <tr key={group.value ?? ''}>
                <th scope="row" class="cut" title={group.value ?? unknown}>
                  {dimension === 'link' && group.value ? (
                    <a href={href(`links/${encodeURIComponent(group.value)}/analytics`)} class="mono">
                      {group.value}
                    </a>
                  ) : names && group.value ? (
                    `${names[group.value] ?? 'Deleted rule'} (${group.value})`
                  ) : (
                    groupLabel(dimension, group.value, unknown)
                  )}
                </th>
                <td class="num">{formatNumber(group.clicks)}</td>
                <td class="num">{formatNumber(group.unique_visitors)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
