import { ApiError } from '../support/errors';
import { rateLimitExceeded } from '../ratelimit/headers';
import type { LimitResult, RateLimiter } from '../ratelimit/limiter';
import { LimiterUnavailableError } from '../ratelimit/resilience';

const ACCOUNT_WINDOW_MS = 15 * 60_000;
const ADDRESS_WINDOW_MS = 60_000;
/** How long a sign-in is refused while failures cannot be counted (the shared limiter is down). */
const UNCOUNTABLE_RETRY_SECONDS = 5;

export interface LoginLimitOptions {
  /** Failed sign-ins per account in 15 minutes. */
  perAccount: number;
  /** Failed sign-ins per client address per minute. */
  perAddressPerMinute: number;
}

/**
 * Failed sign-ins, per account and per client address, on the engine's fail-closed limiter: once either is used up
 * every attempt is refused (even with the right password) until the window frees a slot; while failures cannot be
 * counted (Redis down), sign-ins are refused rather than left unlimited.
 */
export class LoginLimits {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly options: LoginLimitOptions,
  ) {}

  /** Throws 429 when the account or the address has no attempts left. */
  async check(email: string, address: string): Promise<void> {
    await this.guarded(async () => {
      this.enforce(await this.limiter.peek(this.accountKey(email), this.options.perAccount, ACCOUNT_WINDOW_MS));
      this.enforce(await this.limiter.peek(this.addressKey(address), this.options.perAddressPerMinute, ADDRESS_WINDOW_MS));
    });
  }

  /** Counts a failed attempt against both. */
  async failed(email: string, address: string): Promise<void> {
    await this.guarded(async () => {
      await this.limiter.consume(this.accountKey(email), this.options.perAccount, ACCOUNT_WINDOW_MS);
      await this.limiter.consume(this.addressKey(address), this.options.perAddressPerMinute, ADDRESS_WINDOW_MS);
    });
  }

  private async guarded(action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (error) {
      if (error instanceof LimiterUnavailableError) {
        throw rateLimitExceeded(UNCOUNTABLE_RETRY_SECONDS, 'Sign-in attempts cannot be counted right now, so they are refused.');
      }
      throw error;
    }
  }

  private enforce(result: LimitResult): void {
    if (!result.allowed) throw rateLimitExceeded(result.retryAfter, 'Too many failed sign-ins.');
  }

  private accountKey = (email: string) => `login:account:${email.toLowerCase()}`;
  private addressKey = (address: string) => `login:address:${address}`;
}

export const invalidCredentials = () => new ApiError('unauthorized', 'The email or password is wrong.');
