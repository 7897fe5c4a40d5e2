import { randomBytes } from 'node:crypto';
import type Redis from 'ioredis';
import { FastRedis } from '../support/fast-redis';
import type { Logger } from '../support/logger';
import type { UsageRecorder } from './recorder';

const ACK_TIMEOUT_MS = 2_000;

interface Waiting {
  expected: number | null;
  received: number;
  done(): void;
}

/**
 * Makes a usage report include what other engine processes still hold in memory: it asks every process sharing
 * this Redis prefix to flush, then waits for as many acknowledgements as PUBLISH counted receivers (at most 2 s, so
 * a stuck process only makes the report a little stale). Without Redis only this process is flushed.
 */
export class UsageFlushBroadcast {
  private readonly subscriber: FastRedis;
  private readonly requests: string;
  private readonly acks: string;
  private readonly waiting = new Map<string, Waiting>();

  constructor(
    url: string,
    prefix: string,
    private readonly publisher: Redis,
    private readonly recorder: UsageRecorder,
    private readonly logger: Logger,
  ) {
    this.requests = `${prefix}usage:flush`;
    this.acks = `${prefix}usage:flushed`;
    this.subscriber = new FastRedis(url, logger, 'mask-usage-flush');
    this.subscriber.client.on('ready', () => void this.subscriber.client.subscribe(this.requests, this.acks).catch(() => undefined));
    this.subscriber.client.on('message', (channel: string, message: string) => this.onMessage(channel, message));
  }

  open(): Promise<void> {
    return this.subscriber.open();
  }

  close(): Promise<void> {
    return this.subscriber.close();
  }

  private onMessage(channel: string, message: string): void {
    if (channel === this.requests) {
      this.recorder
        .flush()
        .then(() => this.publisher.publish(this.acks, message))
        .catch((error: unknown) => this.logger.debug({ err: error }, 'could not acknowledge a usage flush request'));
      return;
    }
    const waiting = this.waiting.get(message);
    if (!waiting) return;
    waiting.received += 1;
    if (waiting.expected !== null && waiting.received >= waiting.expected) waiting.done();
  }

  /** Flushes every process's buffered usage (this one's for certain) before a report reads the table. */
  async flushAll(): Promise<void> {
    const nonce = randomBytes(9).toString('base64url');
    let timer: NodeJS.Timeout | undefined;
    const acknowledged = new Promise<void>((resolve) => {
      this.waiting.set(nonce, { expected: null, received: 0, done: resolve });
      timer = setTimeout(resolve, ACK_TIMEOUT_MS).unref();
    });
    try {
      const receivers = await this.publisher.publish(this.requests, nonce);
      const waiting = this.waiting.get(nonce) as Waiting;
      waiting.expected = receivers;
      if (waiting.received >= receivers) waiting.done();
      await acknowledged;
    } catch (error) {
      this.logger.debug({ err: error }, 'could not ask other processes to flush usage');
    } finally {
      clearTimeout(timer);
      this.waiting.delete(nonce);
    }
    await this.recorder.flush();
  }
}
