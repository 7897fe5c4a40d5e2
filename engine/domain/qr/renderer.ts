import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import QRCode from 'qrcode';
import type { QrOptions } from './options';

export interface QrImage {
  body: Buffer;
  contentType: 'image/png' | 'image/svg+xml';
  /** Strong validator of the bytes, quoted, for ETag / If-None-Match. */
  etag: string;
}

/** Bytes of images kept: public QR codes are fetched again and again with the same options. */
const CACHE_BYTES = 16 * 1024 * 1024;

/**
 * Draws QR codes with the `qrcode` library and keeps recent images in a bounded in-memory cache, so a popular public
 * QR code costs one rendering per process. One renderer per engine.
 */
export class QrRenderer {
  private readonly cache = new LRUCache<string, QrImage>({ maxSize: CACHE_BYTES, sizeCalculation: (image) => image.body.length + 64 });

  async render(text: string, options: QrOptions): Promise<QrImage> {
    const key = JSON.stringify([text, options.format, options.size, options.margin, options.error_correction, options.foreground, options.background]);
    const cached = this.cache.get(key);
    if (cached) return cached;
    const common = {
      errorCorrectionLevel: options.error_correction,
      margin: options.margin,
      width: options.size,
      color: { dark: options.foreground, light: options.background },
    };
    const image: Omit<QrImage, 'etag'> =
      options.format === 'svg'
        ? { body: Buffer.from(await QRCode.toString(text, { ...common, type: 'svg' })), contentType: 'image/svg+xml' }
        : { body: await QRCode.toBuffer(text, { ...common, type: 'png' }), contentType: 'image/png' };
    const etag = `"${createHash('sha256').update(image.body).digest('base64url').slice(0, 27)}"`;
    const result = { ...image, etag };
    this.cache.set(key, result);
    return result;
  }
}
