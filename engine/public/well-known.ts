import express, { type Response, type Router } from 'express';

export interface WellKnownDeps {
  /** The stored documents of the configured domain a Host header names; null for an unknown host. */
  filesFor(host: string | undefined): Promise<{ appleAppSiteAssociation: string | null; assetlinks: string | null } | null>;
}

const send = (res: Response, body: string | null | undefined) => {
  if (!body) {
    res.status(404).type('application/json').setHeader('Cache-Control', 'no-store');
    res.send('{"error":{"code":"not_found","message":"No such file on this domain."}}');
    return;
  }
  res.status(200).type('application/json').setHeader('Cache-Control', 'public, max-age=300');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.send(body);
};

/**
 * Deep-link files of the domain the Host header names, as set with PATCH /api/v1/domains/:id/deep-links: served as
 * `application/json` with no redirect (Apple fetches the association file without following redirects).
 */
export function wellKnownRoutes({ filesFor }: WellKnownDeps): Router {
  const router = express.Router({ caseSensitive: true, strict: true });
  router.get('/.well-known/apple-app-site-association', async (req, res) => {
    send(res, (await filesFor(req.headers.host))?.appleAppSiteAssociation);
  });
  router.get('/.well-known/assetlinks.json', async (req, res) => {
    send(res, (await filesFor(req.headers.host))?.assetlinks);
  });
  return router;
}
