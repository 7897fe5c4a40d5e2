import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** OpenTelemetry's advised buckets for `http.server.request.duration`, in seconds. */
export const HTTP_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

/** `2xx`, `4xx`…: status classes keep the label set small. */
export const statusClass = (status: number): string => `${Math.floor(status / 100)}xx`;

/**
 * The engine's Prometheus instruments, in a registry of its own (never prom-client's global one), so several
 * engines in one process, or a host app's own metrics, never collide. Labels name routes, methods, status classes
 * and outcomes, never a link, a key or a workspace.
 */
export class Metrics {
  readonly registry = new Registry();
  private defaultsOn = false;

  readonly httpDuration = new Histogram({
    name: 'mask_http_request_duration_seconds',
    help: 'Duration of HTTP requests served by Express (API, public pages, probes), by route template, method and status class.',
    labelNames: ['route', 'method', 'status_class'] as const,
    buckets: HTTP_DURATION_BUCKETS,
    registers: [this.registry],
  });

  /**
   * Redirects answered, by status class (index 1 to 5: 1xx to 5xx), handed to prom-client only when scraped: its inc()
   * hashes the label object on every call, a measurable part of a redirect's CPU.
   */
  private readonly redirectsByClass = [0, 0, 0, 0, 0, 0];

  /** Filled from redirectsByClass at each scrape (see countRedirect); never counted into directly. */
  private readonly redirects = new Counter({
    name: 'mask_redirects_total',
    help: 'Short-link requests answered by the redirect path, by status class.',
    labelNames: ['status_class'] as const,
    registers: [this.registry],
    collect: () => {
      this.redirects.reset();
      this.redirectsByClass.forEach((count, index) => {
        if (count > 0) this.redirects.inc({ status_class: statusClass(index * 100) }, count);
      });
    },
  });

  /** Counts one answer of the redirect path. */
  countRedirect(status: number): void {
    const index = Math.floor(status / 100);
    if (index >= 1 && index <= 5) this.redirectsByClass[index] += 1;
  }

  readonly clicksCaptured = new Counter({
    name: 'mask_clicks_captured_total',
    help: 'Clicks handed to the click recorder.',
    registers: [this.registry],
  });

  readonly clicksWritten = new Counter({
    name: 'mask_clicks_written_total',
    help: 'Clicks committed to the database.',
    registers: [this.registry],
  });

  readonly webhookAttempts = new Counter({
    name: 'mask_webhook_attempts_total',
    help: 'Webhook delivery attempts by outcome: succeeded, retrying (failed, another attempt scheduled) or failed (final).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly rateLimitRejections = new Counter({
    name: 'mask_rate_limit_rejections_total',
    help: 'Requests refused with 429, by surface (api, redirect).',
    labelNames: ['surface'] as const,
    registers: [this.registry],
  });

  /** A gauge read at scrape time. */
  gauge<L extends string>(name: string, help: string, labelNames: readonly L[], read: (set: (value: number, labels?: Partial<Record<L, string>>) => void) => void): void {
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers: [this.registry],
      collect() {
        read((value, labels) => (labels ? this.set(labels, value) : this.set(value)));
      },
    });
  }

  /**
   * Process metrics (CPU, memory, GC, `nodejs_eventloop_lag_seconds`…), switched on only where metrics are served:
   * they start an event-loop delay monitor and GC observers.
   */
  enableProcessMetrics(): void {
    if (this.defaultsOn) return;
    this.defaultsOn = true;
    collectDefaultMetrics({ register: this.registry });
  }

  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
