import { qrcode } from '../../support/optional-deps';
import type { QrOptions } from './options';

export interface DrawnQr {
  body: Buffer;
  contentType: 'image/png' | 'image/svg+xml';
}

/** Draws one QR code with the `qrcode` library: CPU-bound (a 2048 px PNG at level H takes tens of milliseconds). */
export async function drawQr(text: string, options: QrOptions): Promise<DrawnQr> {
  const common = {
    errorCorrectionLevel: options.error_correction,
    margin: options.margin,
    width: options.size,
    color: { dark: options.foreground, light: options.background },
  };
  const QRCode = qrcode();
  return options.format === 'svg'
    ? { body: Buffer.from(await QRCode.toString(text, { ...common, type: 'svg' })), contentType: 'image/svg+xml' }
    : { body: await QRCode.toBuffer(text, { ...common, type: 'png' }), contentType: 'image/png' };
}

/** Where QR codes are drawn: on the calling thread, or in a pool of worker threads (see pool.ts). */
export interface QrDrawer {
  draw(text: string, options: QrOptions): Promise<DrawnQr>;
  close(): Promise<void>;
}

/** Draws on the event loop: for the CLI and for `MASK_QR_THREADS=0`. */
export const inlineDrawer: QrDrawer = { draw: drawQr, close: async () => undefined };
