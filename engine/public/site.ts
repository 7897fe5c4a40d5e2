import express, { type Request, type Response, type Router } from 'express';
import { qrQuery } from '../contracts/qr';
import { SLUG_PATTERN } from '../domain/links/slugs';
import { isLocalHost } from '../domain/workspaces';
import { QR_CACHE, sendQrImage } from '../http/qr-response';
import { parseOrThrow } from '../http/validation';
import type { Services } from '../services';
import { asBool } from '../store/db';
import { ApiError } from '../support/errors';
import { PageRenderer, type RenderedPage } from './page-html';

const HANDLE = /^[a-z0-9][a-z0-9_-]{2,63}$/;

interface KnownDomain {
  hostname: string;
  secure: boolean;
}

/** The Host header lower-cased, without a trailing dot; null when absent. */
function hostOf(req: Request): string | null {
  const host = req.headers.host?.toLowerCase().replace(/\.(?=:\d+$|$)/, '');
  return host || null;
}

/**
 * What visitors reach without a key, on every configured domain (the Host header picks it, as for redirects):
 *
 * - `GET /p/{handle}`: a published bio page, as HTML;
 * - `GET /p/{handle}/qr`: the QR code of that page's address;
 * - `GET /{slug}/qr` and `GET /qr/{slug}`: the QR code of a short link (no click is counted).
 *
 * QR codes are limited per client address like keyless API requests (MASK_ANONYMOUS_RATE_LIMIT_PER_MINUTE).
 *
 * All are multi-segment paths, so the redirect fast path (single segments) never sees them.
 */
export function publicRoutes({ config, db, pages, qr, apiGuard }: Services): Router {
  const renderer = new PageRenderer();
  const router = express.Router({ caseSensitive: false, strict: false });
  const imgSources = config.allowHttpUrls ? 'https: http: data:' : 'https: data:';

  const domainOf = async (req: Request): Promise<KnownDomain> => {
    const host = hostOf(req);
    const bare = host?.replace(/:\d+$/, '');
    const candidates = [...new Set([host, bare].filter((value): value is string => Boolean(value)))];
    if (candidates.length) {
      if (candidates.includes(config.defaultDomain)) return { hostname: config.defaultDomain, secure: !isLocalHost(config.defaultDomain) };
      const rows: Array<{ hostname: string; secure: unknown }> = await db('domains').whereIn('hostname', candidates).select('hostname', 'secure');
      const row = rows.find((r) => r.hostname === host) ?? rows[0];
      if (row) return { hostname: row.hostname, secure: asBool(row.secure) };
    }
    return { hostname: config.defaultDomain, secure: !isLocalHost(config.defaultDomain) };
  };

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
    if (!HANDLE.test(handle)) return null;
    return pages.findPublished((await domainOf(req)).hostname, handle);
  };

  router.get('/p/:handle', async (req, res) => {
    const found = await published(req);
    if (!found) return sendHtml(req, res, 404, renderer.notFound());
    sendHtml(req, res, 200, renderer.render(found.page, { noindex: found.mode === 'test' }));
  });

  // Drawing a large PNG costs CPU: QR codes count against the per-address limit of keyless requests.
  router.get('/p/:handle/qr', apiGuard.anonymous, async (req, res) => {
    const options = parseOrThrow(qrQuery, req.query);
    const found = await published(req);
    if (!found) return sendHtml(req, res, 404, renderer.notFound());
    sendQrImage(req, res, await qr.render(found.page.public_url, options), `qr-page-${found.page.handle}`, QR_CACHE.public);
  });

  const linkQr = async (req: Request, res: Response) => {
    const options = parseOrThrow(qrQuery, req.query);
    const slug = String(req.params.slug);
    const domain = await domainOf(req);
    const link = SLUG_PATTERN.test(slug) ? await db('links').where({ domain: domain.hostname, slug }).first('slug') : undefined;
    if (!link) throw new ApiError('not_found', 'No short link at this address.');
    const shortUrl = `${domain.secure ? 'https' : 'http'}://${domain.hostname}/${slug}`;
    sendQrImage(req, res, await qr.render(shortUrl, options), `qr-${slug}`, QR_CACHE.public);
  };
  router.get('/qr/:slug', apiGuard.anonymous, linkQr);
  router.get('/:slug/qr', apiGuard.anonymous, linkQr);
  return router;
}
