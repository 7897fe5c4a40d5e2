import express, { type Express } from 'express';
import type { EngineParts } from './index';
import { ApiError } from '../support/errors';
import { buildApiRouter } from '../http/api-router';
import { MISSING } from '../redirect/link-cache';
import { publicRoutes } from '../public/site';
import { wellKnownRoutes } from '../public/well-known';
import { domainCheckRoutes } from '../public/domain-check';
import { errorHandler, notFoundHandler } from '../web/errors';
import { buildOpenApiDocument } from '../http/openapi';
import { serveApiReference } from './api-reference';
import { requestContext } from '../web/request-context';
import { healthRoutes } from '../web/health';
import { httpObserver, metricsHandler, registerPoolGauges } from './operations';
import { apiRoutes } from '../http/routes';
import { httpsOnly } from '../web/https-only';

/** The Express side of the engine: probes, the API, the redirect fast path for mounted use, public pages, errors. */
export function createApp(parts: EngineParts, state: { ready: boolean }, version: string): Express {
  const routes = apiRoutes(parts);
  const { config, db, logger, keys, readiness, apiGuard, usage, redirects } = parts;
  registerPoolGauges(parts.metrics, db);
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', config.trustProxy);
  app.set('query parser', 'simple');

  app.use(requestContext(logger, httpObserver(parts.metrics)));
  app.use(healthRoutes(db, readiness, () => state.ready));
  // Never public by default: here only behind MASK_METRICS_TOKEN; MASK_METRICS_PORT serves it on a port of its own.
  if (config.metricsToken) app.get('/metrics', metricsHandler(parts.metrics, config.metricsToken));
  app.use((req, _res, next) => next(state.ready ? undefined : new ApiError('service_unavailable', 'The engine is starting.', undefined, { retry_after: 1 })));

  const openapi = buildOpenApiDocument(routes, { version });
  app.use('/api/v1', usage.middleware);
  app.get('/api/v1/openapi.json', apiGuard.anonymous, (_req, res) => {
    res.json(openapi);
  });
  serveApiReference(app, apiGuard.anonymous, openapi);
  // After the two public documents (no credential or data travels there), before everything a key or session reaches.
  if (config.requireHttps) app.use('/api/v1', httpsOnly());
  app.use('/api/v1', buildApiRouter(routes, { keys, guard: apiGuard.guard, sessions: parts.sessionAuth, anonymous: apiGuard.anonymous, publishableKeys: parts.conversionSettings }));
  // The dashboard client; its path is kept from the redirect path (see `dashboard.claims`).
  app.use(parts.dashboard.mountPath, parts.dashboard.handler);
  // Mounted in a host app, requests reach the redirect path through Express.
  app.use((req, res, next) => {
    if (parts.dashboard.claims(req.url) || !redirects.handle(req, res)) next();
  });
  app.use(
    wellKnownRoutes({
      filesFor: async (host) => {
        const domain = await redirects.domains.resolve(host);
        return domain ? parts.deepLinks.filesFor(domain.hostname) : null;
      },
    }),
  );
  app.use(
    publicRoutes({
      allowHttpUrls: config.allowHttpUrls,
      pages: parts.pages,
      qr: parts.qr,
      anonymousLimit: apiGuard.anonymous,
      chargeAnonymous: (req, res, cost) => apiGuard.chargeAnonymous(req, res, cost),
      hostnameOf: async (host) => (await redirects.domains.resolve(host))?.hostname ?? null,
      shortUrlOf: async (host, slug) => {
        const domain = await redirects.domains.resolve(host);
        // The redirect path's own cache: the same lookup a scan of the code will make a moment later.
        const link = domain ? (redirects.cache.get(domain.hostname, slug) ?? (await redirects.cache.fetch(domain, slug))) : MISSING;
        return link === MISSING ? null : link.shortUrl;
      },
    }),
  );
  app.use(
    domainCheckRoutes({
      secret: parts.secret,
      anonymousLimit: apiGuard.anonymous,
      hostnameOf: async (host) => (await redirects.domains.resolve(host))?.hostname ?? null,
    }),
  );
  app.use(notFoundHandler);
  app.use(errorHandler(logger, config.databaseRetryAfter));
  return app;
}
