import express, { type Express } from 'express';
import type { EngineParts } from './index';
import { ApiError } from '../support/errors';
import { buildApiRouter } from '../http/api-router';
import { MISSING } from '../redirect/link-cache';
import { publicRoutes } from '../public/site';
import { errorHandler, notFoundHandler } from '../web/errors';
import { buildOpenApiDocument } from '../http/openapi';
import { requestContext } from '../web/request-context';
import { apiRoutes } from '../http/routes';

/** The Express side of the engine: probes, the API, the redirect fast path for mounted use, public pages, errors. */
export function createApp(parts: EngineParts, state: { ready: boolean }, version: string): Express {
  const routes = apiRoutes(parts);
  const { config, db, logger, keys, readiness, apiGuard, usage, redirects } = parts;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', config.trustProxy);
  app.set('query parser', 'simple');

  app.use(requestContext(logger));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const checks: Record<string, string> = {};
    try {
      await db.raw('select 1');
      checks.database = 'ok';
    } catch {
      checks.database = 'unreachable';
    }
    for (const [name, check] of readiness) checks[name] = await check();
    const ok = state.ready && Object.values(checks).every((value) => value === 'ok');
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable', checks });
  });
  app.use((req, _res, next) => next(state.ready ? undefined : new ApiError('service_unavailable', 'The engine is starting.')));

  const openapi = buildOpenApiDocument(routes, { version });
  app.use('/api/v1', usage.middleware);
  app.get('/api/v1/openapi.json', apiGuard.anonymous, (_req, res) => {
    res.json(openapi);
  });
  app.use('/api/v1', buildApiRouter(routes, { keys, guard: apiGuard.guard }));
  // Mounted in a host app, requests reach the redirect path through Express.
  app.use((req, res, next) => {
    if (!redirects.handle(req, res)) next();
  });
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
  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}
