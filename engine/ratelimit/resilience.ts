import { withDeadline } from '../support/deadlines';
import type { Logger } from '../support/logger';
import type { LimitResult, RateLimiter } from './limiter';

/** The shared limiter cannot decide (Redis unreachable); a fail-closed caller treats this as a refusal. */
export class LimiterUnavailableError extends Error {
  constructor(options?: { cause?: unknown }) {
    super('The rate limiter is unavailable.', options);
    this.name = 'LimiterUnavailableError';
  }
}

const DEADLINE_MS = 1_000;

/**
 * A shared (Redis) limiter and what to do while it is unreachable or does not answer within a second:
 * - with a `fallback` (fail open, for throughput limits such as the per-key API limit), each process limits on its
 *   own with the in-process limiter until the shared one answers again;
 * - without one (fail closed, for security limits: failed authentications, the password gate), every call throws
 *   `LimiterUnavailableError`, so nothing those limits protect can be attempted without being counted.
 * The start and the end of an outage are logged once each.
 */
export class ResilientLimiter implements RateLimiter {
  private down = false;

  constructor(
    private readonly shared: RateLimiter,
    private readonly fallback: RateLimiter | null,
    private readonly logger: Logger,
    private readonly name: string,
  ) {}

  private async run(operation: (limiter: RateLimiter) => Promise<LimitResult>): Promise<LimitResult> {
    let result: LimitResult;
    try {
      result = await withDeadline(operation(this.shared), DEADLINE_MS, `The shared rate limiter did not answer within ${DEADLINE_MS} ms.`);
    } catch (error) {
      if (!this.down) {
        this.down = true;
        const consequence = this.fallback ? 'each process limits on its own until it is back' : 'refusing what it protects until it is back';
        this.logger.warn({ err: error }, `${this.name} cannot reach Redis: ${consequence}`);
      }
      if (this.fallback) return operation(this.fallback);
      throw new LimiterUnavailableError({ cause: error });
    }
    if (this.down) {
      this.down = false;
      this.logger.info(`${this.name} reaches Redis again`);
    }
    return result;
  }

  consume(key: string, limit: number, windowMs: number, cost = 1): Promise<LimitResult> {
    return this.run((limiter) => limiter.consume(key, limit, windowMs, cost));
  }

  peek(key: string, limit: number, windowMs: number): Promise<LimitResult> {
    return this.run((limiter) => limiter.peek(key, limit, windowMs));
  }

  async close(): Promise<void> {
    await this.fallback?.close();
  }
}
