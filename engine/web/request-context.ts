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

/** The request's id, given on first use. Whoever writes the response sends it as `X-Request-Id`. */
export const requestIdOf = (req: IncomingMessage): string => (req.id ??= requestIds.next());

/** Gives the request an id and sets `X-Request-Id` (the Express side; the redirect fast path writes it with its head). */
export function assignRequestId(req: IncomingMessage, res: ServerResponse): string {
  res.setHeader('X-Request-Id', requestIdOf(req));
  return req.id as string;
}

export function requestContext(logger: Logger): RequestHandler {
  return (req, res, next) => {
    assignRequestId(req, res);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      logger.info(
        {
          req_id: req.id,
          method: req.method,
          path: req.path,
          route: req.routeTemplate,
          status: res.statusCode,
          duration_ms: Number(process.hrtime.bigint() - started) / 1e6,
          key_id: req.keyId,
        },
        'request',
      );
    });
    next();
  };
}
