import type { TestEngine } from './engine';
import http, { type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  path: string;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** Never answer (for timeout tests); the socket is destroyed when the receiver closes. */
  hang?: boolean;
  /** Answer after this many milliseconds. */
  delayMs?: number;
}

export type Responder = (request: Received, index: number) => Reply;

export interface Receiver {
  url: string;
  received: Received[];
  /** Replaces how the receiver answers from now on. */
  respond(responder: Responder): void;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 that records every request and answers as told (200 by default). */
export async function startReceiver(responder: Responder = () => ({ status: 200 })): Promise<Receiver> {
  const received: Received[] = [];
  let current = responder;
  const server: Server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), path: req.url ?? '/' };
      received.push(request);
      const reply = current(request, received.length - 1);
      if (reply.hang) return;
      const answer = () => {
        res.writeHead(reply.status, reply.headers);
        res.end(reply.body ?? '');
      };
      if (reply.delayMs) setTimeout(answer, reply.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    respond: (next) => {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Polls `check` until it returns a truthy value; fails with `what` after `timeoutMs` (a bound, never an assertion on speed). */
export async function until<T>(check: () => T | Promise<T>, what: string, timeoutMs = 15_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * A receiver subscribed to every event of the test engine's workspace, live and test mode alike. The outbox keeps
 * only events someone subscribes to, so tests that read the `events` table subscribe first, as a consumer would.
 * The engine must allow loopback targets (`webhookAllowedHosts: 'loopback'`).
 */
export async function subscribeReceiver(t: TestEngine): Promise<Receiver> {
  const receiver = await startReceiver();
  const testAdmin = await t.createKey(['admin'], { mode: 'test' });
  for (const key of [t.adminKey, testAdmin]) {
    const created = await t.api('POST', '/api/v1/webhooks', { key, body: { url: `${receiver.url}/hooks`, events: ['*'] } });
    if (created.status !== 201) throw new Error(`could not subscribe the receiver: ${created.text}`);
  }
  return receiver;
}
