// Prometheus metrics: on a port of their own (MASK_METRICS_PORT) or behind a token (MASK_METRICS_TOKEN), never
// public by default. The scrape is read with a real Prometheus text-format parser.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { HTTP_DURATION_BUCKETS } from '../../../engine/support/metrics';
import { partsOf } from '../../../engine/wiring';
import { startTestEngine, TEST_DOMAIN, type TestEngine } from '../../support/engine';
import { visit } from '../../support/redirect-client';

interface Family {
  name: string;
  help: string;
  type: string;
  metrics: Array<{ value?: string; labels?: Record<string, string>; buckets?: Record<string, string>; count?: string; sum?: string }>;
}

async function scrape(url: string, headers: Record<string, string> = {}): Promise<{ families: Map<string, Family>; text: string }> {
  const response = await fetch(url, { headers });
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  const text = await response.text();
  const families = parsePrometheusTextFormat(text) as Family[];
  return { families: new Map(families.map((family) => [family.name, family])), text };
}

describe('metrics on MASK_METRICS_PORT', () => {
  let t: TestEngine;
  let slug: string;
  before(async () => {
    t = await startTestEngine({ metricsPort: 0, rateLimitPerMinute: 3 });
    const created = await t.api('POST', '/api/v1/links', { body: { url: 'https://example.com/metrics' } });
    assert.equal(created.status, 201);
    slug = created.body.slug;
  });
  after(() => t.stop());

  test('not on the public port', async () => {
    assert.ok(t.engine.metricsUrl);
    assert.notEqual(new URL(t.engine.metricsUrl).port, new URL(t.baseUrl).port);
    assert.equal((await fetch(`${t.baseUrl}/metrics`)).status, 404);
  });

  test('requests, redirects, clicks, rate-limit rejections, pool and event loop, without per-link labels', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await visit(t.baseUrl, `/${slug}`, { host: TEST_DOMAIN })).status, 302);
    for (let i = 0; i < 4; i++) await t.api('GET', '/api/v1/links');
    await t.engine.flushClicks();
    const { families, text } = await scrape(`${t.engine.metricsUrl}/metrics`);

    // The parser reads the text; it folds a labelled histogram's series into one, so the histogram's series are
    // checked in the text and in prom-client's own registry.
    assert.equal(families.get('mask_http_request_duration_seconds')?.type, 'HISTOGRAM');
    const [histogram] = await partsOf(t.engine).metrics.registry.getSingleMetric('mask_http_request_duration_seconds')!.get().then((m) => [m]);
    const series = (histogram.values as Array<{ metricName?: string; labels: Record<string, string | number> }>).filter((v) => v.metricName === 'mask_http_request_duration_seconds_bucket');
    const listed = series.filter((v) => v.labels.route === '/api/v1/links' && v.labels.method === 'GET' && v.labels.status_class === '2xx');
    assert.deepEqual(listed.map((v) => v.labels.le).filter((le) => le !== '+Inf'), HTTP_DURATION_BUCKETS);
    assert.ok(series.some((v) => v.labels.route === '/api/v1/links' && v.labels.status_class === '4xx'), 'the 429s');
    assert.match(text, /^mask_http_request_duration_seconds_bucket\{le="0\.005",route="\/api\/v1\/links",method="GET",status_class="2xx"\} \d+$/m);

    const value = (name: string, labels: Record<string, string> = {}) => {
      const family = families.get(name);
      assert.ok(family, `${name} is exported`);
      const sample = family.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
      return Number(sample?.value ?? 'NaN');
    };
    assert.equal(value('mask_redirects_total', { status_class: '3xx' }), 3);
    // Counted on the redirect path, handed over at scrape time: a second scrape neither adds nor loses any.
    assert.equal((await visit(t.baseUrl, '/no-such-link', { host: TEST_DOMAIN })).status, 404);
    const again = (await scrape(`${t.engine.metricsUrl}/metrics`)).families.get('mask_redirects_total');
    assert.deepEqual(again?.metrics.map((m) => [m.labels?.status_class, Number(m.value)]).sort(), [['3xx', 3], ['4xx', 1]]);
    assert.equal(value('mask_clicks_captured_total'), 3);
    assert.equal(value('mask_clicks_written_total'), 3);
    assert.equal(value('mask_clicks_pending'), 0);
    assert.ok(value('mask_rate_limit_rejections_total', { surface: 'api' }) >= 1);
    assert.ok(value('mask_db_pool_connections', { state: 'used' }) >= 0);
    assert.ok(value('mask_db_pool_max_connections') >= 1);
    assert.ok(value('nodejs_eventloop_lag_seconds') >= 0);
    assert.equal(families.get('mask_webhook_attempts_total')?.type, 'COUNTER');

    for (const family of families.values()) {
      assert.match(family.name, /^[a-z_:][a-z0-9_:]*$/);
      for (const metric of family.metrics) {
        for (const label of Object.values(metric.labels ?? {})) assert.ok(!label.includes(slug), `${family.name} has no per-link label`);
      }
    }
  });
});

describe('metrics behind MASK_METRICS_TOKEN', () => {
  const token = 'metrics-token-0123456789abcdef';
  let t: TestEngine;
  before(async () => {
    t = await startTestEngine({ metricsToken: token });
  });
  after(() => t.stop());

  test('only with the token', async () => {
    assert.equal((await fetch(`${t.baseUrl}/metrics`)).status, 401);
    assert.equal((await fetch(`${t.baseUrl}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789abcdef' } })).status, 401);
    const { families } = await scrape(`${t.baseUrl}/metrics`, { authorization: `Bearer ${token}` });
    assert.ok(families.has('mask_http_request_duration_seconds'));
  });
});

describe('metrics by default', () => {
  test('are not served', async () => {
    const t = await startTestEngine();
    try {
      assert.equal((await fetch(`${t.baseUrl}/metrics`)).status, 404);
      assert.equal(t.engine.metricsUrl, null);
    } finally {
      await t.stop();
    }
  });
});
