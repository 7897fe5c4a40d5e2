import type { IncomingHttpHeaders } from 'node:http';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { visit, type VisitOptions } from './redirect-client';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A request with any Host header whose body stays bytes (QR images). */
export async function getRaw(baseUrl: string, path: string, options: VisitOptions = {}): Promise<RawResponse> {
  const { status, headers, raw } = await visit(baseUrl, path, options);
  return { status, headers, body: raw };
}

/** The text a PNG QR code holds, read with jsQR (an independent decoder), or null when it cannot be read. */
export function decodeQr(png: Buffer): { text: string; width: number; height: number } | null {
  const image = PNG.sync.read(png);
  const code = jsQR(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length), image.width, image.height);
  return code ? { text: code.data, width: image.width, height: image.height } : null;
}
