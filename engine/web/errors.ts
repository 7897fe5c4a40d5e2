import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ApiError } from '../support/errors';
import type { Logger } from '../support/logger';
import { isDatabaseUnavailable } from '../store/unavailable';

const BODY_PARSER_ERRORS: Record<string, ApiError> = {
  'entity.parse.failed': new ApiError('bad_request', 'The request body is not valid JSON.'),
  'entity.too.large': new ApiError('payload_too_large', 'The request body is larger than 1 MB.'),
  'encoding.unsupported': new ApiError('unsupported_media_type', 'The request body encoding is not supported.'),
  'charset.unsupported': new ApiError('unsupported_media_type', 'The request body charset is not supported; use UTF-8.'),
  'request.aborted': new ApiError('bad_request', 'The request was aborted.'),
  'request.size.invalid': new ApiError('bad_request', 'The request body does not match its Content-Length.'),
};

/** An error whose answer we know: ours, a body-parser refusal, or a path Express could not decode. */
function knownError(err: unknown): ApiError | undefined {
  if (err instanceof ApiError) return err;
  // A path parameter that is not percent-encoded UTF-8 (%ED%A0%80, a lone %): the client's URL, not our fault.
  if (err instanceof URIError) return new ApiError('bad_request', 'The request path is not valid percent-encoded UTF-8.');
  const type = (err as { type?: unknown } | null)?.type;
  return typeof type === 'string' ? BODY_PARSER_ERRORS[type] : undefined;
}

/**
 * Turns any error into the seed-001 envelope; unknown errors become a generic 500 that leaks nothing. An unreachable
 * database is a 503 `service_unavailable` with `Retry-After` (`retryAfterSeconds`), not a 500.
 */
export function errorHandler(logger: Logger, retryAfterSeconds = 5): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const unavailable = !(err instanceof ApiError) && isDatabaseUnavailable(err);
    const known = unavailable
      ? new ApiError('service_unavailable', 'The database is unreachable. Retry shortly.', undefined, { retry_after: retryAfterSeconds })
      : knownError(err);
    const error = known ?? new ApiError('internal_error', 'An unexpected error occurred. Quote the request id when reporting it.');
    if (unavailable) logger.warn({ req_id: req.id, err }, 'database unreachable; answered 503');
    else if (!known) logger.error({ req_id: req.id, err }, 'unhandled error');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (error.code === 'service_unavailable') {
      res.setHeader('Retry-After', String(typeof error.extra?.retry_after === 'number' ? error.extra.retry_after : retryAfterSeconds));
    } else if (error.code === 'rate_limit_exceeded' && typeof error.extra?.retry_after === 'number') {
      res.setHeader('Retry-After', String(error.extra.retry_after));
    }
    res.status(error.status).type('application/json').send(JSON.stringify(error.toBody()));
  };
}

export const notFoundHandler: RequestHandler = (req, _res, next) =>
  next(new ApiError('not_found', `No route ${req.method} ${req.path}.`));
