import express, { type Express } from 'express';
import type { Services } from '../services';
import { ApiError } from '../support/errors';
import { buildApiRouter } from './api-router';
import { publicRoutes } from '../public/site';
import { errorHandler, notFoundHandler } from './errors';
import { buildOpenApiDocument } from './openapi';
import { requestContext } from './request-context';
import type { AnyRoute } from './route';

export function createApp(services: Services, routes: AnyRoute[], state: { ready: boolean }, version: string): Express {
  const { config, db, logger, keys, fastPaths, apiHooks, readinessChecks, apiGuard, usage } = services;
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
    for (const [name, check] of Object.entries(readinessChecks)) checks[name] = await check();
    const ok = state.ready && Object.values(checks).every((value) => value === 'ok');
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable', checks });
  });
  app.use((req, _res, next) => next(state.ready ? undefined : new ApiError('service_unavailable', 'The engine is starting.')));

  const openapi = buildOpenApiDocument(routes, { version });
  app.use('/api/v1', usage.middleware);
  app.get('/api/v1/openapi.json', apiGuard.anonymous, (_req, res) => {
    res.json(openapi);
  });
  app.use('/api/v1', buildApiRouter(routes, { keys, hooks: apiHooks, guard: apiGuard.guard }));
  app.use((req, res, next) => {
    for (const fastPath of fastPaths) if (fastPath(req, res)) return;
    next();
  });
  app.use(publicRoutes(services));
  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}
