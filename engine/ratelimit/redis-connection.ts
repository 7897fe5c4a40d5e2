import Redis from 'ioredis';
import type { Logger } from '../support/logger';

const COMMAND_TIMEOUT_MS = 500;
const MAX_RECONNECT_DELAY_MS = 2_000;

/**
 * The rate limiters' own Redis connection, tuned to fail fast: no offline queue (a command while disconnected fails
 * at once instead of waiting), a short command timeout, and reconnection every ≤ 2 s so the limiters recover by
 * themselves. It connects on `open()`, never at construction.
 */
export class LimiterRedis {
  readonly client: Redis;

  constructor(
    url: string,
    private readonly logger: Logger,
  ) {
    this.client = new Redis(url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: COMMAND_TIMEOUT_MS,
      connectionName: 'mask-ratelimit',
      retryStrategy: (attempt) => Math.min(attempt * 100, MAX_RECONNECT_DELAY_MS),
    });
    // Outages are reported by the limiters that notice them; this only keeps ioredis from printing to stderr.
    this.client.on('error', (error: Error) => this.logger.debug({ err: error }, 'rate limiter Redis connection error'));
  }

  /** Starts connecting; an unreachable Redis is not fatal here: the limiters decide what an outage means. */
  async open(): Promise<void> {
    try {
      await this.client.connect();
    } catch (error) {
      this.logger.warn({ err: error }, 'rate limiter Redis is unreachable at start-up; retrying in the background');
    }
  }

  async close(): Promise<void> {
    if (this.client.status === 'ready') await this.client.quit().catch(() => this.client.disconnect());
    else this.client.disconnect();
  }
}
