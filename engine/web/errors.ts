import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ApiError } from '../support/errors';
import type { Logger } from '../support/logger';

const BODY_PARSER_ERRORS: Record<string, ApiError> = {
  'entity.parse.failed': new ApiError('bad_request', 'The request body is not valid JSON.'),
  'entity.too.large': new ApiError('payload_too_large', 'The request body is larger than 1 MB.'),
  'encoding.unsupported': new ApiError('unsupported_media_type', 'The request body encoding is not supported.'),
  'charset.unsupported': new ApiError('unsupported_media_type', 'The request body charset is not supported; use UTF-8.'),
  'request.aborted': new ApiError('bad_request', 'The request was aborted.'),
  'request.size.invalid': new ApiError('bad_request', 'The request body does not match its Content-Length.'),
};

/** Turns any error into the seed-001 envelope; unknown errors become a generic 500 that leaks nothing. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const known =
      err instanceof ApiError
        ? err
        : err instanceof URIError
          ? // Express could not decode a path parameter (%ED%A0%80, a lone %): the client's URL, not our fault.
            new ApiError('bad_request', 'The request path is not valid percent-encoded UTF-8.')
          : typeof err?.type === 'string'
            ? BODY_PARSER_ERRORS[err.type as string]
            : undefined;
    const error = known ?? new ApiError('internal_error', 'An unexpected error occurred. Quote the request id when reporting it.');
    if (!known) logger.error({ req_id: req.id, err }, 'unhandled error');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if ((error.code === 'rate_limit_exceeded' || error.code === 'service_unavailable') && typeof error.extra?.retry_after === 'number') {
      res.setHeader('Retry-After', String(error.extra.retry_after));
    }
    res.status(error.status).type('application/json').send(JSON.stringify(error.toBody()));
  };
}

export const notFoundHandler: RequestHandler = (req, _res, next) =>
  next(new ApiError('not_found', `No route ${req.method} ${req.path}.`));
