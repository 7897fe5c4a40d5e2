import type { Request, RequestHandler, Response } from 'express';
import type { ApiKey } from '../domain/keys';
import { presentedKey, type AuthGuard } from './credentials';
import { ApiError } from '../support/errors';
import type { Clock } from '../support/time';
import { clientAddress } from '../ratelimit/client-address';
import { rateLimitExceeded, writeRateLimitHeaders } from '../ratelimit/headers';
import type { KeyRateLimits } from '../ratelimit/key-limits';
import type { LimitResult, RateLimiter } from '../ratelimit/limiter';
import { LimiterUnavailableError } from '../ratelimit/resilience';
import { addressAllowed } from '../domain/ip-allow-list';

const WINDOW_MS = 60_000;
/** How long a client is told to wait when a failed authentication cannot be counted (shared limiter down). */
const UNCOUNTABLE_RETRY_SECONDS = 5;

/** Policy names, as the `RateLimit-Policy` / `RateLimit` fields show them. */
const POLICY = { key: 'api-key', anonymous: 'anonymous', failures: 'failed-auth' } as const;

export interface ApiGuardOptions {
  /** Throughput limits (per key, per address without a key): fail open. */
  apiLimiter: RateLimiter;
  /** Failed authentications per address: fail closed. */
  authLimiter: RateLimiter;
  keyLimits: KeyRateLimits;
  anonymousPerMinute: number;
  authFailuresPerMinute: number;
  clock: Clock;
}

/**
 * Rate limits of the REST API, applied before a request's body is even read:
 * - requests with no key: per client address (`anonymous`);
 * - failed authentications: per client address (`failed-auth`). Only failures count and only failures are refused:
 *   once an address has used them up, every further failed attempt from it answers 429 instead of 401 until the
 *   window frees a slot, so keys cannot be guessed at speed, while a valid key keeps working from that address (a
 *   shared NAT or office egress with one misconfigured client must not lock everyone else out). If failures cannot
 *   be counted (Redis down), failed attempts are refused instead of answered 401;
 * - authenticated requests: per key (`api-key`), whatever their outcome (403, 404, 422 count too), except a key used
 *   from outside its `allowed_ips`: that is refused with 403 and counted as a failed authentication of the address.
 * Every API response carries the headers of the limit that applied to it.
 */
export class ApiGuard {
  constructor(private readonly options: ApiGuardOptions) {}

  readonly guard: AuthGuard = async (req, res, authenticate) => {
    const address = clientAddress(req);
    if (presentedKey(req) === null) {
      await this.limitAnonymous(res, address);
      return authenticate();
    }
    let key: ApiKey;
    try {
      key = await authenticate();
    } catch (error) {
      if (error instanceof ApiError && error.code === 'unauthorized') await this.countFailure(res, address);
      throw error;
    }
    if (key.allowedIps && !addressAllowed(key.allowedIps, req.ip)) {
      // Counted as a failed authentication, not against the key: a leaked key used from elsewhere cannot use up
      // its owner's rate limit, and cannot be tried at speed either.
      await this.countFailure(res, address);
      throw new ApiError(
        'forbidden',
        `This API key may only be used from its allowed addresses (allowed_ips); this request came from ${req.ip ?? 'an unknown address'}.`,
      );
    }
    const limit = await this.options.keyLimits.limitFor(key);
    const result = await this.options.apiLimiter.consume(`key:${key.id}`, limit, WINDOW_MS);
    this.enforce(res, POLICY.key, result);
    return key;
  };

  /** For API routes that need no key (the OpenAPI document): limited per address like keyless requests. */
  readonly anonymous: RequestHandler = async (req: Request, res: Response, next) => {
    await this.limitAnonymous(res, clientAddress(req));
    next();
  };

  /**
   * Keyless work that costs more than a request (an uncached large QR code): takes `extra` more slots of the
   * address's keyless allowance, on top of the one its request already took, or refuses it with 429.
   */
  async chargeAnonymous(req: Request, res: Response, extra: number): Promise<void> {
    if (extra > 0) await this.limitAnonymous(res, clientAddress(req), extra);
  }

  private async limitAnonymous(res: Response, address: string, cost = 1): Promise<void> {
    const result = await this.options.apiLimiter.consume(`anon:${address}`, this.options.anonymousPerMinute, WINDOW_MS, cost);
    this.enforce(res, POLICY.anonymous, result, cost > 1 ? 'This QR code costs more of the keyless allowance than is left.' : undefined);
  }

  private async countFailure(res: Response, address: string): Promise<void> {
    let state: LimitResult;
    try {
      state = await this.options.authLimiter.consume(`authfail:${address}`, this.options.authFailuresPerMinute, WINDOW_MS);
    } catch (error) {
      if (!(error instanceof LimiterUnavailableError)) throw error;
      const now = this.now();
      const refused = { allowed: false, limit: this.options.authFailuresPerMinute, remaining: 0, resetAt: now + UNCOUNTABLE_RETRY_SECONDS * 1000, retryAfter: UNCOUNTABLE_RETRY_SECONDS };
      writeRateLimitHeaders(res, POLICY.failures, WINDOW_MS, refused, now);
      throw rateLimitExceeded(UNCOUNTABLE_RETRY_SECONDS, 'Failed authentications cannot be counted right now, so they are refused.');
    }
    // An attempt that used the last slot is still answered 401; those beyond the limit are refused.
    this.enforce(res, POLICY.failures, state, 'Too many failed authentications from this address.');
  }

  private enforce(res: Response, policy: string, result: LimitResult, reason?: string): void {
    writeRateLimitHeaders(res, policy, WINDOW_MS, result, this.now());
    if (!result.allowed) throw rateLimitExceeded(result.retryAfter, reason);
  }

  private now(): number {
    return this.options.clock.now().getTime();
  }
}
