import type { Response } from 'express';
import { ApiError } from '../support/errors';
import type { LimitResult } from './limiter';

/**
 * The limit that applied to a response: seed 001's `X-RateLimit-*` headers (reset in Unix seconds) and the IETF
 * draft's structured `RateLimit-Policy` / `RateLimit` fields (draft-ietf-httpapi-ratelimit-headers-10), which name
 * the policy, so a client can tell the per-key limit from the per-address ones.
 */
export function writeRateLimitHeaders(res: Response, policy: string, windowMs: number, result: LimitResult, now: number): void {
  const resetIn = Math.max(0, Math.ceil((result.resetAt - now) / 1000));
  res.setHeader('X-RateLimit-Limit', String(result.limit));
  res.setHeader('X-RateLimit-Remaining', String(result.remaining));
  res.setHeader('X-RateLimit-Reset', String(Math.ceil(result.resetAt / 1000)));
  res.setHeader('RateLimit-Policy', `"${policy}";q=${result.limit};w=${Math.round(windowMs / 1000)}`);
  res.setHeader('RateLimit', `"${policy}";r=${result.remaining};t=${resetIn}`);
}

/** The seed-001 429: the error middleware turns `retry_after` into the `Retry-After` header. */
export function rateLimitExceeded(retryAfter: number, reason = 'Rate limit exceeded.'): ApiError {
  const seconds = retryAfter === 1 ? '1 second' : `${retryAfter} seconds`;
  return new ApiError('rate_limit_exceeded', `${reason} Retry after ${seconds}.`, undefined, { retry_after: retryAfter });
}
