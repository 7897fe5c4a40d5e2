import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import express, { type Express, type RequestHandler } from 'express';
import type { Knex } from 'knex';
import { statusClass, type Metrics } from '../support/metrics';
import type { Logger } from '../support/logger';
import { healthRoutes } from '../web/health';
import { requestContext, type RequestObserver } from '../web/request-context';
import type { Foundation } from './foundation';

/** Requests that matched no route are labelled with this, never with their path (no per-link labels). */
const UNMATCHED = 'unmatched';
const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

/** Feeds the HTTP histogram and the API's rate-limit counter from Express's finished responses. */
export function httpObserver(metrics: Metrics): RequestObserver {
  return (req, res, seconds) => {
    const path = req.path ?? '';
    const route = req.routeTemplate ?? (PROBES.has(path) ? path : UNMATCHED);
    metrics.httpDuration.observe({ route, method: req.method ?? 'GET', status_class: statusClass(res.statusCode) }, seconds);
    if (res.statusCode === 429) metrics.rateLimitRejections.inc({ surface: 'api' });
  };
}

interface TarnPool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
  numPendingCreates(): number;
}

/** Database pool use, read at scrape time. */
export function registerPoolGauges(metrics: Metrics, db: Knex): void {
  metrics.gauge('mask_db_pool_connections', 'Database pool connections by state: used, free, pending_acquire, pending_create.', ['state'], (set) => {
    const pool = (db.client as { pool?: TarnPool }).pool;
    if (!pool) return;
    set(pool.numUsed(), { state: 'used' });
    set(pool.numFree(), { state: 'free' });
    set(pool.numPendingAcquires(), { state: 'pending_acquire' });
    set(pool.numPendingCreates(), { state: 'pending_create' });
  });
  metrics.gauge('mask_db_pool_max_connections', 'Largest number of database connections the pool may open.', [], (set) => {
    set(Number((db.client.config.pool as { max?: number } | undefined)?.max ?? 1));
  });
}

const sameText = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * `GET /metrics` in Prometheus text format. With a token, only `Authorization: Bearer <token>` gets it; without one
 * the handler serves everyone, so mount it only on a private port.
 */
export function metricsHandler(metrics: Metrics, token?: string): RequestHandler {
  metrics.enableProcessMetrics();
  return async (req, res) => {
    if (token !== undefined) {
      const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
      if (!sameText(given, token)) {
        res.status(401).setHeader('WWW-Authenticate', 'Bearer realm="metrics"').json({ error: { code: 'unauthorized', message: 'A valid metrics token is required.' } });
        return;
      }
    }
    const { contentType, body } = await metrics.text();
    res.setHeader('Content-Type', contentType);
    res.setHeader('Cache-Control', 'no-store');
    res.send(body);
  };
}

/** A small HTTP app for a private port: probes, and `/metrics` when `withMetrics`. */
export function operationsApp({ db, readiness, metrics, logger }: Foundation, isStarted: () => boolean, withMetrics: boolean): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestContext(logger, httpObserver(metrics)));
  app.use(healthRoutes(db, readiness, isStarted));
  if (withMetrics) app.get('/metrics', metricsHandler(metrics));
  app.use((_req, res) => {
    res.status(404).json({ error: { code: 'not_found', message: 'Only /healthz, /readyz and /metrics are served here.' } });
  });
  return app;
}

/** Listens on `port` (0: any free one); answers the server and its URL. */
export async function listenOn(app: Express, port: number, host: string, logger: Logger, what: string): Promise<Server & { url: string }> {
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${shownHost}:${address.port}`;
  logger.info({ url }, `${what} listening`);
  return Object.assign(server, { url });
}
