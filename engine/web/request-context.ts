import type { RequestHandler } from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiKey } from '../domain/keys';
import { IdSequence } from '../support/ids';
import type { Logger } from '../support/logger';

declare module 'http' {
  interface IncomingMessage {
    id?: string;
    keyId?: string;
    /** The authenticated API key, set by the API router (even when a limit then refuses the request). */
    apiKey?: ApiKey;
    /** The matched route template, for logs and usage analytics. */
    routeTemplate?: string;
  }
}

const requestIds = new IdSequence('req');

/** An incoming `X-Request-Id` kept as the request's id (a proxy's or caller's correlation id); anything else is replaced. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

const incomingId = (req: IncomingMessage): string | undefined => {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && SANE_REQUEST_ID.test(given) ? given : undefined;
};

/**
 * The request's id, given on first use: the caller's `X-Request-Id` when it has a sane shape, else a new `req_…`.
 * Whoever writes the response sends it as `X-Request-Id`.
 */
export const requestIdOf = (req: IncomingMessage): string => (req.id ??= incomingId(req) ?? requestIds.next());

/** Gives the request an id and sets `X-Request-Id` (the Express side; the redirect fast path writes it with its head). */
export function assignRequestId(req: IncomingMessage, res: ServerResponse): string {
  res.setHeader('X-Request-Id', requestIdOf(req));
  return req.id as string;
}

/** Paths polled by orchestrators and scrapers: logged at debug, so they do not drown the request log. */
const PROBE_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/** Called when a response has been sent, with its duration in seconds (metrics). */
export type RequestObserver = (req: IncomingMessage & { path?: string }, res: ServerResponse, seconds: number) => void;

export function requestContext(logger: Logger, observe?: RequestObserver): RequestHandler {
  return (req, res, next) => {
    assignRequestId(req, res);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const durationNs = Number(process.hrtime.bigint() - started);
      observe?.(req, res, durationNs / 1e9);
      logger[PROBE_PATHS.has(req.path) ? 'debug' : 'info'](
        {
          req_id: req.id,
          method: req.method,
          path: req.path,
          route: req.routeTemplate,
          status: res.statusCode,
          duration_ms: durationNs / 1e6,
          key_id: req.keyId,
        },
        'request',
      );
    });
    next();
  };
}
