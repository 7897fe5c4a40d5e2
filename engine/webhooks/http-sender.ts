import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import { formatDuration } from '../support/duration';
import type { TargetGuard } from './target-guard';

export const RESPONSE_EXCERPT_BYTES = 1024;
// Past this, the rest of a response body is not worth reading: the socket is dropped instead of drained.
const MAX_DRAIN_BYTES = 64 * 1024;

export interface SendResult {
  statusCode: number | null;
  durationMs: number;
  /** The first kilobyte of the response body, as text. */
  responseBody: string | null;
  /** Why no response was had (timeout, refused, DNS…); null when the endpoint answered. */
  error: string | null;
  /** The response's Retry-After, in milliseconds. */
  retryAfterMs: number | null;
}

/** Retry-After as seconds or an HTTP date → milliseconds from `now`; null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | null {
  if (!value) return null;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  // An HTTP date names its day or month; a bare number of another shape (-5, 1.5) is not one.
  const date = /[a-z]{3}/i.test(value) ? Date.parse(value) : Number.NaN;
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

const NETWORK_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  EPIPE: 'connection closed while sending',
};

function describeError(error: NodeJS.ErrnoException, timeoutMs: number): string {
  if (error.code === 'ETIMEDOUT_WEBHOOK') return `timed out after ${formatDuration(timeoutMs)}`;
  if (error.code === 'ETARGETREFUSED' || !error.code) return error.message;
  return `${NETWORK_ERRORS[error.code] ?? error.message} (${error.code})`;
}

/**
 * POSTs one signed body. Redirects are never followed (a 3xx is a failure), every connection's address passes the
 * SSRF guard, and the whole exchange is bounded by the timeout. Keep-alive agents are this sender's own.
 */
export class HttpSender {
  private readonly agents: { http: http.Agent; https: https.Agent };

  constructor(
    private readonly guard: TargetGuard,
    private readonly timeoutMs: number,
    maxSockets: number,
  ) {
    const options = { keepAlive: true, maxSockets, maxFreeSockets: maxSockets, timeout: 60_000 };
    this.agents = { http: new http.Agent(options), https: new https.Agent(options) };
  }

  async send(url: string, headers: Record<string, string>, body: string): Promise<SendResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return { statusCode: null, durationMs: 0, responseBody: null, error: 'invalid URL', retryAfterMs: null };
    }
    const refused = this.guard.literalRefusal(target);
    if (refused) return { statusCode: null, durationMs: 0, responseBody: null, error: `refused: ${refused}`, retryAfterMs: null };
    const deadline = started + this.timeoutMs;
    let result = await this.exchange(target, headers, body, deadline);
    // A kept-alive socket the server had just closed: the request never reached it, so send once more on a new one.
    if (result.reusedSocketReset) result = await this.exchange(target, headers, body, deadline);
    return { ...result.outcome, durationMs: elapsed() };
  }

  private exchange(
    target: URL,
    headers: Record<string, string>,
    body: string,
    deadline: number,
  ): Promise<{ outcome: Omit<SendResult, 'durationMs'>; reusedSocketReset: boolean }> {
    const client = target.protocol === 'https:' ? https : http;
    const agent = target.protocol === 'https:' ? this.agents.https : this.agents.http;
    return new Promise((resolve) => {
      let settled = false;
      let statusCode: number | null = null;
      let retryAfterMs: number | null = null;
      const chunks: Buffer[] = [];
      let kept = 0;
      const finish = (error: string | null, reusedSocketReset = false) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const responseBody = statusCode === null ? null : Buffer.concat(chunks).toString('utf8');
        resolve({ outcome: { statusCode, responseBody, error, retryAfterMs }, reusedSocketReset });
      };
      const request = client.request(
        target,
        { method: 'POST', agent, lookup: this.guard.lookup, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
        (response) => {
          statusCode = response.statusCode ?? null;
          retryAfterMs = parseRetryAfter(response.headers['retry-after'], Date.now());
          let total = 0;
          response.on('data', (chunk: Buffer) => {
            total += chunk.length;
            if (kept < RESPONSE_EXCERPT_BYTES) {
              const part = chunk.subarray(0, RESPONSE_EXCERPT_BYTES - kept);
              chunks.push(part);
              kept += part.length;
            }
            if (total > MAX_DRAIN_BYTES) {
              response.destroy();
              finish(null);
            }
          });
          response.on('end', () => finish(null));
          response.on('error', () => finish(null));
          response.on('aborted', () => finish(null));
        },
      );
      const timer = setTimeout(() => {
        const error: NodeJS.ErrnoException = new Error('timeout');
        error.code = 'ETIMEDOUT_WEBHOOK';
        request.destroy(error);
        // An answer already had counts; only its body was too slow.
        finish(statusCode === null ? describeError(error, this.timeoutMs) : null);
      }, Math.max(1, deadline - performance.now()));
      request.on('error', (error: NodeJS.ErrnoException) => {
        if (statusCode !== null) return finish(null);
        const reset = request.reusedSocket && error.code === 'ECONNRESET';
        finish(describeError(error, this.timeoutMs), reset);
      });
      request.end(body);
    });
  }

  close(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }
}
