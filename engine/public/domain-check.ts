import express, { type RequestHandler, type Router } from 'express';
import { DOMAIN_CHECK_NONCE, DOMAIN_CHECK_PATH, domainCheckAnswer } from '../domain/domain-check';
import type { SecretRef } from '../domain/engine-secret';

/**
 * `GET /.well-known/mask-domain-check/{nonce}` on any configured domain: the answer `POST /api/v1/domains/:id/check`
 * expects (see domainCheckAnswer). Limited per address like other keyless requests; never cached.
 */
export function domainCheckRoutes(deps: { secret: SecretRef; anonymousLimit: RequestHandler; hostnameOf(host: string | undefined): Promise<string | null> }): Router {
  const router = express.Router();
  router.get(`${DOMAIN_CHECK_PATH}/:nonce`, deps.anonymousLimit, async (req, res) => {
    const nonce = String(req.params.nonce);
    const hostname = DOMAIN_CHECK_NONCE.test(nonce) ? await deps.hostnameOf(req.headers.host) : null;
    res.setHeader('Cache-Control', 'no-store');
    if (!hostname) {
      res.status(404).type('text/plain').send('Not found');
      return;
    }
    res.type('text/plain').send(domainCheckAnswer(deps.secret.value, hostname, nonce));
  });
  return router;
}
