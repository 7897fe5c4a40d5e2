import type { Express, RequestHandler } from 'express';
import { API_REFERENCE_ASSETS, API_REFERENCE_CSP, API_REFERENCE_INIT, apiReferenceBundlePath, apiReferencePage } from '../http/docs';
import { ApiError } from '../support/errors';

/** `/api/v1/docs` and its two scripts, without a key (the keyless limit applies). */
export function serveApiReference(app: Express, anonymous: RequestHandler, openapi: { info?: { title?: string } }): void {
  const title = openapi.info?.title ?? 'MASK API';
  const bundle = apiReferenceBundlePath();
  app.get('/api/v1/docs', anonymous, (req, res) => {
    res.type('html').setHeader('Content-Security-Policy', API_REFERENCE_CSP);
    res.setHeader('Cache-Control', 'no-cache');
    // req.baseUrl: where a host app mounted the engine ('' when it serves itself).
    res.send(apiReferencePage(title, `${req.baseUrl}/api/v1`));
  });
  app.get(`/api/v1/docs/${API_REFERENCE_ASSETS.init}`, anonymous, (_req, res) => {
    res.type('text/javascript').setHeader('Cache-Control', 'no-cache');
    res.send(API_REFERENCE_INIT);
  });
  app.get(`/api/v1/docs/${API_REFERENCE_ASSETS.bundle}`, anonymous, (_req, res, next) => {
    if (!bundle) return next(new ApiError('not_found', 'The API reference viewer is not installed (run npm run build); the OpenAPI document is at /api/v1/openapi.json.'));
    res.setHeader('Cache-Control', 'public, max-age=3600');
    res.sendFile(bundle, { headers: { 'Content-Type': 'text/javascript; charset=utf-8' } });
  });
}
