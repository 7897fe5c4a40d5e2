// A tiny HTTP client for the redirect side: unlike fetch, it can send any Host header, never follows redirects and
// keeps every response header (several Set-Cookie lines included).
import http, { type IncomingHttpHeaders } from 'node:http';
import net from 'node:net';

export interface Visited {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body's bytes as received (images). */
  raw: Buffer;
  location: string | undefined;
}

export interface VisitOptions {
  method?: string;
  host?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export function visit(baseUrl: string, path: string, options: VisitOptions = {}): Promise<Visited> {
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
        res.on('end', () => {
          const raw = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: raw.toString('utf8'), raw, location: res.headers.location });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/**
 * `total` visits, `concurrency` at a time: visit i goes to `paths[i % paths.length]` on the next of `urls` in turn (so
 * each path's visits are spread over every engine). Answers each path's statuses.
 */
export async function visitSpread(urls: string[], paths: string[], total: number, concurrency: number, options: VisitOptions = {}): Promise<Map<string, number[]>> {
  const statuses = new Map(paths.map((path) => [path, [] as number[]]));
  let next = 0;
  const visitor = async () => {
    while (next < total) {
      const i = next++;
      const path = paths[i % paths.length];
      const res = await visit(urls[Math.floor(i / paths.length) % urls.length], path, options);
      statuses.get(path)?.push(res.status);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, visitor));
  return statuses;
}

/** Sends raw bytes (for requests no client library will build, e.g. HTTP/1.0 without Host) and returns the reply. */
export function rawRequest(baseUrl: string, request: string): Promise<string> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname, () => socket.end(request));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.on('error', reject);
  });
}

/** User agents of real devices and one crawler. */
export const IPHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
export const ANDROID_UA =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36';
export const DESKTOP_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
export const BOT_UA = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

/** Polls until `done` holds or about five seconds pass, and returns the last answer (for changes relayed between processes). */
export async function eventually(read: () => Promise<Visited>, done: (response: Visited) => boolean): Promise<Visited> {
  let response = await read();
  for (let i = 0; i < 100 && !done(response); i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    response = await read();
  }
  return response;
}
