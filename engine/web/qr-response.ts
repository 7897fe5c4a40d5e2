import type { Request, Response } from 'express';
import type { QrImage } from '../domain/qr/renderer';

/** API images are for the key holder; public ones may sit in any cache (a short URL never changes its address). */
export const QR_CACHE = {
  api: 'private, max-age=3600',
  public: 'public, max-age=86400, stale-while-revalidate=604800',
} as const;

/** Writes a QR image (or 304 when the client already holds these bytes). */
export function sendQrImage(req: Request, res: Response, image: QrImage, name: string, cacheControl: string): void {
  const extension = image.contentType === 'image/png' ? 'png' : 'svg';
  res.setHeader('Cache-Control', cacheControl);
  res.setHeader('ETag', image.etag);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  // The SVG is drawn by us (paths only), but it is served from the link's own domain: never let it run anything.
  res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors *");
  const match = req.headers['if-none-match'];
  if (match && match.split(',').some((tag) => tag.trim().replace(/^W\//, '') === image.etag)) {
    res.status(304).end();
    return;
  }
  res.setHeader('Content-Type', image.contentType);
  res.setHeader('Content-Disposition', `inline; filename="${name.replace(/[^A-Za-z0-9._-]/g, '_')}.${extension}"`);
  res.status(200).end(image.body);
}
