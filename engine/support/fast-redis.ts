import type { Redis } from 'ioredis';
import type { Logger } from './logger';
import { ioredis } from './optional-deps';
import { closeRedis } from './redis-close';

// A backstop for a Redis that accepts commands but never answers; callers keep their own, shorter deadlines.
const COMMAND_TIMEOUT_MS = 5_000;
const MAX_RECONNECT_DELAY_MS = 2_000;

/**
 * A Redis connection for work that must never wait on Redis (rate limits, usage flush requests): no offline queue
 * (a command while disconnected fails at once), a command timeout, and reconnection every ≤ 2 s so its users
 * recover by themselves. It connects on `open()`, never at construction; an unreachable Redis there is not fatal.
 */
export class FastRedis {
  readonly client: Redis;

  constructor(
    url: string,
    private readonly logger: Logger,
    name: string,
  ) {
    this.client = new (ioredis().Redis)(url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: COMMAND_TIMEOUT_MS,
      connectionName: name,
      retryStrategy: (attempt) => Math.min(attempt * 100, MAX_RECONNECT_DELAY_MS),
      // A subscriber subscribes again on 'ready' itself, handling the outcome: ioredis's own resubscription leaves its
      // promise unhandled, and a close while it waits would end the process with "Connection is closed.".
      autoResubscribe: false,
    });
    // Outages are reported by the parts that notice them; this only keeps ioredis from printing to stderr.
    this.client.on('error', (error: Error) => this.logger.debug({ err: error, connection: name }, 'Redis connection error'));
  }

  async open(): Promise<void> {
    try {
      await this.client.connect();
    } catch (error) {
      this.logger.warn({ err: error }, 'Redis is unreachable at start-up; retrying in the background');
    }
  }

  close(): Promise<void> {
    return closeRedis(this.client);
  }
}
