import type { RequestHandler } from 'express';
import { ApiError } from '../support/errors';

/** One year, the value HSTS preload lists ask for; subdomains are left alone (they may be other services). */
const HSTS = 'max-age=31536000';

/**
 * MASK_REQUIRE_HTTPS: API requests must arrive over HTTPS — on a TLS socket, or, with TRUST_PROXY, from a trusted
 * proxy saying `X-Forwarded-Proto: https` (Express's `req.secure`). Others are refused with 403 before their
 * credentials are even looked at; answers over HTTPS tell browsers to use nothing else (HSTS).
 */
export function httpsOnly(): RequestHandler {
  return (req, res, next) => {
    if (req.secure) {
      res.setHeader('Strict-Transport-Security', HSTS);
      return next();
    }
    next(
      new ApiError(
        'forbidden',
        'This API accepts only HTTPS requests: call it with https://. Behind a reverse proxy that ends TLS, set TRUST_PROXY so its X-Forwarded-Proto header is believed.',
      ),
    );
  };
}
