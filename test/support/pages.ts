import http, { type IncomingHttpHeaders } from 'node:http';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** GET (or HEAD) with any Host header, bytes kept as they are: fetch can neither set Host nor skip decoding. */
export function getRaw(baseUrl: string, path: string, options: { host?: string; headers?: Record<string, string>; method?: string } = {}): Promise<RawResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path,
        method: options.method ?? 'GET',
        setHost: false,
        agent: false,
        headers: { host: options.host ?? url.host, ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** The text a PNG QR code holds, read with jsQR (an independent decoder), or null when it cannot be read. */
export function decodeQr(png: Buffer): { text: string; width: number; height: number } | null {
  const image = PNG.sync.read(png);
  const code = jsQR(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length), image.width, image.height);
  return code ? { text: code.data, width: image.width, height: image.height } : null;
}
