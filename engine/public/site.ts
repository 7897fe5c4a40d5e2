import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { qrQuery } from '../contracts/qr';
import { SLUG_PATTERN } from '../domain/links/slugs';
import type { PageService } from '../domain/pages/service';
import type { QrRenderer } from '../domain/qr/renderer';
import { ApiError } from '../support/errors';
import { QR_CACHE, sendQrImage } from '../web/qr-response';
import { parseOrThrow } from '../web/validation';
import { PageRenderer, type RenderedPage } from './page-html';

const HANDLE = /^[a-z0-9][a-z0-9_-]{2,63}$/;

/**
 * What visitors reach without a key, on every configured domain (the Host header picks it, as for redirects):
 *
 * - `GET /p/{handle}`: a published bio page, as HTML;
 * - `GET /p/{handle}/qr`: the QR code of that page's address;
 * - `GET /{slug}/qr` and `GET /qr/{slug}`: the QR code of a short link (no click is counted).
 *
 * QR codes are limited per client address like keyless API requests (MASK_ANONYMOUS_RATE_LIMIT_PER_MINUTE), and
 * cost-aware: one that must be drawn takes more of that allowance the larger it is (QrRenderer.cost), while a cached
 * one costs one request. They are drawn off the event loop, so a flood of them never delays a redirect.
 *
 * All are multi-segment paths, so the redirect fast path (single segments) never sees them.
 */
export interface PublicSiteDeps {
  allowHttpUrls: boolean;
  pages: PageService;
  qr: QrRenderer;
  /** The per-address limit of keyless requests. */
  anonymousLimit: RequestHandler;
  /** Takes `extra` more slots of the address's keyless allowance (or answers 429) for costly work. */
  chargeAnonymous(req: Request, res: Response, extra: number): Promise<void>;
  /** The configured domain a Host header names, as the redirect path resolves it; null when none. */
  hostnameOf(host: string | undefined): Promise<string | null>;
  /** The short URL of the link at this slug on the Host's domain; null when there is none. */
  shortUrlOf(host: string | undefined, slug: string): Promise<string | null>;
}

export function publicRoutes({ allowHttpUrls, pages, qr, anonymousLimit, chargeAnonymous, hostnameOf, shortUrlOf }: PublicSiteDeps): Router {
  const renderer = new PageRenderer();
  const router = express.Router({ caseSensitive: false, strict: false });
  const imgSources = allowHttpUrls ? 'https: http: data:' : 'https: data:';

  const sendHtml = (req: Request, res: Response, status: number, page: RenderedPage) => {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Cache-Control', status === 200 ? 'public, no-cache' : 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin');
    res.setHeader(
      'Content-Security-Policy',
      `default-src 'none'; style-src ${page.styleHash}; img-src ${imgSources}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    );
    if (status === 200) {
      res.setHeader('ETag', page.etag);
      if (req.headers['if-none-match']?.split(',').some((tag) => tag.trim().replace(/^W\//, '') === page.etag)) {
        res.status(304).end();
        return;
      }
    }
    res.status(status).send(page.html);
  };

  const published = async (req: Request) => {
    const handle = String(req.params.handle).toLowerCase();
    const hostname = HANDLE.test(handle) ? await hostnameOf(req.headers.host) : null;
    return hostname ? pages.findPublished(hostname, handle) : null;
  };

  router.get('/p/:handle', async (req, res) => {
    const found = await published(req);
    if (!found) return sendHtml(req, res, 404, renderer.notFound());
    sendHtml(req, res, 200, renderer.render(found.page, { noindex: found.mode === 'test' }));
  });

  // Drawing a large PNG costs CPU: QR codes count against the per-address limit of keyless requests.
  router.get('/p/:handle/qr', anonymousLimit, async (req, res) => {
    const options = parseOrThrow(qrQuery, req.query);
    const found = await published(req);
    if (!found) return sendHtml(req, res, 404, renderer.notFound());
    await chargeAnonymous(req, res, qr.cost(found.page.public_url, options) - 1);
    sendQrImage(req, res, await qr.render(found.page.public_url, options), `qr-page-${found.page.handle}`, QR_CACHE.public);
  });

  const linkQr = async (req: Request, res: Response) => {
    const options = parseOrThrow(qrQuery, req.query);
    const slug = String(req.params.slug);
    const shortUrl = SLUG_PATTERN.test(slug) ? await shortUrlOf(req.headers.host, slug) : null;
    if (!shortUrl) throw new ApiError('not_found', 'No short link at this address.');
    await chargeAnonymous(req, res, qr.cost(shortUrl, options) - 1);
    sendQrImage(req, res, await qr.render(shortUrl, options), `qr-${slug}`, QR_CACHE.public);
  };
  router.get('/qr/:slug', anonymousLimit, linkQr);
  router.get('/:slug/qr', anonymousLimit, linkQr);
  return router;
}
