import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { inlineDrawer, type DrawnQr, type QrDrawer } from './draw';
import { QR_LIMITS, type QrOptions } from './options';

export interface QrImage {
  body: Buffer;
  contentType: 'image/png' | 'image/svg+xml';
  /** Strong validator of the bytes, quoted, for ETag / If-None-Match. */
  etag: string;
}

/** Bytes of images kept: public QR codes are fetched again and again with the same options. */
const CACHE_BYTES = 16 * 1024 * 1024;

const cacheKey = (text: string, options: QrOptions) =>
  JSON.stringify([text, options.format, options.size, options.margin, options.error_correction, options.foreground, options.background]);

/**
 * Draws QR codes (through a `QrDrawer`: worker threads in a served engine, so drawing never blocks the event loop)
 * and keeps recent images in a bounded in-memory cache, so a popular public QR code costs one rendering per process.
 * Concurrent requests for the same uncached image share one drawing. One renderer per engine.
 */
export class QrRenderer {
  private readonly cache = new LRUCache<string, QrImage>({ maxSize: CACHE_BYTES, sizeCalculation: (image) => image.body.length + 64 });
  private readonly drawing = new Map<string, Promise<QrImage>>();

  constructor(private readonly drawer: QrDrawer = inlineDrawer) {}

  /** Images being drawn right now (each once, however many requests wait for it). */
  get inProgress(): number {
    return this.drawing.size;
  }

  /** Whether this image is at hand (cached or being drawn), so that serving it costs next to nothing. */
  isReady(text: string, options: QrOptions): boolean {
    const key = cacheKey(text, options);
    return this.cache.has(key) || this.drawing.has(key);
  }

  /**
   * What serving this image costs, in keyless-request slots: 1 when it is at hand; otherwise its pixel count in units
   * of the default size's (a 2048 px code draws about 16 times the pixels of a 512 px one), at least 1.
   */
  cost(text: string, options: QrOptions): number {
    if (this.isReady(text, options)) return 1;
    return Math.max(1, Math.round((options.size / QR_LIMITS.defaultSize) ** 2));
  }

  render(text: string, options: QrOptions): Promise<QrImage> {
    const key = cacheKey(text, options);
    const cached = this.cache.get(key);
    if (cached) return Promise.resolve(cached);
    let pending = this.drawing.get(key);
    if (!pending) {
      pending = this.drawer
        .draw(text, options)
        .then((image) => this.remember(key, image))
        .finally(() => this.drawing.delete(key));
      this.drawing.set(key, pending);
    }
    return pending;
  }

  private remember(key: string, image: DrawnQr): QrImage {
    const etag = `"${createHash('sha256').update(image.body).digest('base64url').slice(0, 27)}"`;
    const result = { ...image, etag };
    this.cache.set(key, result);
    return result;
  }

  close(): Promise<void> {
    return this.drawer.close();
  }
}
